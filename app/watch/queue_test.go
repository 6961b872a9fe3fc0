package watch_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/mail"
	"github.com/mailkey-app/mailkey/app/oauth"
	"github.com/mailkey-app/mailkey/app/queue"
	"github.com/mailkey-app/mailkey/app/watch"
)

// Queued mail waiting for a sign-in, and queued mail failed for good, are
// notified once per event: a hold once per account until it ends, each
// failed message once.
func TestQueuedMailNotified(t *testing.T) {
	r := newRig(t, account.Production)
	q := queue.Open(filepath.Join(t.TempDir(), "queue"), mail.MaxRawBytes)
	q.Now = r.clk.Now
	r.w.Queue = q
	add := func(to string, err error) queue.Item {
		t.Helper()
		it, aerr := q.AddFailed(queue.Item{Account: ann, From: ann, To: []string{to}}, strings.NewReader("Subject: x\r\n\r\nhi\r\n"), err)
		if aerr != nil {
			t.Fatal(aerr)
		}
		return it
	}
	held := fmt.Errorf("%w: invalid_grant", oauth.ErrNeedsSignIn)
	add("bob@example.com", held)
	add("carol@example.com", held)
	if k := r.check(); len(k) != 1 || k[0] != watch.QueueHeld {
		t.Fatalf("held: %v", k)
	}
	r.wantNotified(1, "2 queued message(s) from "+ann+" wait for a new sign-in")
	r.at(day(1))
	add("dan@example.com", held)
	r.check()
	r.wantNotified(1, "") // the same hold: said once

	refused := fmt.Errorf("%w: 550 5.1.1 no such user", mail.ErrNoMailbox)
	gone := add("gone@example.com", refused)
	if gone.State != queue.StateFailed {
		t.Fatalf("state %q", gone.State)
	}
	if k := r.check(); len(k) != 2 {
		t.Fatalf("held and failed: %v", k)
	}
	r.wantNotified(2, "to gone@example.com could not be sent")
	r.check()
	r.wantNotified(2, "")
	add("lost@example.com", refused)
	r.check()
	r.wantNotified(3, "to lost@example.com could not be sent")

	// Once the held messages are gone (sent after the sign-in), a new hold is a new event.
	items, _, _ := q.List()
	for _, it := range items {
		if it.State == queue.StateHeld {
			if err := q.Remove(it.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	r.check()
	r.wantNotified(3, "")
	r.at(day(2))
	add("erin@example.com", held)
	r.check()
	r.wantNotified(4, "1 queued message(s) from "+ann+" wait for a new sign-in")
}
