package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"

	"github.com/mailkey-app/mailkey/app/cli"
)

// appName is the desktop app's binary, installed next to mailkey.
var appName = "mailkey-app"

func init() {
	if runtime.GOOS == "windows" {
		appName += ".exe"
	}
}

// findApp returns the desktop app's binary: next to the running mailkey
// first (so that a bin/ or an unpacked bundle uses its own pair), then on
// PATH.
func findApp() (string, error) {
	if self, err := os.Executable(); err == nil {
		if real, err := filepath.EvalSymlinks(self); err == nil {
			self = real
		}
		p := filepath.Join(filepath.Dir(self), appName)
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p, nil
		}
	}
	return exec.LookPath(appName)
}

// launchApp starts the desktop app with args and returns mailkey's exit code.
func launchApp(args []string) int {
	if len(args) > 0 {
		fmt.Fprintf(os.Stderr, "'mailkey app' takes no arguments.\nUsage: mailkey [app]\n")
		return cli.ExitUsage
	}
	p, err := findApp()
	if err != nil {
		fmt.Fprintf(os.Stderr, "The desktop app (%s) is not installed next to mailkey or on your PATH.\n", appName)
		fmt.Fprintln(os.Stderr, "Install it from the same package as mailkey (make build puts both in bin/), or use the commands: run 'mailkey help'.")
		return cli.ExitFailure
	}
	if err := execApp(p); err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode()
		}
		fmt.Fprintf(os.Stderr, "Could not start the desktop app %s: %v\n", p, err)
		return cli.ExitFailure
	}
	return cli.ExitOK
}
