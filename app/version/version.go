// Package version holds mailkey's version, the one source for the command
// line's --version, the man pages and the app's metadata. It must equal
// Details.Version in FyneApp.toml, which the fyne tool packages with (a test
// checks it).
package version

// Version is mailkey's version. A release build may set it with
// -ldflags "-X github.com/mailkey-app/mailkey/app/version.Version=…".
var Version = "0.1.0"
