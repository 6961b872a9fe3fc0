package ui

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/queue"
	"github.com/mailkey-app/mailkey/app/relay"
	"github.com/mailkey-app/mailkey/app/secret"
)

// openAccount shows addr's screen and waits for it to load.
func openAccount(t *testing.T, h *harness, addr string) *accountScreen {
	t.Helper()
	h.g.showAccount(addr)
	h.settle()
	s, ok := h.g.stage.current.(*accountScreen)
	if !ok {
		t.Fatalf("current screen is %T, want *accountScreen", h.g.stage.current)
	}
	return s
}

// accountShows reports whether the container holds obj.
func accountShows(c *fyne.Container, obj fyne.CanvasObject) bool {
	for _, o := range c.Objects {
		if o == obj {
			return true
		}
	}
	return false
}

func TestAccountScreenAppPasswordAndRemove(t *testing.T) {
	h := newHarness(t)
	composeLoginAnn(t, h)
	s := openAccount(t, h, ann)

	if s.details.title.Text != ann || s.details.method.Text != "App password" || s.details.status.Text != "OK" {
		t.Fatalf("title %q method %q status %q", s.details.title.Text, s.details.method.Text, s.details.status.Text)
	}
	if !strings.Contains(s.details.server.Text, "127.0.0.1") || !strings.Contains(s.details.server.Text, "STARTTLS") {
		t.Errorf("server %q", s.details.server.Text)
	}
	if !accountShows(s.actions.row, s.renewal.replace) || accountShows(s.actions.row, s.renewal.signIn) || s.renewal.expiry.Visible() || s.renewal.problem.Visible() {
		t.Error("an app-password account shows the wrong fix or an expiry")
	}

	test.Tap(s.actions.checkConn)
	h.settle()
	if !s.actions.result.Visible() || !strings.HasPrefix(s.actions.result.Text, "OK") {
		t.Fatalf("check result %q", s.actions.result.Text)
	}

	test.Tap(s.actions.remove)
	text, confirm := overlay(t, h, "Remove")
	if !strings.Contains(text, "keyring") || !strings.Contains(text, "app password") || !strings.Contains(text, ann) {
		t.Fatalf("confirmation says %q; it must name the account and its keyring entry", text)
	}
	if confirm == nil {
		t.Fatal("no Remove button in the dialog")
	}
	test.Tap(confirm)
	h.settle()

	list, err := h.eng.List()
	if err != nil || len(list) != 0 {
		t.Fatalf("accounts after removal: %v, %v", list, err)
	}
	if _, err := h.env.Secrets.Get(context.Background(), ann, secret.AppPassword); !errors.Is(err, secret.ErrNotFound) {
		t.Fatalf("keyring after removal: %v, want ErrNotFound", err)
	}
	if h.g.stage.name != "welcome" {
		t.Fatalf("screen %q after removal, want welcome", h.g.stage.name)
	}
}

func TestAccountScreenCheckConnectionFailure(t *testing.T) {
	h := newHarness(t)
	composeLoginAnn(t, h)
	if err := h.env.Secrets.Delete(context.Background(), ann, secret.AppPassword); err != nil {
		t.Fatal(err)
	}
	s := openAccount(t, h, ann)
	test.Tap(s.actions.checkConn)
	h.settle()
	if !s.actions.result.Visible() || !strings.Contains(s.actions.result.Text, "keyring holds no app password") {
		t.Fatalf("check result %q", s.actions.result.Text)
	}
	if s.actions.checkConn.Disabled() || s.actions.activity.Visible() || s.actions.cancel.Visible() {
		t.Error("the check did not end cleanly")
	}

	// Dismissing the confirmation keeps the account.
	test.Tap(s.actions.remove)
	_, keep := overlay(t, h, "Keep")
	if keep == nil {
		t.Fatal("no Keep button in the dialog")
	}
	test.Tap(keep)
	h.settle()
	if list, _ := h.eng.List(); len(list) != 1 {
		t.Fatalf("%d accounts after Keep", len(list))
	}
}

func TestAccountScreenTestingOAuth(t *testing.T) {
	h := newHarness(t)
	put := func(signedIn time.Time) {
		t.Helper()
		err := h.env.Accounts.Put(account.Account{
			Address: ann, Method: account.OAuth, Publishing: account.Testing,
			ProjectID: "mailkey-test", SignedInAt: signedIn, SMTP: h.gm.SMTP.StartTLSURL(),
		})
		if err != nil {
			t.Fatal(err)
		}
	}

	signed := time.Now().Add(-5 * 24 * time.Hour)
	put(signed)
	s := openAccount(t, h, ann)
	if s.details.method.Text != "OAuth 2.0 (your Google Cloud client)" || s.details.status.Text != "Expires in 2 days" {
		t.Fatalf("method %q status %q", s.details.method.Text, s.details.status.Text)
	}
	date := accountDate(signed.Add(account.TestingLifetime))
	if !s.renewal.expiry.Visible() || !strings.Contains(s.renewal.expiry.Text, date) || !strings.Contains(s.renewal.expiry.Text, "7 days") ||
		!strings.Contains(s.renewal.expiry.Text, "Publishing the app") {
		t.Fatalf("expiry %q, want the date %s and the 7-day rule", s.renewal.expiry.Text, date)
	}
	if s.renewal.problem.Visible() || !accountShows(s.actions.row, s.renewal.signIn) || accountShows(s.actions.row, s.renewal.replace) {
		t.Error("an expiring OAuth account shows the wrong actions")
	}
	test.Tap(s.renewal.publish)
	if links := h.links(); len(links) != 1 || !strings.HasPrefix(links[0], "https://console.cloud.google.com/auth/audience?project=mailkey-test") {
		t.Errorf("Open Audience opened %v", links)
	}

	put(time.Now().Add(-8 * 24 * time.Hour))
	s = openAccount(t, h, ann)
	if s.details.status.Text != "Needs sign-in" {
		t.Fatalf("status %q, want Needs sign-in", s.details.status.Text)
	}
	if !s.renewal.problem.Visible() || !strings.Contains(s.renewal.reason.Text, "7 days") {
		t.Fatalf("reason %q (visible %v)", s.renewal.reason.Text, s.renewal.problem.Visible())
	}
	if !accountShows(s.renewal.fix, s.renewal.signIn) || s.renewal.signIn.Importance != widget.HighImportance {
		t.Fatal("no prominent Sign in again next to the reason")
	}
	// Tapping it opens the sign-in screen (not tapped here: that screen's own
	// load is not this test's business).
	if s.renewal.signIn.OnTapped == nil || s.renewal.signIn.Disabled() {
		t.Fatal("Sign in again does nothing")
	}
}

func TestAccountScreenShowsReason(t *testing.T) {
	h := newHarness(t)
	err := h.env.Accounts.Put(account.Account{
		Address: ann, Method: account.OAuth, Publishing: account.Production,
		SignedInAt: time.Now().Add(-30 * 24 * time.Hour), SMTP: h.gm.SMTP.StartTLSURL(),
		NeedsSignIn: true, SignInCause: account.CauseRefreshRefused,
	})
	if err != nil {
		t.Fatal(err)
	}
	s := openAccount(t, h, ann)
	if s.details.status.Text != "Needs sign-in" || !strings.Contains(s.renewal.reason.Text, "invalid_grant") || s.renewal.expiry.Visible() {
		t.Fatalf("status %q reason %q expiry visible %v", s.details.status.Text, s.renewal.reason.Text, s.renewal.expiry.Visible())
	}
	// Google's own description, saved as data, is shown too, in French
	// around Google's words.
	err = h.env.Accounts.Modify(ann, func(a *account.Account) {
		a.SignInDetail = &account.SignInDetail{Error: "invalid_grant", Description: "Token has been expired or revoked."}
	})
	if err != nil {
		t.Fatal(err)
	}
	useLanguage("fr")
	t.Cleanup(func() { useLanguage("en") })
	s = openAccount(t, h, ann)
	if want := "Google n'accepte plus la connexion de ce compte (invalid_grant : Token has been expired or revoked.)"; s.renewal.reason.Text != want {
		t.Errorf("reason %q, want %q", s.renewal.reason.Text, want)
	}
	useLanguage("en")

	s = openAccount(t, h, "nobody@gmail.com")
	if !s.note.Visible() || s.note.Text == "" || !s.actions.remove.Disabled() {
		t.Fatalf("a missing account shows %q", s.note.Text)
	}
}

// TestRemoveRevokesRelayPasswordsAndFailsTheQueue: the GUI's Remove does
// what the CLI's does (relay.RemoveAccount): the account's relay passwords
// are revoked, its queued messages failed and kept, and the user is told.
func TestRemoveRevokesRelayPasswordsAndFailsTheQueue(t *testing.T) {
	h := newHarness(t)
	composeLoginAnn(t, h)
	ctx := context.Background()
	pw := relay.PasswordsOf(h.eng)
	if _, err := pw.Add(ctx, ann, "nas"); err != nil {
		t.Fatal(err)
	}
	q, _, err := queueAndDir()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := q.Add(queue.Item{Account: ann, From: ann, To: []string{"bob@example.com"}}, strings.NewReader("Subject: x\r\n\r\nhi\r\n")); err != nil {
		t.Fatal(err)
	}
	s := openAccount(t, h, ann)
	test.Tap(s.actions.remove)
	_, confirm := overlay(t, h, "Remove")
	test.Tap(confirm)
	h.settle()

	if list, err := pw.List(ann); err != nil || len(list) != 0 {
		t.Errorf("relay passwords after removal: %v, %v", list, err)
	}
	if v, err := h.env.Secrets.Get(ctx, ann, secret.Kind("relay-password/nas")); !errors.Is(err, secret.ErrNotFound) {
		t.Errorf("relay password still in the keyring (%q, %v)", v, err)
	}
	items, _, err := q.List()
	if err != nil || len(items) != 1 || items[0].State != "failed" || items[0].LastError == nil || !strings.Contains(items[0].LastError.Text().What, "removed") {
		t.Errorf("queue after removal: %+v, %v", items, err)
	}
	text, _ := overlay(t, h, "")
	for _, want := range []string{"relay password was revoked: nas", "1 queued message from " + ann + " was not sent"} {
		if !strings.Contains(text, want) {
			t.Errorf("the removal says %q, want %q in it", text, want)
		}
	}
}
