package cli

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/mailkey-app/mailkey/app/oauth"
)

const usageDoctor = "mailkey doctor ADDR"

// errChecksFailed means at least one health check failed.
var errChecksFailed = errors.New("health checks failed")

// doctor prints the account's health list, one line per check, and fails when
// a check failed: with ExitAuth when signing in again is the fix.
func doctor(ctx context.Context, env Env, args []string) error {
	fs := newFlags("doctor")
	if err := parse(fs, usageDoctor, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef(usageDoctor, "doctor takes one account address")
	}
	checks, err := env.Engine.Doctor(ctx, fs.Arg(0))
	if err != nil {
		return err
	}
	failed, signIn := 0, false
	for _, c := range checks {
		printCheck(env.Stdout, c)
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
	return advice.New(errChecksFailed, what, "Fix the items marked ✗, then run 'mailkey doctor "+fs.Arg(0)+"' again")
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
	if c.Fix != "" {
		fmt.Fprintf(w, "    %s\n", sentence(c.Fix))
	}
	if c.Link != "" {
		fmt.Fprintf(w, "    %s\n", c.Link)
	}
}
