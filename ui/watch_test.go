package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/mail"
	"github.com/mailkey-app/mailkey/app/oauth"
	"github.com/mailkey-app/mailkey/app/queue"
	"github.com/mailkey-app/mailkey/internal/testpeer"
)

// While the app is open, a sign-in about to end gets a notification and a
// badge in the sidebar; a click on the notification shows the sign-in.
func TestRemindersWhileOpen(t *testing.T) {
	h, srv := newRemindersHarness(t)
	// Signed in 6.5 days ago with the app in Testing: no refresh is due, so no network is needed.
	if err := h.env.Accounts.Put(account.Account{
		Address: ann, Method: account.OAuth, Publishing: account.Testing,
		SignedInAt: time.Now().Add(-156 * time.Hour), SMTP: h.gm.SMTP.StartTLSURL(),
	}); err != nil {
		t.Fatal(err)
	}
	h.g.accountsChanged()
	h.settle()
	startReminders(t, h, srv)
	waitFor(t, h, "a notification", func() bool { return len(srv.Received()) == 1 })
	waitFor(t, h, "the badge", func() bool {
		return strings.Contains(h.g.accountBadge(ann, "x"), "Sign-in ends within a day")
	})
	if err := srv.Invoke(srv.Received()[0].ID, "default"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, h, "the sign-in screen", func() bool { return h.g.stage.name == "sign-in" })
}

// newRemindersHarness is a harness with a state dir of its own and a
// recording notification service.
func newRemindersHarness(t *testing.T) (*harness, *testpeer.Notifications) {
	t.Helper()
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	h := newHarness(t)
	srv, err := testpeer.StartNotifications()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return h, srv
}

// startReminders runs the app's watcher on srv until the test ends.
func startReminders(t *testing.T, h *harness, srv *testpeer.Notifications) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { h.g.runReminders(ctx, srv.Name, time.Hour); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
}

// queueFailed queues a message from ann to bob whose first try failed with err.
func queueFailed(t *testing.T, err error) {
	t.Helper()
	q, _, qerr := queueAndDir()
	if qerr != nil {
		t.Fatal(qerr)
	}
	if _, qerr := q.AddFailed(queue.Item{Account: ann, From: ann, To: []string{"bob@example.com"}}, strings.NewReader("Subject: x\r\n\r\nhi\r\n"), err); qerr != nil {
		t.Fatal(qerr)
	}
}

// waitFor runs queued UI updates until ok holds, for up to 5 seconds.
func waitFor(t *testing.T, h *harness, what string, ok func() bool) {
	t.Helper()
	for end := time.Now().Add(5 * time.Second); time.Now().Before(end); {
		h.flush()
		if ok() {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no %s after 5 s", what)
}

// Queued mail held for a sign-in is notified while the app is open, and
// badged in the sidebar.
func TestRemindersOfHeldMail(t *testing.T) {
	h, srv := newRemindersHarness(t)
	if err := h.env.Accounts.Put(account.Account{
		Address: ann, Method: account.OAuth, Publishing: account.Production,
		SignedInAt: time.Now().Add(-time.Hour), SMTP: h.gm.SMTP.StartTLSURL(),
	}); err != nil {
		t.Fatal(err)
	}
	queueFailed(t, fmt.Errorf("%w: invalid_grant", oauth.ErrNeedsSignIn))
	startReminders(t, h, srv)
	waitFor(t, h, "a notification", func() bool {
		r := srv.Received()
		return len(r) == 1 && strings.Contains(r[0].Body, "wait for a new sign-in")
	})
	waitFor(t, h, "the badge", func() bool {
		return strings.Contains(h.g.accountBadge(ann, "x"), "Queued mail waits for a sign-in")
	})
}

// Queued mail of an app-password account held by a refused password is
// notified with Replace app password, badged so, and the notification's
// action opens the account's screen, never the OAuth sign-in.
func TestRemindersOfHeldMailAppPassword(t *testing.T) {
	h, srv := newRemindersHarness(t)
	composeLoginAnn(t, h)
	queueFailed(t, fmt.Errorf("%w: 535 5.7.8", mail.ErrAuthRejected))
	h.g.showWelcome()
	startReminders(t, h, srv)
	waitFor(t, h, "a notification", func() bool {
		r := srv.Received()
		return len(r) == 1 && strings.Contains(r[0].Body, "wait for a new app password")
	})
	if a := srv.Received()[0].Actions; len(a) != 4 || a[1] != "Replace app password" {
		t.Errorf("actions %q", a)
	}
	waitFor(t, h, "the badge", func() bool {
		return strings.Contains(h.g.accountBadge(ann, "x"), "Queued mail waits for a new app password")
	})
	if err := srv.Invoke(srv.Received()[0].ID, "default"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, h, "the account screen", func() bool { return h.g.stage.name == "account" })
}

// In French, the app's notifications are in French: the body and the
// button's label, through the app's translations.
func TestRemindersInFrench(t *testing.T) {
	h, srv := newRemindersHarness(t)
	useLanguage("fr")
	t.Cleanup(func() { useLanguage("en") })
	putOAuthAnn(t, h, account.Testing, time.Now().Add(-156*time.Hour))
	startReminders(t, h, srv)
	waitFor(t, h, "a notification", func() bool { return len(srv.Received()) == 1 })
	n := srv.Received()[0]
	if !strings.Contains(n.Body, "La connexion de "+ann+" prend fin le") || !strings.Contains(n.Body, "Reconnectez-vous d'ici là") {
		t.Errorf("body %q", n.Body)
	}
	if len(n.Actions) != 4 || n.Actions[1] != "Se reconnecter" {
		t.Errorf("actions %q", n.Actions)
	}
}
