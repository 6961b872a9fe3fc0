// Package cli implements mailkey's command line: the same engine as the GUI,
// for scripts and other mail tools. It never starts the GUI and needs no display.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"

	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Exit codes, documented in the README.
const (
	ExitOK          = 0
	ExitFailure     = 1   // anything not listed below
	ExitUsage       = 2   // bad flags, arguments or input
	ExitAuth        = 3   // credentials refused or sign-in needed
	ExitKeyring     = 4   // no usable keyring
	ExitNoAccount   = 5   // no such account
	ExitTemporary   = 6   // network, timeout or rate limit: try again later
	ExitInterrupted = 130 // cancelled (Ctrl-C)
)

// Env is what a command may use.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Engine         *engine.Engine
	// ReadPassword reads a secret from the terminal without echo; nil when stdin
	// is not a terminal.
	ReadPassword func() (string, error)
}

// commands builds each command of the table, in the order 'mailkey help'
// lists them: a new command is one line here and a constructor beside its
// body (see accountsCmd for the pattern).
var commands = []func(Env) *cobra.Command{
	appCmd,
	accountsCmd,
	statusCmd,
	loginCmd,
	sendCmd,
	testCommand,
	watchCommand,
	aliasesCommand,
	tokenCmd,
	removeCmd,
	doctorCmd,
	exportCommand,
	sendmailCmd,
	queueCommand,
	relayCommand,
}

// Usage lines, one per command: printed with a usage error and in the help.
const (
	usageAccounts = "mailkey accounts [--json]"
	usageLogin    = "mailkey login --client-secret FILE [--no-browser] [--smtp URL] [--testing|--production] [--timeout D] [--transport smtp|api|auto] [--imap URL]\n" +
		"       mailkey login --client-id ID [--project-id P] [--auth-uri URL --token-uri URL] [same options]   (client secret on stdin)\n" +
		"       mailkey login --app-password --email ADDR [--smtp URL] [--imap URL]   (app password on stdin)"
	usageSend = "mailkey send --from ADDR --to LIST [--cc LIST] [--bcc LIST] --subject TEXT " +
		"[--body TEXT | --body-file FILE|-] [--attach FILE]... [--account ADDR] [--verbose]"
	usageToken  = "mailkey token ADDR"
	usageRemove = "mailkey remove ADDR"
)

// usageError is a mistake in the command line.
type usageError struct {
	msg, usage string
	next       string // instead of the usage: what to do
	help       bool   // sendmail's -h: print the usage, exit 0
}

func (e *usageError) Error() string { return e.msg }

func usagef(usage, format string, a ...any) error {
	return &usageError{msg: fmt.Sprintf(format, a...), usage: usage}
}

// exitCode is a command's own exit code, already reported (sendmail's).
type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit code %d", int(e)) }

// Run runs the command in args (without the program name) and returns the exit code.
func Run(ctx context.Context, args []string, env Env) int {
	root := Command(env)
	root.SetArgs(goStyleFlags(root, args))
	// What an operation did beside what was asked (a damaged accounts file
	// kept aside) goes to stderr, in the same form as an error.
	ctx = engine.WithNotifier(ctx, func(t advice.Text) { printText(env.Stderr, t.What, nextOf(t)) })
	return report(env.Stderr, root.ExecuteContext(ctx))
}

// goStyleFlags rewrites -name and -name=value to --name and --name=value
// for the command's long flags: mailkey's command line took them before it
// moved to cobra, and scripts written then keep working.
func goStyleFlags(root *cobra.Command, args []string) []string {
	c, _, err := root.Find(args)
	if err != nil || c.DisableFlagParsing {
		return args
	}
	lookup := func(name string) *pflag.Flag {
		if f := c.Flags().Lookup(name); f != nil {
			return f
		}
		return c.InheritedFlags().Lookup(name)
	}
	out := slices.Clone(args)
	for i := 0; i < len(out); i++ {
		a := out[i]
		if a == "--" {
			break
		}
		if !strings.HasPrefix(a, "-") || len(a) < 2 {
			continue
		}
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		f := lookup(name)
		if f == nil && name != "help" {
			continue
		}
		if !strings.HasPrefix(a, "--") && len(name) > 1 {
			out[i] = "-" + a
		}
		if f != nil && !hasValue && f.NoOptDefVal == "" {
			i++ // the flag's value, whatever it looks like
		}
	}
	return out
}

// report prints err for a person and maps it to an exit code.
func report(w io.Writer, err error) int {
	if err == nil {
		return ExitOK
	}
	var ue *usageError
	if errors.As(err, &ue) {
		if ue.next != "" {
			printText(w, ue.msg, ue.next)
		} else {
			fmt.Fprintf(w, "%s\nUsage: %s\n", sentence(ue.msg), ue.usage)
		}
		return ExitUsage
	}
	var code exitCode
	if errors.As(err, &code) {
		return int(code)
	}
	if errors.Is(err, context.Canceled) {
		fmt.Fprintln(w, "Cancelled.")
		return ExitInterrupted
	}
	printText(w, advice.What(err), nextStep(err))
	return codeOf(err)
}

// printText prints what happened, then what to do next, each as a sentence.
func printText(w io.Writer, what, next string) {
	fmt.Fprintln(w, sentence(what))
	if next != "" {
		fmt.Fprintln(w, sentence(next))
	}
}

// exitCodes maps each category of failure to its exit code.
var exitCodes = map[advice.Category]int{
	advice.Failure:   ExitFailure,
	advice.Usage:     ExitUsage,
	advice.Storage:   ExitFailure, // mailkey's own files, not the command line
	advice.Temporary: ExitTemporary,
	advice.Auth:      ExitAuth,
	advice.NoAccount: ExitNoAccount,
	advice.Keyring:   ExitKeyring,
}

// codeOf returns the exit code of err: its category's (advice.CategoryOf).
// The standard library's file errors carry no category: a file the command
// line named that is missing or unreadable is bad input, unless a category
// (mailkey's own files: Storage) says otherwise.
func codeOf(err error) int {
	c := advice.CategoryOf(err)
	if c == advice.Failure && advice.IsAny(err, fs.ErrNotExist, fs.ErrPermission) {
		return ExitUsage
	}
	return exitCodes[c]
}

// sentence is advice.Sentence, short for this package.
func sentence(s string) string { return advice.Sentence(s) }
