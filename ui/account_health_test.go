package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/mailkey-app/mailkey/internal/testpeer"
)

// healthTexts returns the text of every label and button in the Health card.
func healthTexts(s *accountScreen) string {
	var texts []string
	walk(s.health.card, func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *widget.Label:
			if x.Visible() {
				texts = append(texts, x.Text)
			}
		case *widget.Button:
			if x.Visible() {
				texts = append(texts, "["+x.Text+"]")
			}
		case *button:
			if x.Visible() {
				texts = append(texts, "["+x.Text+"]")
			}
		}
	})
	return strings.Join(texts, "\n")
}

func TestAccountHealthCard(t *testing.T) {
	h := newHarness(t)
	signInOAuth(t, h)
	s := openAccount(t, h, ann)
	if h.gm.API.Hits() != 0 || s.health.again.Text != "Run the checks" {
		t.Fatalf("opening the account screen ran the checks (%d API calls)", h.gm.API.Hits())
	}
	test.Tap(s.health.again)
	h.settle()

	text := healthTexts(s)
	t.Logf("healthy:\n%s", text)
	for _, line := range []string{"✓ Permission to send mail granted", "✓ Gmail API enabled", "✓ Signed-in address matches", "✓ SMTP login accepted"} {
		if !strings.Contains(text, line) {
			t.Errorf("the Health card lacks %q", line)
		}
	}
	if strings.Contains(text, "✗") || s.health.activity.Visible() || s.health.again.Disabled() {
		t.Fatalf("a healthy account shows a failure or is still checking")
	}

	h.gm.API.SetAPIDisabled(true)
	test.Tap(s.health.again)
	h.settle()
	text = healthTexts(s)
	t.Logf("API disabled:\n%s", text)
	if !strings.Contains(text, "✗ Gmail API enabled") || !strings.Contains(text, "click Enable") ||
		!strings.Contains(text, "[Open in the console]") || s.health.signIn.Visible() {
		t.Fatalf("the Health card after the API was turned off:\n%s", text)
	}
	var open *button
	walk(s.health.card, func(o fyne.CanvasObject) {
		if b, ok := o.(*button); ok && b.Text == "Open in the console" {
			open = b
		}
	})
	test.Tap(open)
	// Google's answer names the page that enables the API (its activationUrl).
	if links := h.links(); len(links) == 0 || links[len(links)-1] != "https://console.developers.google.com/apis/api/gmail.googleapis.com/overview?project="+testpeer.DefaultProjectNumber {
		t.Fatalf("opened %v", links)
	}
}

// TestAccountDeletedAndIdleClient: 151 days after the last use the account
// screen warns that Google may delete the OAuth client; once Google has (its
// token endpoint answers deleted_client), the Health card says so, links the
// Clients page and offers a sign-in with a new client, also when the screen
// is opened again later.
func TestAccountDeletedAndIdleClient(t *testing.T) {
	h := newHarness(t)
	signInOAuth(t, h)
	later := time.Now().Add(151 * 24 * time.Hour)
	h.eng.Use(engine.WithClock(engine.ClockFunc(func() time.Time { return later })))
	s := openAccount(t, h, ann)
	if !s.health.client.idle.Visible() || !strings.Contains(s.health.client.idle.Text, "has not used its OAuth client since") ||
		s.health.client.deleted.Visible() {
		t.Fatalf("idle warning %v %q, deleted shown %v", s.health.client.idle.Visible(), s.health.client.idle.Text, s.health.client.deleted.Visible())
	}

	h.gm.OAuth.SetClientDeleted(true)
	test.Tap(s.health.again)
	h.settle()
	text := healthTexts(s)
	t.Logf("deleted client:\n%s", text)
	for _, want := range []string{"Google deleted this account's OAuth client", "[Open the Clients page]", "[Sign in with a new client]", "✗ OAuth client kept in use"} {
		if !strings.Contains(text, want) {
			t.Errorf("the Health card lacks %q", want)
		}
	}
	test.Tap(s.health.client.openClients)
	if links := h.links(); len(links) == 0 || links[len(links)-1] != "https://console.cloud.google.com/auth/clients?project=mailkey-test" {
		t.Errorf("links opened: %q", links)
	}
	if in, err := h.eng.Account(ann); err != nil || in.Status.State != account.StateNeedsSignIn {
		t.Fatalf("the account after deleted_client: %+v, %v", in, err)
	}

	again := openAccount(t, h, ann) // the saved reason brings the advice back
	if !again.health.client.deleted.Visible() {
		t.Fatal("reopened account screen does not say the client was deleted")
	}
	test.Tap(again.health.client.newClient)
	h.settle()
	if si, ok := h.g.stage.current.(*signIn); !ok || si.addr != "" {
		t.Fatalf("Sign in with a new client opened %T", h.g.stage.current)
	}
}
