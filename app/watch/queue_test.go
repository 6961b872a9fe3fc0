package watch_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/mail"
	"github.com/mailkey-app/mailkey/app/oauth"
	"github.com/mailkey-app/mailkey/app/queue"
	"github.com/mailkey-app/mailkey/app/secret"
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

// Queued mail of an app-password account held by a refused password (or a
// password gone from the keyring) points to the account's screen and its
// Replace app password, never to the OAuth sign-in, which such an account
// has no client for; an OAuth account's hold points to the sign-in.
func TestQueuedMailHeldByMethod(t *testing.T) {
	for _, c := range []struct {
		name   string
		rig    func(*testing.T) *rig
		err    error
		screen string
		body   string
		label  string
	}{
		{
			"app password refused", newAppPasswordRig, fmt.Errorf("%w: 535 5.7.8", mail.ErrAuthRejected), watch.ScreenAccount,
			"wait for a new app password.\nReplace the app password in mailkey", "Replace app password",
		},
		{
			"app password gone", newAppPasswordRig, secret.ErrNotFound, watch.ScreenAccount,
			"wait for a new app password", "Replace app password",
		},
		{
			"oauth", func(t *testing.T) *rig { return newRig(t, account.Production) }, fmt.Errorf("%w: invalid_grant", oauth.ErrNeedsSignIn),
			watch.ScreenSignIn, "wait for a new sign-in.\nSign in again in mailkey", "Sign in again",
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := c.rig(t)
			q := queue.Open(filepath.Join(t.TempDir(), "queue"), mail.MaxRawBytes)
			q.Now = r.clk.Now
			r.w.Queue = q
			it, err := q.AddFailed(queue.Item{Account: ann, From: ann, To: []string{"bob@example.com"}}, strings.NewReader("Subject: x\r\n\r\nhi\r\n"), c.err)
			if err != nil || it.State != queue.StateHeld {
				t.Fatalf("queued: %v, state %q", err, it.State)
			}
			found, err := r.w.Check(context.Background())
			if err != nil || len(found) != 1 || found[0].Kind != watch.QueueHeld {
				t.Fatalf("found %+v, %v", found, err)
			}
			if found[0].Screen != c.screen {
				t.Errorf("screen %q, want %q", found[0].Screen, c.screen)
			}
			r.wantNotified(1, c.body)
			if n := r.srv.Received()[0]; len(n.Actions) != 4 || n.Actions[1] != c.label || n.Actions[3] != c.label {
				t.Errorf("actions %q, want the label %q", n.Actions, c.label)
			}
		})
	}
}

// The watcher words its notifications with Local when set (the GUI's
// translations): the body and the button's label.
func TestNotificationWordedByLocal(t *testing.T) {
	r := newRig(t, account.Testing)
	r.w.Local = func(tx advice.Text) (string, string) {
		if tx.Next == "" {
			return "<" + tx.Key + ">", ""
		}
		return "<" + tx.Key + ".what>", "<" + tx.Key + ".next>"
	}
	r.at(day(6) + time.Hour)
	r.check()
	r.wantNotified(1, "<watch.ends_soon.what>.\n<watch.ends_soon.next>.")
	if n := r.srv.Received()[0]; len(n.Actions) != 4 || n.Actions[1] != "<watch.action_sign_in>" {
		t.Errorf("actions %q", n.Actions)
	}
}
