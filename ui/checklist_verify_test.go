package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/mailkey-app/mailkey/app/google"
	"github.com/mailkey-app/mailkey/internal/testpeer"
)

// signInOAuth signs ann in with OAuth over the harness's peers.
func signInOAuth(t *testing.T, h *harness) {
	t.Helper()
	client, err := google.ReadClientFile(h.gm.ClientFile)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.eng.LoginOAuth(context.Background(), engine.OAuthLogin{Client: client, SMTP: h.gm.SMTP.StartTLSURL(),
		Open: testpeer.Browse, Timeout: 10 * time.Second, APIBase: h.gm.API.URL}); err != nil {
		t.Fatal(err)
	}
	h.g.accountsChanged()
	h.settle()
}

func TestHealthChecksVerifyTheChecklist(t *testing.T) {
	h := newHarness(t)
	signInOAuth(t, h)
	h.gm.API.SetAPIDisabled(true)
	s := openAccount(t, h, ann)
	test.Tap(s.health.again)
	h.settle()

	c := showChecklistIn(h, h.g)
	api := c.cards[1]
	if api.step.ID != "gmail-api" {
		t.Fatalf("step 2 is %q", api.step.ID)
	}
	if api.done.Checked || !api.flag.Visible() || !strings.Contains(api.flagReason.Text, "The Gmail API is turned off") {
		t.Fatalf("step 2 after the API was found off: done %v, flag %v %q", api.done.Checked, api.flag.Visible(), api.flagReason.Text)
	}
	for _, id := range []string{"project", "audience", "client", "download", "scopes"} {
		for _, card := range c.cards {
			if card.step.ID == id && (!card.done.Checked || card.flag.Visible()) {
				t.Errorf("step %s: done %v, flagged %v", id, card.done.Checked, card.flag.Visible())
			}
		}
	}
	for _, card := range c.cards {
		if card.step.ID == "branding" && card.done.Checked {
			t.Error("the checks ticked the branding step, which they do not prove")
		}
	}
	// The flag survives the checklist's own saves.
	test.Tap(c.next)
	h.settle()
	if p := h.g.progress.Load(); p.Flagged["gmail-api"] == "" {
		t.Fatalf("a checklist save dropped the flag: %+v", p)
	}

	h.gm.API.SetAPIDisabled(false)
	s = openAccount(t, h, ann)
	test.Tap(s.health.again)
	h.settle()
	c = showChecklistIn(h, h.g)
	api = c.cards[1]
	if !api.done.Checked || api.flag.Visible() {
		t.Fatalf("step 2 after the API was found on: done %v, flag %v %q", api.done.Checked, api.flag.Visible(), api.flagReason.Text)
	}
	if p := h.g.progress.Load(); len(p.Flagged) != 0 || !p.Done["gmail-api"] {
		t.Fatalf("saved progress: %+v", p)
	}
}
