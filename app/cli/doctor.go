package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/mailkey-app/mailkey/app/oauth"
	"github.com/spf13/cobra"
)

const usageDoctor = "mailkey doctor [--json] ADDR"

// errChecksFailed means at least one health check failed.
var errChecksFailed = advice.Sentinel(advice.Failure, "health checks failed")

// doctor prints the account's health list, one line per check, and fails when
// a check failed: with ExitAuth when signing in again is the fix.
func doctorCmd(env Env) *cobra.Command {
	c := &cobra.Command{
		Use: "doctor ADDR", Short: "Check an account's health, one line per check", ValidArgsFunction: completeAccounts(env),
		Long: "Doctor checks an account over the network: for OAuth, the permission granted, the Gmail API, the signed-in " +
			"address, the SMTP login and the client's recent use; for an app password, the SMTP login. It fails when a check fails.",
	}
	asJSON := c.Flags().Bool("json", false, "print the checks as JSON")
	c.RunE = func(c *cobra.Command, args []string) error {
		if len(args) != 1 {
			return usagef(usageDoctor, "doctor takes one account address")
		}
		return doctor(c.Context(), env, args[0], *asJSON)
	}
	return withUsage(c, usageDoctor)
}

func doctor(ctx context.Context, env Env, addr string, asJSON bool) error {
	checks, err := env.Engine.Doctor(ctx, addr)
	if err != nil {
		return err
	}
	if asJSON {
		if err := printChecksJSON(env.Stdout, addr, checks); err != nil {
			return err
		}
	}
	failed, signIn := 0, false
	for _, c := range checks {
		if !asJSON {
			printCheck(env.Stdout, c)
		}
		if c.Failed() {
			failed++
			signIn = signIn || c.SignIn
		}
	}
	if failed == 0 {
		return nil
	}
	what := "1 check failed"
	if failed > 1 {
		what = fmt.Sprintf("%d checks failed", failed)
	}
	if signIn {
		return advice.New(fmt.Errorf("%w: %w", errChecksFailed, oauth.ErrNeedsSignIn), what,
			"Sign in again: mailkey login --client-secret FILE (or Sign in again in the app)")
	}
	return advice.New(errChecksFailed, what, "Fix the items marked ✗, then run 'mailkey doctor "+addr+"' again")
}

// checkFix is what fixes a failed check, in the command line's words when
// its advice carries a typed next action.
func checkFix(c engine.Check) string {
	if c.Text.Action != advice.NoAction {
		return nextOf(c.Text)
	}
	return c.Fix
}

func printCheck(w io.Writer, c engine.Check) {
	switch {
	case c.OK:
		fmt.Fprintf(w, "✓ %s\n", c.Title)
	case c.Skipped:
		fmt.Fprintf(w, "– %s: %s\n", c.Title, sentence(c.Detail))
		return
	default:
		fmt.Fprintf(w, "✗ %s: %s\n", c.Title, sentence(c.Detail))
	}
	if c.OK {
		return
	}
	if fix := checkFix(c); fix != "" {
		fmt.Fprintf(w, "    %s\n", sentence(fix))
	}
	if c.Link != "" {
		fmt.Fprintf(w, "    %s\n", c.Link)
	}
}

// checkJSON is one check in 'mailkey doctor --json'.
type checkJSON struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Result string `json:"result"` // ok, failed or skipped
	Detail string `json:"detail,omitempty"`
	Fix    string `json:"fix,omitempty"`
	Link   string `json:"link,omitempty"`
	SignIn bool   `json:"sign_in_needed,omitempty"`
}

func printChecksJSON(w io.Writer, addr string, checks []engine.Check) error {
	out := struct {
		Address string      `json:"address"`
		OK      bool        `json:"ok"`
		Checks  []checkJSON `json:"checks"`
	}{Address: addr, OK: true, Checks: make([]checkJSON, 0, len(checks))}
	for _, c := range checks {
		j := checkJSON{ID: c.ID, Title: c.Title, Result: "ok", Link: c.Link, SignIn: c.SignIn}
		switch {
		case c.Skipped:
			j.Result = "skipped"
		case c.Failed():
			j.Result, out.OK = "failed", false
		}
		if !c.OK {
			j.Detail, j.Fix = sentence(c.Detail), sentence(checkFix(c))
		}
		out.Checks = append(out.Checks, j)
	}
	return writeJSON(w, out)
}

// writeJSON writes v as indented JSON.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
