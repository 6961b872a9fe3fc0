package cli_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/mailkey-app/mailkey/app/cli"
)

// TestDeletedClientKeepsAccount: when Google answers a refresh with
// 401 deleted_client, 'mailkey token' exits 3 with the restore advice and the
// Clients page of the project, the account stays listed as needing sign-in,
// and a sign-in once the client is restored heals it.
func TestDeletedClientKeepsAccount(t *testing.T) {
	r := newRig(t)
	res, _ := r.signIn(nil, "--production")
	r.wantCode(res, cli.ExitOK)
	r.advance(2 * time.Hour) // the cached access token has expired
	r.oauth.SetClientDeleted(true)
	res = r.run("", "token", ann)
	r.wantCode(res, cli.ExitAuth)
	for _, want := range []string{
		"deleted_client", "about 6 months", "Within 30 days",
		"restore it on the Clients page, https://console.cloud.google.com/auth/clients?project=mailkey-test",
		"create a new Desktop app client",
	} {
		if !strings.Contains(res.stderr, want) {
			t.Errorf("stderr lacks %q: %s", want, res.stderr)
		}
	}
	if strings.Contains(res.stderr, "Try again in a minute") || res.stdout != "" {
		t.Errorf("stdout %q stderr %q", res.stdout, res.stderr)
	}
	res = r.run("", "accounts")
	if !strings.Contains(res.stdout, ann) || !strings.Contains(res.stdout, "needs sign-in") {
		t.Fatalf("accounts after deleted_client: %q", res.stdout)
	}
	res = r.run("", "accounts", "--json")
	var list []struct {
		Address, State string
		Reason         string `json:"needs_sign_in_reason"`
	}
	if err := json.Unmarshal([]byte(res.stdout), &list); err != nil || len(list) != 1 ||
		list[0].State != "needs sign-in" || !strings.Contains(list[0].Reason, "deleted_client") {
		t.Fatalf("accounts --json: %v %s", err, res.stdout)
	}
	r.oauth.SetClientDeleted(false) // restored on the Clients page
	res, _ = r.signIn(nil, "--production")
	r.wantCode(res, cli.ExitOK)
	if res = r.run("", "token", ann); res.code != cli.ExitOK || res.stdout == "" {
		t.Fatalf("token after restoring: %+v", res)
	}
	r.noSecretsOnDisk()
}

// TestClientIdleWarning: 'accounts' and 'accounts --json' warn when the OAuth
// client went unused for more than 150 days, and a refresh clears it.
func TestClientIdleWarning(t *testing.T) {
	r := newRig(t)
	res, _ := r.signIn(nil, "--production")
	r.wantCode(res, cli.ExitOK)
	type entry struct {
		LastRefresh *time.Time `json:"last_refresh"`
		ClientIdle  bool       `json:"client_idle"`
		Warning     string     `json:"client_idle_warning"`
	}
	accounts := func() entry {
		t.Helper()
		res := r.run("", "accounts", "--json")
		var list []entry
		if err := json.Unmarshal([]byte(res.stdout), &list); err != nil || len(list) != 1 {
			t.Fatalf("accounts --json: %v %s", err, res.stdout)
		}
		return list[0]
	}
	if e := accounts(); e.ClientIdle || e.Warning != "" {
		t.Fatalf("fresh sign-in: %+v", e)
	}
	r.advance(151 * 24 * time.Hour)
	e := accounts()
	if !e.ClientIdle || !strings.Contains(e.Warning, "about 6 months") || !strings.Contains(e.Warning, "mailkey token "+ann) {
		t.Fatalf("after 151 days: %+v", e)
	}
	if res := r.run("", "accounts"); !strings.Contains(res.stderr, "Warning: "+ann) {
		t.Fatalf("accounts: %q", res.stderr)
	}
	res = r.run("", "token", ann) // refreshes: use, in Google's eyes
	r.wantCode(res, cli.ExitOK)
	e = accounts()
	if e.ClientIdle || e.LastRefresh == nil || !e.LastRefresh.Equal(r.clock()) {
		t.Fatalf("after a refresh: %+v (now %v)", e, r.clock())
	}
}
