package cli

import (
	"context"
	"fmt"
	"sync"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/spf13/cobra"
)

const usageStatus = "mailkey status [--json]"

// errNotUsable means at least one account cannot send now.
var errNotUsable = advice.Sentinel(advice.Failure, "accounts not usable")

// statusJSON is one account in 'mailkey status --json'.
type statusJSON struct {
	Address string `json:"address"`
	Method  string `json:"method"`
	Check   string `json:"check"` // token-refresh or smtp-login
	Usable  bool   `json:"usable"`
	Error   string `json:"error,omitempty"`
	Next    string `json:"next,omitempty"`
}

func statusCmd(env Env) *cobra.Command {
	c := &cobra.Command{
		Use: "status", Short: "Check every account live: can it send now?",
		Long: "Status checks every account over the network, cheaply: an OAuth account refreshes its access token, " +
			"an app password logs in to the SMTP server (nothing is sent). It exits 0 only when every account is usable; " +
			"'mailkey doctor ADDR' checks one account in depth.",
	}
	asJSON := c.Flags().Bool("json", false, "print the results as JSON")
	c.RunE = func(c *cobra.Command, args []string) error {
		if len(args) > 0 {
			return usagef(usageStatus, "status takes no arguments")
		}
		return status(c.Context(), env, *asJSON)
	}
	return withUsage(c, usageStatus)
}

// status probes every account at once and prints one result per account,
// in the accounts' order.
func status(ctx context.Context, env Env, asJSON bool) error {
	list, err := env.Engine.List()
	if err != nil {
		return err
	}
	if len(list) == 0 {
		if asJSON {
			fmt.Fprintln(env.Stdout, "[]")
		}
		return advice.New(account.ErrNotFound, "no accounts yet", "Add one with 'mailkey login' (see 'mailkey help login') or in the app")
	}
	errs := make([]error, len(list))
	var wg sync.WaitGroup
	for i, a := range list {
		wg.Go(func() { errs[i] = env.Engine.Probe(ctx, a.Address) })
	}
	wg.Wait()
	if ctx.Err() != nil {
		return ctx.Err()
	}
	out := make([]statusJSON, len(list))
	var failed []error
	for i, a := range list {
		out[i] = statusResult(a, errs[i])
		if errs[i] != nil {
			failed = append(failed, errs[i])
		}
	}
	if asJSON {
		if err := writeJSON(env.Stdout, out); err != nil {
			return err
		}
	} else {
		printStatus(env, out)
	}
	return notUsable(failed, len(list))
}

func statusResult(a engine.Info, err error) statusJSON {
	j := statusJSON{Address: a.Address, Method: string(a.Method), Check: "smtp-login", Usable: err == nil}
	if a.Method == account.OAuth {
		j.Check = "token-refresh"
	}
	if err != nil {
		j.Error, j.Next = sentence(advice.What(err)), sentence(nextStep(err))
	}
	return j
}

func printStatus(env Env, list []statusJSON) {
	for _, s := range list {
		how := "app password, SMTP login accepted"
		if s.Check == "token-refresh" {
			how = "OAuth 2.0, access token refreshed"
		}
		if s.Usable {
			fmt.Fprintf(env.Stdout, "✓ %s: %s\n", s.Address, how)
			continue
		}
		fmt.Fprintf(env.Stdout, "✗ %s: %s\n", s.Address, s.Error)
		if s.Next != "" {
			fmt.Fprintf(env.Stdout, "    %s\n", s.Next)
		}
	}
}

// notUsable is status's error: nil when every account is usable, else one
// whose exit code is the failures' when they share one.
func notUsable(failed []error, total int) error {
	if len(failed) == 0 {
		return nil
	}
	what := fmt.Sprintf("%d of %d accounts cannot send now", len(failed), total)
	if total == 1 {
		what = "the account cannot send now"
	}
	next := "Follow the advice given for each account; 'mailkey doctor ADDR' checks one in depth"
	err := errNotUsable
	code := codeOf(failed[0])
	for _, f := range failed[1:] {
		if codeOf(f) != code {
			return advice.New(err, what, next)
		}
	}
	return advice.New(fmt.Errorf("%w: %w", errNotUsable, failed[0]), what, next)
}
