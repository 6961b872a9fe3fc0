package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	netmail "net/mail"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/mailkey-app/mailkey/app/mail"
	"github.com/mailkey-app/mailkey/app/queue"
	"github.com/mailkey-app/mailkey/app/sendmail"
	"github.com/spf13/cobra"
)

// Exit codes of 'mailkey sendmail', from sysexits.h, as sendmail's callers
// expect them.
const (
	ExitSysUsage       = 64 // EX_USAGE: bad flags or arguments
	ExitSysDataErr     = 65 // EX_DATAERR: the message cannot be sent as it is
	ExitSysNoUser      = 67 // EX_NOUSER: no such account
	ExitSysUnavailable = 69 // EX_UNAVAILABLE: the server refused for good
	ExitSysTempFail    = 75 // EX_TEMPFAIL: not sent, and it could not be queued
	ExitSysNoPerm      = 77 // EX_NOPERM: permission denied
	ExitSysConfig      = 78 // EX_CONFIG: mailkey's configuration is unusable
)

const usageSendmail = "mailkey sendmail [-t] [-i|-oi] [-f ADDR] [-F NAME] [--] [RCPT]...   (message on stdin)"

// sendmailCmd is 'mailkey sendmail': sendmail's own options, not cobra's
// (-oi, -fADDR, -F NAME…), and sendmail's exit codes.
func sendmailCmd(env Env) *cobra.Command {
	c := &cobra.Command{
		Use: "sendmail [-t] [-i|-oi] [-f ADDR] [-F NAME] [--] [RCPT]...", Short: "Send the message on standard input, as sendmail does",
		Long: "Sendmail reads a message on standard input and sends it as sendmail(8) would, for programs that run sendmail " +
			"(git send-email, mailx, cron, PHP's mail()). A symlink named sendmail to mailkey does the same.\n\n" +
			"Options (sendmail's syntax):\n" +
			"  -t         take the recipients from the To, Cc and Bcc headers too\n" +
			"  -i, -oi    a line with a single dot does not end the message\n" +
			"  -f ADDR    send from this account (also -fADDR, -r ADDR); default: the From header's, else the only account\n" +
			"  -F NAME    the sender's name, when the message has no From header\n" +
			"  --         the rest are recipients\n" +
			"  -o…, -B, -N, -R, -V, -v, -bm, -m   accepted and ignored\n\n" +
			"A message that cannot be sent now for a reason that may pass is queued (exit 0; see 'mailkey queue'). " +
			"Exit codes are sendmail's (sysexits.h): 64 usage, 65 bad message, 67 no such account, 69 refused, " +
			"75 could not send or queue, 77 permission, 78 configuration.",
		DisableFlagParsing: true,
		RunE: func(c *cobra.Command, args []string) error {
			// The notices of the other commands' form are not for sendmail's callers.
			if code := runSendmail(engine.WithNotifier(c.Context(), nil), env, args); code != ExitOK {
				return exitCode(code)
			}
			return nil
		},
	}
	return withUsage(c, usageSendmail)
}

// Args returns the command line to run for argv (the program name first):
// invoked as "sendmail" (a symlink to mailkey), it is 'mailkey sendmail'.
func Args(argv []string) []string {
	if len(argv) == 0 {
		return nil
	}
	if filepath.Base(argv[0]) == "sendmail" {
		return append([]string{"sendmail"}, argv[1:]...)
	}
	return argv[1:]
}

// sendmailFlags are sendmail's options that mailkey uses.
type sendmailFlags struct {
	fromHeaders bool // -t
	dotIsData   bool // -i, -oi
	from, name  string
	rcpts       []string
}

// parseSendmail reads sendmail's options. Options that only tune the real
// sendmail's delivery (-o…, -B, -N, -R, -V, -v, -bm) are accepted and ignored.
func parseSendmail(args []string) (sendmailFlags, error) {
	var f sendmailFlags
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			f.rcpts = append(f.rcpts, args[i+1:]...)
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			f.rcpts = append(f.rcpts, a)
			continue
		}
		// value returns the option's value: attached (-fADDR) or the next argument.
		value := func() (string, error) {
			if len(a) > 2 {
				return a[2:], nil
			}
			if i+1 >= len(args) {
				return "", usagef(usageSendmail, "%s needs a value", a)
			}
			i++
			return args[i], nil
		}
		var err error
		switch {
		case a == "-t":
			f.fromHeaders = true
		case a == "-i", a == "-oi":
			f.dotIsData = true
		case strings.HasPrefix(a, "-f"), strings.HasPrefix(a, "-r"):
			f.from, err = value()
		case strings.HasPrefix(a, "-F"):
			f.name, err = value()
		case strings.HasPrefix(a, "-B"), strings.HasPrefix(a, "-N"), strings.HasPrefix(a, "-R"), strings.HasPrefix(a, "-V"):
			_, err = value()
		case strings.HasPrefix(a, "-o"), a == "-v", a == "-bm", a == "-m":
		case a == "-h", a == "--help":
			return f, &usageError{usage: usageSendmail, help: true}
		default:
			return f, usagef(usageSendmail, "unknown option %s", a)
		}
		if err != nil {
			return f, err
		}
	}
	return f, nil
}

// runSendmail runs 'mailkey sendmail' and returns its sysexits code. A message
// that cannot be sent now for a reason that may pass (network, a temporary
// server failure, a needed sign-in) is queued: exit 0, and stderr says why.
func runSendmail(ctx context.Context, env Env, args []string) int {
	f, err := parseSendmail(args)
	if err != nil {
		var ue *usageError
		if errors.As(err, &ue) && ue.help {
			fmt.Fprintf(env.Stdout, "Usage: %s\n", usageSendmail)
			return ExitOK
		}
		return sendmailFailed(env, err)
	}
	raw, err := sendmail.Read(env.Stdin, !f.dotIsData)
	if err != nil {
		return sendmailFailed(env, err)
	}
	msg, a, rcpts, err := readyMessage(env.Engine, f, raw)
	if err != nil {
		return sendmailFailed(env, err)
	}
	if _, t := engine.CheckFrom(a, msg.From); msg.From != "" && t.What != "" {
		fmt.Fprintln(env.Stderr, "mailkey sendmail: Warning: "+sentence(t.What)+" "+sentence(nextOf(t)))
	}
	// SendRaw checks r, once, before any keyring or network work; what it
	// refuses is failed for good (queue.Classify), so it is not queued.
	r := mail.Raw{From: a.Address, To: rcpts, Data: msg.Data, MessageID: msg.MessageID}
	_, err = env.Engine.SendRaw(ctx, a.Address, r)
	if err == nil {
		sendQueued(ctx, env)
		return ExitOK
	}
	if errors.Is(err, context.Canceled) || queue.Classify(err) == queue.StateFailed {
		return sendmailFailed(env, err)
	}
	return queueInstead(env, a.Address, r, err)
}

// readyMessage picks the account, readies the message and gathers the recipients.
func readyMessage(eng *engine.Engine, f sendmailFlags, raw []byte) (sendmail.Message, account.Account, []string, error) {
	var rcpts []string
	for _, arg := range f.rcpts {
		list, err := netmail.ParseAddressList(arg)
		if err != nil {
			return sendmail.Message{}, account.Account{}, nil, advice.Keyed(fmt.Errorf("%w: %v", mail.ErrInvalidAddress, err),
				"sendmail.bad_recipient", advice.Data{"Address": fmt.Sprintf("%q", arg)},
				"the recipient {{.Address}} is not a valid email address", "Check for typos; an address looks like ann@example.com")
		}
		for _, a := range list {
			rcpts = append(rcpts, a.Address)
		}
	}
	// A first reading finds the From address, to choose the account.
	msg, err := sendmail.Prepare(raw, sendmail.Options{})
	if err != nil {
		return msg, account.Account{}, nil, err
	}
	a, err := chooseAccount(eng, f.from, msg.From)
	if err != nil {
		return msg, a, nil, err
	}
	if msg.From == "" {
		msg, err = sendmail.Prepare(raw, sendmail.Options{From: a.Address, FromName: f.name})
		if err != nil {
			return msg, a, nil, err
		}
	}
	if f.fromHeaders {
		rcpts = append(rcpts, msg.Recipients...)
	}
	rcpts = dedupe(rcpts)
	if len(rcpts) == 0 {
		return msg, a, nil, usagef(usageSendmail, "no recipients: give them as arguments, or use -t to take them from To, Cc and Bcc")
	}
	return msg, a, rcpts, nil
}

// chooseAccount picks the account: -f, else the From address when it is an
// account, else the only account.
func chooseAccount(eng *engine.Engine, flag, from string) (account.Account, error) {
	if flag != "" {
		return eng.SendingAccount(flag)
	}
	if from != "" {
		a, err := eng.SendingAccount(from)
		if !errors.Is(err, account.ErrNotFound) {
			return a, err
		}
	}
	return eng.SendingAccount("")
}

func dedupe(list []string) []string {
	var out []string
	for _, a := range list {
		if !slices.ContainsFunc(out, func(b string) bool { return strings.EqualFold(a, b) }) {
			out = append(out, a)
		}
	}
	return out
}

// queuedSendTime bounds how long a sendmail spends on the queue after its
// own message went through: what is left waits for the next run (or the
// relay, or 'mailkey queue flush').
const queuedSendTime = 2 * time.Minute

// sendmailFlushEnv sets queuedSendTime in tests (not for users).
const sendmailFlushEnv = "MAILKEY_SENDMAIL_FLUSH"

// sendQueued sends the messages an earlier sendmail queued, now that a send
// went through, unless the relay is delivering them, for queuedSendTime at
// most.
func sendQueued(ctx context.Context, env Env) {
	q, err := openQueue()
	if err != nil {
		return
	}
	limit := envDuration(env, sendmailFlushEnv)
	if limit == 0 {
		limit = queuedSendTime
	}
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	sum, err := q.DeliverUnlessBusy(ctx, env.Engine)
	if err == nil && sum.Sent > 0 {
		fmt.Fprintf(env.Stderr, "mailkey sendmail: also sent %d queued message(s).\n", sum.Sent)
	}
}

// queueInstead queues a message whose send failed for a reason that may pass.
func queueInstead(env Env, addr string, r mail.Raw, sendErr error) int {
	q, err := queue.OpenDefault()
	var it queue.Item
	if err == nil {
		it, err = q.AddFailed(queue.Item{Account: addr, From: r.From, To: r.To, MessageID: r.MessageID},
			bytes.NewReader(r.Data), sendErr)
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "mailkey sendmail: not sent: %s\n", sentence(advice.What(sendErr)))
		fmt.Fprintf(env.Stderr, "mailkey sendmail: not queued either: %s\n", sentence(advice.What(err)))
		if next := nextStep(err); next != "" {
			fmt.Fprintln(env.Stderr, sentence(next))
		}
		return ExitSysTempFail
	}
	fmt.Fprintf(env.Stderr, "mailkey sendmail: queued as %s, not sent yet: %s\n", it.ID, sentence(advice.What(sendErr)))
	if queue.Classify(sendErr) == queue.StateHeld {
		fmt.Fprintf(env.Stderr, "%s It is sent after that.\n", sentence(nextStep(sendErr)))
	}
	fmt.Fprintln(env.Stderr, "'mailkey relay' sends the queue while it runs; 'mailkey queue flush' sends it now.")
	return ExitOK
}

// sendmailFailed prints err and returns its sysexits code.
func sendmailFailed(env Env, err error) int {
	var ue *usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(env.Stderr, "mailkey sendmail: %s\nUsage: %s\n", sentence(ue.msg), ue.usage)
		return ExitSysUsage
	}
	fmt.Fprintf(env.Stderr, "mailkey sendmail: %s\n", sentence(advice.What(err)))
	if next := nextStep(err); next != "" {
		fmt.Fprintln(env.Stderr, sentence(next))
	}
	return sysexitOf(err)
}

// sysexits maps each category of failure to sendmail's exit code; a
// category not listed is EX_TEMPFAIL, the caller may try again.
var sysexits = map[advice.Category]int{
	advice.Usage:     ExitSysDataErr, // the message as given cannot be sent
	advice.NoAccount: ExitSysNoUser,
}

// sysexitOf returns err's sysexits code: its category's (sysexits), after
// the cases sysexits tells apart and the categories do not: an interrupted
// send; a message the parser refused (a Failure); mailkey's settings
// (EX_CONFIG); the file system's permission; the server's refusals of the
// message's content or recipients, Usage errors sent again in vain
// (EX_UNAVAILABLE). A Failure that queue.Classify counts as for good is
// EX_UNAVAILABLE too.
func sysexitOf(err error) int {
	is := func(targets ...error) bool { return advice.IsAny(err, targets...) }
	switch {
	case is(context.Canceled):
		return ExitSysTempFail
	case is(sendmail.ErrBadMessage):
		return ExitSysDataErr
	case is(account.ErrCorrupt, account.ErrNewerSchema, mail.ErrBadEndpoint, engine.ErrBadTransport, mail.ErrAPIDisabled):
		return ExitSysConfig
	case is(fs.ErrPermission):
		return ExitSysNoPerm
	case is(mail.ErrBlocked, mail.ErrTooManyRecipients):
		return ExitSysUnavailable
	}
	c := advice.CategoryOf(err)
	if code, ok := sysexits[c]; ok {
		return code
	}
	if c == advice.Failure && queue.Classify(err) == queue.StateFailed {
		return ExitSysUnavailable
	}
	return ExitSysTempFail
}
