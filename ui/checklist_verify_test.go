package ui

import (
	"context"
	"os"
	"path/filepath"
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

// checkHealthWithAPI turns the Gmail API stand-in on or off and runs ann's
// health checks.
func checkHealthWithAPI(t *testing.T, h *harness, on bool) {
	t.Helper()
	h.gm.API.SetAPIDisabled(!on)
	s := openAccount(t, h, ann)
	test.Tap(s.health.again)
	h.settle()
}

func TestHealthChecksVerifyTheChecklist(t *testing.T) {
	h := newHarness(t)
	signInOAuth(t, h)
	checkHealthWithAPI(t, h, false)

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
	test.Tap(c.nav.next)
	h.settle()
	if p := h.g.progress.Load(); p.Flagged["gmail-api"].Finding == "" {
		t.Fatalf("a checklist save dropped the flag: %+v", p)
	}

	checkHealthWithAPI(t, h, true)
	c = showChecklistIn(h, h.g)
	api = c.cards[1]
	if !api.done.Checked || api.flag.Visible() {
		t.Fatalf("step 2 after the API was found on: done %v, flag %v %q", api.done.Checked, api.flag.Visible(), api.flagReason.Text)
	}
	if p := h.g.progress.Load(); len(p.Flagged) != 0 || !p.Done["gmail-api"] {
		t.Fatalf("saved progress: %+v", p)
	}
}

// TestChecklistFlagFollowsTheLanguage: the flag a health check saves in
// English shows in French once the language is French, since setup.json
// keeps what the check found, not its sentence.
func TestChecklistFlagFollowsTheLanguage(t *testing.T) {
	h := newHarness(t)
	signInOAuth(t, h)
	checkHealthWithAPI(t, h, false)
	if api := showChecklistIn(h, h.g).cards[1]; !strings.Contains(api.flagReason.Text, "The Gmail API is turned off in your Google Cloud project") {
		t.Fatalf("English flag %q", api.flagReason.Text)
	}
	saved, err := os.ReadFile(filepath.Join(h.eng.Dir(), "setup.json"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(saved), "turned off") || strings.Contains(string(saved), "doctor.") {
		t.Errorf("setup.json holds a sentence or a translation key:\n%s", saved)
	}

	useLanguage("fr")
	t.Cleanup(func() { useLanguage("en") })
	api := showChecklistIn(h, h.g).cards[1]
	containsAll(t, "French flag", api.flagReason.Text,
		"La vérification de l'état de votre compte a trouvé cette étape non faite", "L'API Gmail est désactivée dans votre projet Google Cloud")
	if strings.Contains(api.flagReason.Text, "turned off") {
		t.Errorf("French flag keeps the English finding: %q", api.flagReason.Text)
	}
}

// TestChecklistShowsAnOldFilesFlag: a setup.json written before flags were
// typed holds the finding's English sentence. The checklist shows that a
// health check found the step not done, in the current language, and its
// next save writes the typed flag without the sentence.
func TestChecklistShowsAnOldFilesFlag(t *testing.T) {
	h := newHarness(t)
	path := filepath.Join(h.eng.Dir(), "setup.json")
	old := `{"done":{"project":true},"step":"gmail-api","flagged":{"gmail-api":"The Gmail API is turned off in your Google Cloud project (my-mail-4711)"}}`
	if err := os.MkdirAll(h.eng.Dir(), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(old), 0o600); err != nil {
		t.Fatal(err)
	}
	api := showChecklistIn(h, h.g).cards[1]
	if !api.flag.Visible() || api.flagReason.Text != "An account's health check found this step not done." {
		t.Fatalf("old flag in English: shown %v, %q", api.flag.Visible(), api.flagReason.Text)
	}

	useLanguage("fr")
	t.Cleanup(func() { useLanguage("en") })
	c := showChecklistIn(h, h.g)
	api = c.cards[1]
	if !api.flag.Visible() || api.flagReason.Text != "La vérification de l'état d'un compte a trouvé cette étape non faite." {
		t.Fatalf("old flag in French: shown %v, %q", api.flag.Visible(), api.flagReason.Text)
	}
	test.Tap(c.nav.next)
	h.settle()
	saved, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(saved), "turned off") || !strings.Contains(string(saved), `"finding": "unknown"`) {
		t.Fatalf("the checklist's save kept the old sentence:\n%s", saved)
	}
}
