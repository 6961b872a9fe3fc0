// Package e2e drives the real mailkey window as a person does: it builds the
// GUI binary, starts it under Xvfb against the loopback stand-ins of package
// testpeer and the private keyring of .ci/with-keyring, types and clicks
// with xdotool, and checks what reaches the stand-ins. The widget tests of
// package ui cannot see what only a real window does (a file dialog that
// panics when resized before Show, a Tab that never leaves a text box).
//
// 'make test' runs it with MAILKEY_GUI_E2E=1; MAILKEY_GUI_PKG names the
// package of the GUI binary (./cmd/mailkey-app by default; the command line is built from ./cmd/mailkey). A failed test leaves
// a screenshot in e2e/testdata/failed/.
package e2e
