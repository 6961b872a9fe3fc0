// Package cli implements mailkey's command line: the same engine as the GUI,
// for scripts and other mail tools. It never starts the GUI and needs no display.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/arrival"
	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/mailkey-app/mailkey/app/google"
	"github.com/mailkey-app/mailkey/app/internal/localfile"
	"github.com/mailkey-app/mailkey/app/mail"
	"github.com/mailkey-app/mailkey/app/oauth"
	"github.com/mailkey-app/mailkey/app/secret"
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

type command struct {
	name, usage string
	run         func(ctx context.Context, env Env, args []string) error
}

// Usage lines, one per command.
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

var commands = []command{
	{"accounts", usageAccounts, accounts},
	{"login", usageLogin, login},
	{"send", usageSend, send},
	{"token", usageToken, token},
	{"remove", usageRemove, remove},
	{"doctor", usageDoctor, doctor},
	{"export", usageExport, exportCmd},
	{"sendmail", usageSendmail, nil}, // run by Run itself: its exit codes are sendmail's
	{"queue", usageQueue, queueCmd},
	{"relay", usageRelay, relayCmd},
	{"test", usageTest, testCmd},
	{"watch", usageWatch, watchCmd},
	{"aliases", usageAliases, aliasesCmd},
}

// usageError is a mistake in the command line.
type usageError struct {
	msg, usage string
	help       bool
}

func (e *usageError) Error() string { return e.msg }

func usagef(usage, format string, a ...any) error {
	return &usageError{msg: fmt.Sprintf(format, a...), usage: usage}
}

// Run runs the command in args (without the program name) and returns the exit code.
func Run(ctx context.Context, args []string, env Env) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		printUsage(env.Stdout)
		return ExitOK
	}
	if args[0] == "sendmail" { // sysexits codes, not the ones below
		return Sendmail(ctx, env, args[1:])
	}
	// What an operation did beside what was asked (a damaged accounts file
	// kept aside) goes to stderr, in the same form as an error.
	ctx = engine.WithNotifier(ctx, func(t advice.Text) { printText(env.Stderr, t.What, t.Next) })
	for _, c := range commands {
		if c.name == args[0] {
			return report(env.Stderr, c.run(ctx, env, args[1:]))
		}
	}
	fmt.Fprintf(env.Stderr, "Unknown command %q.\nRun 'mailkey help' to see the commands.\n", args[0])
	return ExitUsage
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "mailkey sends mail as your Gmail account, by app password or OAuth 2.0.")
	fmt.Fprintln(w, "\nUsage:\n  mailkey [app]           open the desktop app (mailkey-app)")
	for _, c := range commands {
		fmt.Fprintln(w, "  "+c.usage)
	}
}

// report prints err for a person and maps it to an exit code.
func report(w io.Writer, err error) int {
	if err == nil {
		return ExitOK
	}
	var ue *usageError
	if errors.As(err, &ue) {
		if ue.help {
			fmt.Fprintf(w, "Usage: %s\n", ue.usage)
			return ExitOK
		}
		fmt.Fprintf(w, "%s\nUsage: %s\n", sentence(ue.msg), ue.usage)
		return ExitUsage
	}
	if errors.Is(err, context.Canceled) {
		fmt.Fprintln(w, "Cancelled.")
		return ExitInterrupted
	}
	printText(w, advice.What(err), advice.Next(err))
	return codeOf(err)
}

// printText prints what happened, then what to do next, each as a sentence.
func printText(w io.Writer, what, next string) {
	fmt.Fprintln(w, sentence(what))
	if next != "" {
		fmt.Fprintln(w, sentence(next))
	}
}

func codeOf(err error) int {
	is := func(targets ...error) bool {
		for _, t := range targets {
			if errors.Is(err, t) {
				return true
			}
		}
		return false
	}
	switch {
	case is(secret.ErrUnavailable):
		return ExitKeyring
	case is(account.ErrNotFound):
		return ExitNoAccount
	case is(oauth.ErrNeedsSignIn, oauth.ErrAccessDenied, oauth.ErrScopeNotGranted, oauth.ErrInvalidClient,
		mail.ErrAuthRejected, mail.ErrTokenRejected, mail.ErrAppPasswordRequired, mail.ErrWebLoginRequired, secret.ErrNotFound,
		arrival.ErrIMAPLogin, arrival.ErrTokenRejected):
		return ExitAuth
	case is(mail.ErrConnect, mail.ErrTimeout, mail.ErrRateLimited, mail.ErrTemporary, mail.ErrDailyLimit, oauth.ErrTimeout, oauth.ErrExchange,
		oauth.ErrUnavailable):
		return ExitTemporary
	case is(account.ErrStorage):
		// mailkey's own files, not the command line: checked before the
		// file errors below, which mean bad input.
		return ExitFailure
	case is(mail.ErrBlocked, mail.ErrTooManyRecipients, fs.ErrNotExist, fs.ErrPermission, localfile.ErrNotRegular, localfile.ErrTooLarge, mail.ErrInvalidAddress, mail.ErrHeaderInjection, mail.ErrNoRecipient, mail.ErrAttachment, mail.ErrBadEndpoint, mail.ErrTooBig, engine.ErrBadTransport,
		google.ErrTooLarge, google.ErrNotJSON, google.ErrWebClient, google.ErrUnknownClientType, google.ErrMissingClientID,
		google.ErrMissingClientSecret, google.ErrBadClientID, google.ErrBadEndpoint, google.ErrAppPasswordFormat,
		google.ErrLooksLikeAccountPassword, google.ErrNoClientInText, google.ErrTwoClientsInText, google.ErrBadClientSecret,
		google.ErrBadProjectID, arrival.ErrBadIMAPURL):
		return ExitUsage
	}
	return ExitFailure
}

// sentence is advice.Sentence, short for this package.
func sentence(s string) string { return advice.Sentence(s) }

// newFlags returns a FlagSet that reports errors through usageError.
func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

func parse(fs *flag.FlagSet, usage string, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return &usageError{usage: usage, help: true}
		}
		return usagef(usage, "%v", err)
	}
	return nil
}
