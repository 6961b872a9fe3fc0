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
	if len(os.Args) < 2 || os.Args[1] == "app" {
		os.Exit(launchApp(os.Args[min(2, len(os.Args)):]))
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
	code := cli.Run(ctx, os.Args[1:], env)
	stop()
	os.Exit(code)
}
