package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/arrival"
	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/spf13/cobra"
)

const usageTest = "mailkey test ADDR [--json] [--timeout D]   (send a test message to ADDR itself and look for it in the mailbox)"

// errNotInInbox makes 'mailkey test' exit 1 when the message landed in Spam
// or was not found; the findings are already printed.
var errNotInInbox = advice.Sentinel(advice.Failure, "the test message is not in the Inbox")

type testJSON struct {
	Address   string        `json:"address"`
	MessageID string        `json:"message_id"`
	Transport string        `json:"transport"`
	Place     arrival.Place `json:"place"`
	Seconds   float64       `json:"seconds"`
	Method    string        `json:"method"`
	Labels    []string      `json:"labels,omitempty"`
	Auth      *arrival.Auth `json:"auth,omitempty"`
	What      string        `json:"what"`
	Next      string        `json:"next,omitempty"`
	Error     string        `json:"error,omitempty"`
}

func testCommand(env Env) *cobra.Command {
	c := &cobra.Command{
		Use: "test ADDR", Short: "Send a test message to the account itself and look for it in the mailbox",
		Long: "Test sends a message from ADDR to itself, then looks for it over IMAP (or the Gmail API): in the Inbox, in Spam, " +
			"or not arrived, with the SPF, DKIM and DMARC results Gmail recorded. It exits 0 only when the message is in the Inbox.",
		ValidArgsFunction: completeAccounts(env),
	}
	asJSON := c.Flags().Bool("json", false, "print the result as JSON")
	timeout := c.Flags().Duration("timeout", arrival.DefaultTimeout, "how long to look for the message")
	c.RunE = func(c *cobra.Command, args []string) error { return testCmd(c.Context(), env, *asJSON, *timeout, args) }
	return withUsage(c, usageTest)
}

func testCmd(ctx context.Context, env Env, asJSON bool, timeout time.Duration, args []string) error {
	addr, err := checkTest(timeout, args)
	if err != nil {
		return err
	}
	if !asJSON {
		fmt.Fprintf(env.Stderr, "Sending a test message to %s and looking for it (up to %s)…\n", addr, advice.Duration(timeout))
	}
	res, err := env.Engine.TestArrival(ctx, addr, timeout)
	if res.Sent.MessageID == "" && err != nil {
		return err // not sent: the usual report and exit code
	}
	if asJSON {
		return testPrintJSON(env, addr, res, timeout, err)
	}
	return testPrintText(env, res, timeout, err)
}

// checkTest checks test's address and --timeout.
func checkTest(timeout time.Duration, args []string) (addr string, err error) {
	usage := usageTest
	if len(args) != 1 {
		return "", usagef(usage, "test takes one address")
	}
	if timeout <= 0 {
		return "", usagef(usage, "--timeout must be positive, for example 60s")
	}
	return args[0], nil
}

// testPrintText says where the test message landed; err is the arrival
// check's failure, after the message was sent.
func testPrintText(env Env, res engine.Arrival, timeout time.Duration, err error) error {
	fmt.Fprintf(env.Stdout, "Sent %s over %s.\n", res.Sent.MessageID, res.Sent.Transport)
	if err != nil {
		fmt.Fprintln(env.Stderr, "Sent, but the mailbox could not be read to confirm the arrival.")
		return err
	}
	t := res.Text(timeout)
	fmt.Fprintln(env.Stdout, sentence(t.What))
	if at := res.AuthText(); at.What != "" {
		fmt.Fprintln(env.Stdout, sentence(at.What))
	}
	if t.Next != "" {
		fmt.Fprintln(env.Stdout, sentence(t.Next))
	}
	if res.Place != arrival.Inbox {
		return errNotInInbox
	}
	return nil
}

func testPrintJSON(env Env, addr string, res engine.Arrival, timeout time.Duration, lookErr error) error {
	t := res.Text(timeout)
	j := testJSON{
		Address: addr, MessageID: res.Sent.MessageID, Transport: res.Sent.Transport, Place: res.Place,
		Seconds: float64(res.After.Milliseconds()) / 1000, Method: res.Method, Labels: res.Labels, What: t.What, Next: t.Next,
	}
	if res.Auth.Any() {
		j.Auth = &res.Auth
	}
	if lookErr != nil {
		j.Error = advice.What(lookErr)
		j.What, j.Next = "", nextStep(lookErr)
	}
	enc := json.NewEncoder(env.Stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // Message-IDs have angle brackets
	if err := enc.Encode(j); err != nil {
		return err
	}
	if lookErr != nil {
		return lookErr
	}
	if res.Place != arrival.Inbox {
		return errNotInInbox
	}
	return nil
}

// setIMAP stores the --imap URL of a login that succeeded (loginErr nil).
func setIMAP(env Env, addr, imapURL string, loginErr error) error {
	if loginErr != nil || imapURL == "" {
		return loginErr
	}
	return env.Engine.SetIMAP(addr, imapURL)
}
