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
	if _, err := h.eng.LoginOAuth(context.Background(), engine.OAuthLogin{
		Client: client, SMTP: h.gm.SMTP.StartTLSURL(),
		Open: testpeer.Browse, Timeout: 10 * time.Second, APIBase: h.gm.API.URL,
	}); err != nil {
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
// typed holds the finding's English sentence. The checklist shows it as
// before, in the current language's line around the saved sentence, and its
// saves keep it as it was, until a health check's new finding replaces it
// with the typed flag. A finding of a newer mailkey shows that a check found
// the step not done.
func TestChecklistShowsAnOldFilesFlag(t *testing.T) {
	h := newHarness(t)
	path := filepath.Join(h.eng.Dir(), "setup.json")
	const oldSentence = "The Gmail API is turned off in your Google Cloud project (my-mail-4711)"
	old := `{"done":{"project":true},"step":"gmail-api","flagged":{"gmail-api":"` + oldSentence + `","scopes":{"finding":"from_a_newer_mailkey"}}}`
	if err := os.MkdirAll(h.eng.Dir(), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(old), 0o600); err != nil {
		t.Fatal(err)
	}
	c := showChecklistIn(h, h.g)
	api, scopes := c.cards[1], cardOf(t, c, "scopes")
	if want := "The health check of your account found this step not done: " + oldSentence + "."; !api.flag.Visible() || api.flagReason.Text != want {
		t.Fatalf("old flag in English: shown %v, %q, want %q", api.flag.Visible(), api.flagReason.Text, want)
	}
	if !scopes.flag.Visible() || scopes.flagReason.Text != "An account's health check found this step not done." {
		t.Fatalf("a newer mailkey's flag in English: shown %v, %q", scopes.flag.Visible(), scopes.flagReason.Text)
	}

	useLanguage("fr")
	t.Cleanup(func() { useLanguage("en") })
	c = showChecklistIn(h, h.g)
	api = c.cards[1]
	if want := "La vérification de l'état de votre compte a trouvé cette étape non faite : " + oldSentence + "."; !api.flag.Visible() || api.flagReason.Text != want {
		t.Fatalf("old flag in French: shown %v, %q, want %q", api.flag.Visible(), api.flagReason.Text, want)
	}
	if scopes := cardOf(t, c, "scopes"); scopes.flagReason.Text != "La vérification de l'état d'un compte a trouvé cette étape non faite." {
		t.Fatalf("a newer mailkey's flag in French: %q", scopes.flagReason.Text)
	}
	test.Tap(c.nav.next)
	h.settle()
	saved, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(saved), `"gmail-api": "`+oldSentence+`"`) || !strings.Contains(string(saved), `"finding": "from_a_newer_mailkey"`) {
		t.Fatalf("the checklist's save did not keep the flags as they were:\n%s", saved)
	}

	// A health check's new finding replaces the old sentence with the typed flag.
	useLanguage("en")
	signInOAuth(t, h)
	checkHealthWithAPI(t, h, false)
	api = showChecklistIn(h, h.g).cards[1]
	if !strings.Contains(api.flagReason.Text, "The Gmail API is turned off in your Google Cloud project") || strings.Contains(api.flagReason.Text, "my-mail-4711") {
		t.Fatalf("flag after a health check: %q", api.flagReason.Text)
	}
	if saved, err = os.ReadFile(path); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(saved), "turned off") || !strings.Contains(string(saved), `"finding": "gmail_api_off"`) {
		t.Fatalf("the health check's finding did not replace the old sentence:\n%s", saved)
	}
}

// cardOf returns the card of the step with ID id.
func cardOf(t *testing.T, c *checklist, id string) *checklistCard {
	t.Helper()
	for _, card := range c.cards {
		if card.step.ID == id {
			return card
		}
	}
	t.Fatalf("no step %q", id)
	return nil
}
