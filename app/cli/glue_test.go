package cli_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mailkey-app/mailkey/app/cli"
	"github.com/mailkey-app/mailkey/app/secret"
	"github.com/mailkey-app/mailkey/internal/testpeer"
)

// signInWithAlias signs ann in with OAuth, with ann@example.com as her
// verified Send mail as address and pending@example.com not verified yet.
func (r *rig) signInWithAlias(extra ...string) {
	r.t.Helper()
	r.gmail.Mailbox.SetSendAs(ann, []testpeer.SendAs{
		{SendAsEmail: ann, IsPrimary: true, IsDefault: true},
		{SendAsEmail: "ann@example.com", VerificationStatus: "accepted"},
		{SendAsEmail: "pending@example.com", VerificationStatus: "pending"},
	})
	res, _ := r.signIn(nil, append([]string{"--api", r.gmail.API.URL}, extra...)...)
	r.wantCode(res, cli.ExitOK)
}

// The relay accepts the account's verified Send mail as addresses as
// envelope sender and From, and refuses any other with a warning in its log.
func TestRelayAcceptsVerifiedAliases(t *testing.T) {
	rr := newRelayRig(t)
	rr.signInWithAlias("--production")
	res := rr.run("", "relay", "add-password", ann, "cron")
	rr.wantCode(res, cli.ExitOK)
	pw := strings.TrimSpace(res.stdout)
	rr.start()
	out, code := rr.python(map[string]any{"user": ann, "password": pw, "from": "ann@example.com", "to": []string{"bob@example.com"}})
	if code != 0 || !strings.HasPrefix(out, "ok") {
		t.Fatalf("sending as the verified alias: %s (%d)\n%s", out, code, rr.log.String())
	}
	m := waitMessages(t, rr.smtp, 1, rr.log.String)
	if m[0].From != "ann@example.com" || !strings.EqualFold(m[0].User, ann) || !strings.Contains(string(m[0].Data), "From: ann@example.com") {
		t.Fatalf("delivered MAIL FROM %q as %q:\n%s", m[0].From, m[0].User, m[0].Data)
	}
	for _, tt := range []struct{ name, from, header string }{
		{"envelope", "pending@example.com", "pending@example.com"},
		{"From header", ann, "pending@example.com"},
	} {
		out, code := rr.python(map[string]any{"user": ann, "password": pw, "from": tt.from, "header_from": tt.header, "to": []string{"bob@example.com"}})
		if code != 3 || !strings.HasPrefix(out, "553") {
			t.Fatalf("%s not verified: %s (%d)", tt.name, out, code)
		}
	}
	want := "Warning: refused a message from pending@example.com (cron): Pending@example.com is not a verified Send mail as address of " + ann
	if got := rr.log.String(); strings.Count(got, want) != 2 {
		t.Fatalf("the relay's log lacks the warning twice %q:\n%s", want, got)
	}
}

// sendmail warns on stderr about a From Gmail would rewrite, and sends as
// is a verified alias's From without a warning.
func TestSendmailWarnsAboutAnUnverifiedFrom(t *testing.T) {
	r := newRig(t)
	r.useState()
	r.signInWithAlias("--production")
	res := r.run("From: pending@example.com\nSubject: x\n\nhi\n", "sendmail", "-f", ann, "bob@example.com")
	r.wantCode(res, cli.ExitOK)
	if !strings.Contains(res.stderr, "mailkey sendmail: Warning: Pending@example.com is not a verified Send mail as address of "+ann) {
		t.Errorf("stderr %q", res.stderr)
	}
	res = r.run("From: ann@example.com\nSubject: x\n\nhi\n", "sendmail", "bob@example.com")
	r.wantCode(res, cli.ExitOK)
	if strings.Contains(res.stderr, "Warning") {
		t.Errorf("a verified alias warned: %q", res.stderr)
	}
}

// An OAuth account that needs a new sign-in holds its queue in the relay
// until the sign-in, then the relay sends it; the relay's own watcher
// notifies the held mail, once.
func TestRelayHoldsUntilSignInAndNotifies(t *testing.T) {
	rr := newRelayRig(t)
	srv, err := testpeer.StartNotifications()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	rr.env = append(rr.env, cli.NotifyNameEnv+"="+srv.Name, cli.PollEnv+"=300ms")
	rr.signInWithAlias("--production")
	rr.oauth.RevokeUser(ann)
	rr.advance(2 * time.Hour)
	res := rr.run("Subject: held\n\nhi\n", "sendmail", "bob@example.com")
	rr.wantCode(res, cli.ExitOK)
	if !strings.Contains(rr.run("", "queue", "--json").stdout, `"state": "held"`) {
		t.Fatal("not held")
	}
	rr.start()
	deadline := time.Now().Add(10 * time.Second)
	for !notified(srv, "wait for a new sign-in") && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if !notified(srv, "1 queued message(s) from "+ann+" wait for a new sign-in") {
		t.Fatalf("no notification of the held mail: %v\n%s", srv.Received(), rr.log.String())
	}
	time.Sleep(time.Second) // several delivery passes: still held, nothing sent
	if n := len(rr.smtp.Messages()); n != 0 {
		t.Fatalf("%d messages sent before the sign-in", n)
	}
	res, _ = rr.signIn(nil, "--production", "--api", rr.gmail.API.URL)
	rr.wantCode(res, cli.ExitOK)
	m := waitMessages(t, rr.smtp, 1, rr.log.String)
	if m[0].Mech != "XOAUTH2" || !strings.Contains(string(m[0].Data), "Subject: held") {
		t.Fatalf("delivered %+v", m[0])
	}
	if got := countNotified(srv, "wait for a new sign-in"); got != 1 {
		t.Fatalf("%d notifications of the held mail, want 1", got)
	}
}

func notified(srv *testpeer.Notifications, text string) bool { return countNotified(srv, text) > 0 }

func countNotified(srv *testpeer.Notifications, text string) int {
	n := 0
	for _, x := range srv.Received() {
		if strings.Contains(x.Body, text) {
			n++
		}
	}
	return n
}

// A full disk under the queue: the relay answers 452 and says so in its
// log. The relay runs in a user and mount namespace of its own (unshare
// -rm), with its queue directory on a tiny tmpfs filled up.
func TestRelayFullDiskAnswers452(t *testing.T) {
	if err := exec.Command("unshare", "-rm", "true").Run(); err != nil {
		t.Skipf("needs unshare -rm (user and mount namespaces): %v", err)
	}
	rr := newRelayRig(t)
	qdir := filepath.Join(os.Getenv("XDG_STATE_HOME"), "mailkey", "queue")
	if err := os.MkdirAll(qdir, 0o700); err != nil {
		t.Fatal(err)
	}
	rr.loginAnn(rr.smtp.StartTLSURL())
	res := rr.run("", "relay", "add-password", ann, "nas")
	rr.wantCode(res, cli.ExitOK)
	pw := strings.TrimSpace(res.stdout)
	rr.prefix = []string{
		"unshare", "-rm", "sh", "-ec",
		`mount -t tmpfs -o size=64k,mode=0700 tmpfs "$0"; dd if=/dev/zero of="$0"/fill bs=1k 2>/dev/null || true; exec "$@"`, qdir,
	}
	rr.start()
	out, code := rr.python(map[string]any{"user": ann, "password": pw, "from": ann, "to": []string{"bob@example.com"}})
	if code != 3 || !strings.HasPrefix(out, "452") || !strings.Contains(out, "storage") {
		t.Fatalf("a full disk: %s (%d)\n%s", out, code, rr.log.String())
	}
	if !strings.Contains(rr.log.String(), "refused a message") {
		t.Fatalf("the log does not say why:\n%s", rr.log.String())
	}
	if n := len(rr.smtp.Messages()); n != 0 {
		t.Fatalf("%d messages sent", n)
	}
}

// Removing an account revokes its relay passwords (keyring and list) and
// fails its queued messages with "account removed": they stay in the
// queue, listed, never deleted unsent.
func TestRemoveRevokesRelayPasswordsAndFailsTheQueue(t *testing.T) {
	r := newRig(t)
	r.useState()
	r.loginAnn(r.smtp.StartTLSURL())
	for _, label := range []string{"nas", "cron"} {
		r.wantCode(r.run("", "relay", "add-password", ann, label), cli.ExitOK)
	}
	r.smtp.Close()
	r.wantCode(r.run("Subject: later\n\nhi\n", "sendmail", "bob@example.com"), cli.ExitOK)

	res := r.run("", "remove", ann)
	r.wantCode(res, cli.ExitOK)
	for _, want := range []string{
		"Revoked its relay passwords: nas, cron.", "1 queued message(s) from " + ann + " were not sent",
		"to bob@example.com", "mailkey queue drop ID",
	} {
		if !strings.Contains(res.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, res.stderr)
		}
	}
	for _, label := range []string{"nas", "cron"} {
		if v, err := r.keyring.Get(context.Background(), ann, secret.Kind("relay-password/"+label)); !errors.Is(err, secret.ErrNotFound) {
			t.Errorf("relay password %s still in the keyring (%q, %v)", label, v, err)
		}
	}
	if data, err := os.ReadFile(filepath.Join(r.dir, "relay-passwords.json")); err != nil || strings.Contains(string(data), ann) {
		t.Errorf("relay-passwords.json: %s, %v", data, err)
	}
	res = r.run("", "queue", "--json")
	if !strings.Contains(res.stdout, `"state": "failed"`) || !strings.Contains(res.stdout, "was removed from mailkey") {
		t.Errorf("queue after the removal: %s", res.stdout)
	}
	res = r.run("", "relay", "passwords")
	if strings.Contains(res.stdout, ann) {
		t.Errorf("relay passwords after the removal: %s", res.stdout)
	}
}

// An OAuth sign-in over an address saved with an app password replaces it,
// as the CLI always did, and says on stderr what it replaced (issue 11,
// defect 4); signing in again over an OAuth account says so too.
func TestOAuthLoginSaysWhatItReplaced(t *testing.T) {
	r := newRig(t)
	r.loginFor("app-password")
	res, _ := r.signIn(nil)
	r.wantCode(res, cli.ExitOK)
	for _, want := range []string{"Replaced the account saved for " + ann, "app password", "deleted from the keyring"} {
		if !strings.Contains(res.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, res.stderr)
		}
	}
	if _, err := r.keyring.Get(context.Background(), ann, secret.AppPassword); !errors.Is(err, secret.ErrNotFound) {
		t.Errorf("the app password after the OAuth sign-in: %v", err)
	}
	res, _ = r.signIn(nil)
	r.wantCode(res, cli.ExitOK)
	if !strings.Contains(res.stderr, "previous sign-in tokens and client secret were replaced") {
		t.Errorf("signing in again:\n%s", res.stderr)
	}
}
