package cli_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/mailkey-app/mailkey/app/cli"
	"github.com/mailkey-app/mailkey/internal/testpeer"
)

func TestSendAsAliases(t *testing.T) {
	r := newRig(t)
	r.gmail.Mailbox.SetSendAs(ann, []testpeer.SendAs{
		{SendAsEmail: ann, IsPrimary: true, IsDefault: true},
		{SendAsEmail: "ann@example.com", DisplayName: "Ann", TreatAsAlias: true, VerificationStatus: "accepted"},
		{SendAsEmail: "pending@example.com", VerificationStatus: "pending"},
	})
	res, _ := r.signIn(nil, "--api", r.gmail.API.URL)
	r.wantCode(res, cli.ExitOK)
	if !strings.Contains(res.stderr, "You can also send as ann@example.com") || strings.Contains(res.stderr, "pending@") {
		t.Errorf("sign-in stderr %q: want the verified alias only", res.stderr)
	}
	res = r.run("", "accounts", "--json")
	var list []map[string]any
	if err := json.Unmarshal([]byte(res.stdout), &list); err != nil || len(list) != 1 {
		t.Fatalf("accounts: %v %v", list, err)
	}
	if got, _ := json.Marshal(list[0]["send_as"]); string(got) != `["ann@example.com"]` {
		t.Errorf("send_as = %s", got)
	}

	// A verified alias is accepted as --from, through ann's account, without a warning.
	res = r.run("", "send", "--from", "Ann <ann@example.com>", "--to", "bob@example.com", "--subject", "s", "--body", "b")
	r.wantCode(res, cli.ExitOK)
	if strings.Contains(res.stderr, "Warning") {
		t.Errorf("stderr %q", res.stderr)
	}
	msgs := r.smtp.Messages()
	if last := msgs[len(msgs)-1]; last.From != "ann@example.com" || !strings.EqualFold(last.User, ann) {
		t.Errorf("MAIL FROM %q as %q; want the alias, signed in as ann", last.From, last.User)
	}
	// An unverified From is warned about before sending.
	res = r.run("", "send", "--from", "pending@example.com", "--account", ann, "--to", "bob@example.com", "--subject", "s", "--body", "b")
	r.wantCode(res, cli.ExitOK)
	if !strings.Contains(res.stderr, "Warning: Pending@example.com is not a verified Send mail as address of "+ann+": Gmail will rewrite the From to "+ann) {
		t.Errorf("stderr %q", res.stderr)
	}
	// Gmail (the stand-in) rewrote it, as the warning said; the verified alias stayed.
	res = r.run("", "send", "--from", "pending@example.com", "--account", ann, "--to", "bob@example.com", "--subject", "s2", "--body", "b")
	r.wantCode(res, cli.ExitOK)
	raw := string(r.gmail.Mailbox.Message("bob@example.com", strings.TrimSpace(res.stdout)))
	if !strings.Contains(raw, "From: "+ann+"\r\n") || strings.Contains(raw, "pending@example.com") {
		t.Errorf("delivered %q: want the From rewritten to %s", raw, ann)
	}
	res = r.run("", "send", "--from", "ann@example.com", "--to", "bob@example.com", "--subject", "s3", "--body", "b")
	if raw := string(r.gmail.Mailbox.Message("bob@example.com", strings.TrimSpace(res.stdout))); !strings.Contains(raw, "From: <ann@example.com>") {
		t.Errorf("delivered %q: want the alias kept", raw)
	}
	// Without --account, an address that is neither an account nor an alias is no account.
	r.wantCode(r.run("", "send", "--from", "pending@example.com", "--to", "bob@example.com", "--subject", "s", "--body", "b"), cli.ExitNoAccount)

	// Check again (doctor) reads the list again.
	r.gmail.Mailbox.SetSendAs(ann, []testpeer.SendAs{
		{SendAsEmail: ann, IsPrimary: true},
		{SendAsEmail: "pending@example.com", VerificationStatus: "accepted"},
	})
	r.run("", "doctor", ann)
	res = r.run("", "aliases", ann)
	r.wantCode(res, cli.ExitOK)
	if res.stdout != "pending@example.com\n" {
		t.Errorf("aliases: %q", res.stdout)
	}
	if a, err := r.accounts.Get(ann); err != nil || len(a.SendAs) != 1 || a.SendAs[0] != "pending@example.com" {
		t.Errorf("stored %v, %v", a.SendAs, err)
	}
}

func TestAppPasswordHasNoAliasList(t *testing.T) {
	r := newRig(t)
	r.wantCode(r.run(annShown, "login", "--app-password", "--email", ann, "--smtp", r.smtp.StartTLSURL()), cli.ExitOK)
	res := r.run("", "aliases", ann)
	r.wantCode(res, cli.ExitFailure)
	if !strings.Contains(res.stderr, "cannot list the Send mail as addresses") {
		t.Errorf("stderr %q", res.stderr)
	}
	res = r.run("", "send", "--from", "ann@example.com", "--account", ann, "--to", "bob@example.com", "--subject", "s", "--body", "b")
	r.wantCode(res, cli.ExitOK)
	if !strings.Contains(res.stderr, "Warning: mailkey cannot list the Send mail as addresses of "+ann) {
		t.Errorf("stderr %q", res.stderr)
	}
}
