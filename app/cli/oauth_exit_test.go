package cli_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/mailkey-app/mailkey/app/cli"
	"github.com/mailkey-app/mailkey/app/oauth"
)

// TestOAuthExitCodes checks the exit codes the README promises for the OAuth
// path: Google busy or the token endpoint stalled are temporary (6, "try
// again later"), and Ctrl-C during a token refresh is 130.
func TestOAuthExitCodes(t *testing.T) {
	old := oauth.SetTokenTimeout(300 * time.Millisecond)
	t.Cleanup(func() { oauth.SetTokenTimeout(old) })

	for _, code := range []string{"temporarily_unavailable", "server_error"} {
		t.Run(code, func(t *testing.T) {
			r := newRig(t)
			r.oauth.SetAuthorizationError(code, "")
			res, _ := r.signIn(nil)
			r.wantCode(res, cli.ExitTemporary)
			if !strings.Contains(res.stderr, "try again later") || strings.Contains(res.stderr, "client JSON") {
				t.Errorf("stderr %q: want 'try again later', not 'check the client JSON'", res.stderr)
			}
		})
	}

	t.Run("token endpoint stalls during login", func(t *testing.T) {
		r := newRig(t)
		r.oauth.SetTokenFault(func(string) (int, time.Duration) { return 0, time.Minute })
		start := time.Now()
		res, _ := r.signIn(nil)
		r.wantCode(res, cli.ExitTemporary)
		if !strings.Contains(res.stderr, "token endpoint") || !strings.Contains(res.stderr, "did not answer within") ||
			strings.Contains(res.stderr, "came back from the browser") || time.Since(start) > 5*time.Second {
			t.Errorf("after %v: stderr %q", time.Since(start), res.stderr)
		}
	})

	t.Run("token endpoint stalls during a refresh", func(t *testing.T) {
		r := newRig(t)
		res, _ := r.signIn(nil)
		r.wantCode(res, cli.ExitOK)
		r.advance(2 * time.Hour)
		r.oauth.SetTokenFault(func(string) (int, time.Duration) { return 0, time.Minute })
		start := time.Now()
		res = r.run("", "token", ann)
		r.wantCode(res, cli.ExitTemporary)
		if !strings.Contains(res.stderr, "did not answer within 300ms") || !strings.Contains(res.stderr, "try again later") ||
			time.Since(start) > 5*time.Second {
			t.Errorf("after %v: stderr %q", time.Since(start), res.stderr)
		}
	})

	t.Run("Ctrl-C during a refresh", func(t *testing.T) {
		r := newRig(t)
		res, _ := r.signIn(nil)
		r.wantCode(res, cli.ExitOK)
		r.advance(2 * time.Hour)
		oauth.SetTokenTimeout(time.Minute)
		defer oauth.SetTokenTimeout(300 * time.Millisecond)
		r.oauth.SetTokenFault(func(string) (int, time.Duration) { return 0, time.Minute })
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(200*time.Millisecond, cancel)
		var out, errb bytes.Buffer
		code := cli.Run(ctx, []string{"token", ann}, cli.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Engine: r.eng})
		t.Logf("mailkey token, interrupted → exit %d, stderr %q", code, errb.String())
		if code != cli.ExitInterrupted {
			t.Errorf("exit %d, want %d", code, cli.ExitInterrupted)
		}
	})
}
