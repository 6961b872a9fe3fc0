package cli_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/mailkey-app/mailkey/app/cli"
)

type statusEntry struct {
	Address, Method, Check, Error, Next string
	Usable                              bool
}

func statusJSON(t *testing.T, res result) []statusEntry {
	t.Helper()
	var list []statusEntry
	if err := json.Unmarshal([]byte(res.stdout), &list); err != nil {
		t.Fatalf("status --json: %v: %q", err, res.stdout)
	}
	return list
}

// An app password is checked by an SMTP login, every time: nothing cached.
func TestStatusAppPassword(t *testing.T) {
	r := newRig(t)
	r.loginAnn(r.smtp.StartTLSURL())
	before := r.smtp.AuthAttempts()
	res := r.run("", "status")
	r.wantCode(res, cli.ExitOK)
	if res.stdout != "✓ "+ann+": app password, SMTP login accepted\n" || res.stderr != "" {
		t.Fatalf("status: %+v", res)
	}
	res = r.run("", "status", "--json")
	r.wantCode(res, cli.ExitOK)
	if l := statusJSON(t, res); len(l) != 1 || !l[0].Usable || l[0].Check != "smtp-login" || l[0].Method != "app-password" {
		t.Fatalf("status --json: %+v", l)
	}
	if got := r.smtp.AuthAttempts() - before; got != 2 {
		t.Fatalf("%d SMTP logins for two status runs, want 2", got)
	}
	if len(r.smtp.Messages()) != 0 {
		t.Fatal("status sent a message")
	}
	// The server down: not usable, a temporary failure.
	_ = r.smtp.Close()
	res = r.run("", "status", "--json")
	r.wantCode(res, cli.ExitTemporary)
	if l := statusJSON(t, res); len(l) != 1 || l[0].Usable || l[0].Error == "" {
		t.Fatalf("status --json with the server down: %+v", l)
	}
	if !strings.Contains(res.stderr, "The account cannot send now") {
		t.Errorf("stderr %q", res.stderr)
	}
}

// An OAuth account is checked by a token refresh, even while its cached
// access token is valid; an app-password account beside it fails nothing.
// A revoked sign-in makes status fail with the sign-in's exit code.
func TestStatusOAuthAndAppPassword(t *testing.T) {
	r := newRig(t)
	const zoe = "zoe@gmail.com"
	r.oauth.AddTestUser(zoe)
	r.oauth.SetSignInAs(zoe)
	res, _ := r.signIn(nil)
	r.wantCode(res, cli.ExitOK)
	r.loginAnn(r.smtp.StartTLSURL())
	hits := r.oauth.TokenHits()
	res = r.run("", "status")
	r.wantCode(res, cli.ExitOK)
	for _, want := range []string{"✓ " + ann + ": app password, SMTP login accepted", "✓ " + zoe + ": OAuth 2.0, access token refreshed"} {
		if !strings.Contains(res.stdout, want) {
			t.Errorf("status lacks %q: %q", want, res.stdout)
		}
	}
	if got := r.oauth.TokenHits() - hits; got != 1 {
		t.Fatalf("%d token requests, want 1 refresh", got)
	}

	r.oauth.RevokeUser(zoe)
	res = r.run("", "status", "--json")
	r.wantCode(res, cli.ExitAuth)
	byAddr := map[string]statusEntry{}
	for _, e := range statusJSON(t, res) {
		byAddr[e.Address] = e
	}
	if z := byAddr[zoe]; z.Usable || z.Check != "token-refresh" || !strings.Contains(z.Next, "ign in again") {
		t.Errorf("zoe after revocation: %+v", z)
	}
	if a := byAddr[ann]; !a.Usable {
		t.Errorf("ann: %+v", a)
	}
	if !strings.Contains(res.stderr, "1 of 2 accounts cannot send now") {
		t.Errorf("stderr %q", res.stderr)
	}
	res = r.run("", "status")
	r.wantCode(res, cli.ExitAuth)
	if !strings.Contains(res.stdout, "✗ "+zoe+": ") || !strings.Contains(res.stdout, "✓ "+ann) {
		t.Errorf("status: %q", res.stdout)
	}
}

func TestStatusWithoutAccounts(t *testing.T) {
	r := newRig(t)
	res := r.run("", "status")
	r.wantCode(res, cli.ExitNoAccount)
	if !strings.Contains(res.stderr, "No accounts yet") {
		t.Errorf("status: %+v", res)
	}
	res = r.run("", "status", "--json")
	r.wantCode(res, cli.ExitNoAccount)
	if strings.TrimSpace(res.stdout) != "[]" {
		t.Errorf("status --json: %q", res.stdout)
	}
	r.wantCode(r.run("", "status", ann), cli.ExitUsage)
}
