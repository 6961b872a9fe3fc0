// Command mailkey sends mail as your Gmail account. Without arguments it opens
// the app; with a subcommand it runs the command line (see 'mailkey help').
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
	"github.com/mailkey-app/mailkey/ui"
	"golang.org/x/term"
)

func main() {
	dir, err := account.DefaultDir()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(cli.ExitFailure)
	}
	eng := engine.New(dir)
	args := cli.Args(os.Args) // "sendmail" through a symlink is 'mailkey sendmail'
	if len(args) == 0 {
		ui.Run(eng)
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	env := cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Engine: eng}
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
