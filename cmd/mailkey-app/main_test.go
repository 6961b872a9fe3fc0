package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/mailkey-app/mailkey/app/cli"
)

// With MAILKEY_RUN_MAIN=1 the test binary runs main(), so the test sees the
// real program (only with arguments: without, it would open the window).
func TestMain(m *testing.M) {
	if os.Getenv("MAILKEY_RUN_MAIN") == "1" {
		os.Args = append([]string{"mailkey-app"}, os.Args[1:]...)
		main()
		return
	}
	os.Exit(m.Run())
}

func TestArgumentsPointToTheCommandLine(t *testing.T) {
	cmd := exec.Command(os.Args[0], "send", "--to", "x@example.com")
	cmd.Env = append(os.Environ(), "MAILKEY_RUN_MAIN=1", "DISPLAY=", "WAYLAND_DISPLAY=")
	var errb strings.Builder
	cmd.Stderr = &errb
	err := cmd.Run()
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != cli.ExitUsage || !strings.Contains(errb.String(), "run 'mailkey send'") {
		t.Fatalf("mailkey-app send: %v, stderr %q", err, errb.String())
	}
}
