// Command mailkey sends mail as your Gmail account from the command line (see
// 'mailkey help'). It links no GUI: without arguments, or with 'mailkey app',
// it starts the desktop app, the separate binary mailkey-app (launch.go).
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/cli"
	"github.com/mailkey-app/mailkey/app/engine"
	"golang.org/x/term"
)

func main() {
	args := cli.Args(os.Args) // "sendmail" through a symlink is 'mailkey sendmail'
	if len(args) == 0 || args[0] == "app" {
		os.Exit(launchApp(args[min(1, len(args)):]))
	}
	dir, err := account.DefaultDir()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(cli.ExitFailure)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	env := cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Engine: engine.New(dir)}
	if fd := int(os.Stdin.Fd()); term.IsTerminal(fd) {
		env.ReadPassword = func() (string, error) {
			b, err := term.ReadPassword(fd)
			return string(b), err
		}
	}
	code := cli.Run(ctx, args, env)
	stop()
	os.Exit(code)
}
