package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/cli"
	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/mailkey-app/mailkey/app/secret"
	"github.com/mailkey-app/mailkey/app/secret/secrettest"
)

// A cron job's sendmail while the keyring is locked queues the message, and
// 'mailkey queue' says why in the words sendmail used (as it did before the
// queue kept facts, commit 4c2f160), not in general words: the queue's file
// holds the facts only. Once the keyring answers, the message goes out.
func TestSendmailWithTheKeyringLockedSaysSoInTheQueue(t *testing.T) {
	r := newRig(t)
	r.useState()
	r.loginAnn(r.smtp.StartTLSURL())
	real := r.keyring
	r.eng.Use(engine.WithSecrets(secret.NewWithBackend(secrettest.Locked{}, r.service, time.Second)))

	const what = "could not read the app password of " + ann + " from the system keyring (it refused the request)"
	res := r.run(cronMail, "sendmail", "-t", "-i")
	r.wantCode(res, cli.ExitOK)
	if !strings.Contains(res.stderr, "queued as") || !strings.Contains(res.stderr, "C"+what[1:]) {
		t.Fatalf("stderr: %s\nwant it queued, and %q", res.stderr, what)
	}
	res = r.run("", "queue")
	r.wantCode(res, cli.ExitOK)
	if !strings.Contains(res.stdout, "Could not read the app password of "+ann+" from the system keyring (it refused the request)") {
		t.Fatalf("queue: %s", res.stdout)
	}
	list := r.queueJSON()
	if list[0].State != "queued" || list[0].LastError != what || !strings.Contains(list[0].LastNext, "unlocked") {
		t.Fatalf("queue --json: %+v", list[0])
	}
	data, err := os.ReadFile(filepath.Join(r.queue().Dir(), list[0].ID+".json"))
	if err != nil || !strings.Contains(string(data), `"kind": "keyring_unavailable"`) || strings.Contains(string(data), "could not read") ||
		strings.Contains(string(data), "secret.") || strings.Contains(string(data), "unlock correct collection") {
		t.Fatalf("queue file: %v\n%s", err, data)
	}

	// The keyring answers again: flush sends it.
	r.eng.Use(engine.WithSecrets(real))
	res = r.run("", "queue", "flush")
	if !strings.Contains(res.stdout, "sent 1, queued 0") {
		t.Fatalf("flush: %+v", res)
	}
}

// A queued message whose account's SMTP URL cannot be used (no scheme, as
// people write it) fails in 'queue flush', and 'mailkey queue' says the URL's
// own error and its next step, as it did in commit 4c2f160, not in general
// words.
func TestQueueSaysABadSMTPURLAsItWas(t *testing.T) {
	r := newRig(t)
	r.useState()
	r.loginAnn(r.smtp.StartTLSURL())
	real := r.keyring
	r.eng.Use(engine.WithSecrets(secret.NewWithBackend(secrettest.Locked{}, r.service, time.Second)))
	r.wantCode(r.run(cronMail, "sendmail", "-t", "-i"), cli.ExitOK) // queued: no keyring
	if err := r.accounts.Modify(ann, func(a *account.Account) { a.SMTP = "smtp.gmail.com:587" }); err != nil {
		t.Fatal(err)
	}
	r.eng.Use(engine.WithSecrets(real))
	r.run("", "queue", "flush")

	const what = `"smtp.gmail.com:587" is not a usable SMTP URL: the scheme must be smtp or smtps`
	const next = "Use smtp://smtp.gmail.com:587 (STARTTLS) or smtps://smtp.gmail.com:465 (TLS)"
	res := r.run("", "queue")
	r.wantCode(res, cli.ExitOK)
	if !strings.Contains(res.stdout, what) || strings.Contains(res.stdout, "last try failed") {
		t.Fatalf("queue: %s\nwant %q", res.stdout, what)
	}
	if list := r.queueJSON(); list[0].LastError != what || list[0].LastNext != next {
		t.Fatalf("queue --json: %+v\nwant %q, next %q", list[0], what, next)
	}
}

// queuedJSON is a message as 'mailkey queue --json' lists it.
type queuedJSON struct {
	ID        string `json:"id"`
	State     string `json:"state"`
	LastError string `json:"last_error"`
	LastNext  string `json:"last_error_next"`
}

// queueJSON returns what 'mailkey queue --json' lists: one message.
func (r *rig) queueJSON() []queuedJSON {
	r.t.Helper()
	var list []queuedJSON
	res := r.run("", "queue", "--json")
	if err := json.Unmarshal([]byte(res.stdout), &list); err != nil || len(list) != 1 {
		r.t.Fatalf("queue --json: %v %s", err, res.stdout)
	}
	return list
}
