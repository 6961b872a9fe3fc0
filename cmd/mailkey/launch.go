package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"

	"github.com/mailkey-app/mailkey/app/cli"
	"github.com/mailkey-app/mailkey/app/watch"
)

// launchApp starts the desktop app with args and returns mailkey's exit code.
func launchApp(args []string) int {
	if len(args) > 0 {
		fmt.Fprintf(os.Stderr, "'mailkey app' takes no arguments.\nUsage: mailkey [app]\n")
		return cli.ExitUsage
	}
	p, err := watch.FindApp()
	if err != nil {
		fmt.Fprintf(os.Stderr, "The desktop app (%s) is not installed next to mailkey or on your PATH.\n", watch.AppName)
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
