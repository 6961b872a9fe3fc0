package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/mailkey-app/mailkey/app/google"
)

// showChecklistIn shows a fresh checklist in g and waits for its progress to load.
func showChecklistIn(h *harness, g *gui) *checklist {
	h.t.Helper()
	h.g = g
	c := newChecklist(g)
	g.show("checklist", c)
	h.settle()
	if !c.loaded {
		h.t.Fatal("the checklist did not load its progress")
	}
	return c
}

func TestChecklistHasTheSevenConsoleSteps(t *testing.T) {
	h := newHarness(t)
	c := showChecklistIn(h, h.g)
	if len(c.cards) != 7 {
		t.Fatalf("%d cards, want 7", len(c.cards))
	}
	for i, card := range c.cards {
		st := google.ConsoleSteps[i]
		if !strings.Contains(card.card.Title, st.Title) || !strings.Contains(card.card.Title, itoa(i+1)) {
			t.Errorf("card %d title %q", i, card.card.Title)
		}
		if card.open == nil || card.done == nil {
			t.Errorf("card %d lacks Open in browser or Done", i)
		}
	}
	if c.nav.current != 0 || !c.nav.back.Disabled() {
		t.Fatalf("a fresh checklist is on step %d, Back enabled=%v", c.nav.current, !c.nav.back.Disabled())
	}
	if got := c.progress.Text; got != "0 of 7 steps done." {
		t.Fatalf("progress %q", got)
	}
}

func TestChecklistProjectIDHintAndLinks(t *testing.T) {
	h := newHarness(t)
	c := showChecklistIn(h, h.g)
	test.Type(c.project.entry, "My Project")
	if !strings.Contains(c.project.hint.Text, "not a project ID") {
		t.Fatalf("hint for an invalid ID: %q", c.project.hint.Text)
	}
	test.Tap(c.nav.next)
	test.Tap(c.cards[1].open) // an invalid ID is not used
	test.Tap(c.nav.back)
	c.project.entry.SetText("mailkey-123456")
	if !strings.Contains(c.project.hint.Text, "will open the project mailkey-123456") {
		t.Fatalf("hint for a valid ID: %q", c.project.hint.Text)
	}
	test.Tap(c.cards[0].open) // the create page has no project to open
	test.Tap(c.nav.next)
	test.Tap(c.cards[1].open)
	h.settle()
	want := []string{
		"https://console.cloud.google.com/apis/library/gmail.googleapis.com",
		"https://console.cloud.google.com/projectcreate",
		"https://console.cloud.google.com/apis/library/gmail.googleapis.com?project=mailkey-123456",
	}
	if got := h.links(); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("opened %q, want %q", got, want)
	}
}

func TestChecklistProgressSurvivesReopening(t *testing.T) {
	h := newHarness(t)
	c := showChecklistIn(h, h.g)
	test.Tap(c.cards[0].done)
	test.Type(c.project.entry, "mailkey-123456")
	test.Tap(c.nav.next)
	test.Tap(c.cards[1].done)
	test.Tap(c.nav.next)
	test.Tap(c.cards[2].done)
	test.Tap(c.nav.next)
	if got := c.progress.Text; got != "3 of 7 steps done." {
		t.Fatalf("progress %q", got)
	}
	h.settle()

	c2 := showChecklistIn(h, h.newWindow())
	for i, card := range c2.cards {
		if card.done.Checked != (i < 3) {
			t.Errorf("after reopening, step %d ticked=%v", i+1, card.done.Checked)
		}
	}
	if c2.project.entry.Text != "mailkey-123456" {
		t.Fatalf("project ID after reopening %q", c2.project.entry.Text)
	}
	if c2.nav.current != 3 || c2.nav.body.Objects[0] != c2.cards[3].card {
		t.Fatalf("after reopening, current step %d, want 4 (audience)", c2.nav.current+1)
	}
	if got := c2.progress.Text; got != "3 of 7 steps done." {
		t.Fatalf("progress after reopening %q", got)
	}

	// Step 2's link opens the project typed at step 1; going back is remembered too.
	test.Tap(c2.nav.back)
	test.Tap(c2.nav.back)
	test.Tap(c2.cards[1].open)
	links := h.links()
	if want := "https://console.cloud.google.com/apis/library/gmail.googleapis.com?project=mailkey-123456"; len(links) == 0 || links[len(links)-1] != want {
		t.Fatalf("step 2 opened %q, want %q", links, want)
	}
	h.settle()
	c3 := showChecklistIn(h, h.newWindow())
	if c3.nav.current != 1 {
		t.Fatalf("after going back and reopening, current step %d, want 2", c3.nav.current+1)
	}
}

func TestChecklistContinueGoesToSignIn(t *testing.T) {
	h := newHarness(t)
	c := showChecklistIn(h, h.g)
	for range 6 {
		test.Tap(c.nav.next)
	}
	if c.nav.current != 6 || !c.nav.next.Disabled() {
		t.Fatalf("on step %d, Next disabled=%v", c.nav.current+1, c.nav.next.Disabled())
	}
	test.Tap(c.nav.cont)
	h.settle()
	if h.g.stage.name != "sign-in" {
		t.Fatalf("screen %q, want sign-in", h.g.stage.name)
	}
}

// The Audience step offers Internal for a work or school address; step 7
// says the secret is shown once, and Add secret is the way out.
func TestChecklistWorkspaceAndSecretOnce(t *testing.T) {
	h := newHarness(t)
	c := showChecklistIn(h, h.g)
	audience := strings.Join(apTexts(c.cards[3].card), "\n")
	for _, want := range []string{"Work or school address?", "Internal", "org_internal", "admin_policy_enforced", "home page", "authorised domain"} {
		if !strings.Contains(audience, want) {
			t.Errorf("the Audience step lacks %q", want)
		}
	}
	download := strings.Join(apTexts(c.cards[6].card), "\n")
	for _, want := range []string{"Copy the client ID and secret", "never again", "Add secret"} {
		if !strings.Contains(download, want) {
			t.Errorf("step 7 lacks %q", want)
		}
	}
	if strings.Contains(download, "download the JSON there") || strings.Contains(audience, "Work or school address?") == strings.Contains(download, "Work or school address?") {
		t.Error("step 7 still sends the user back for the JSON, or carries the Workspace note")
	}
}

// TestChecklistTwoClicksAStep: each step takes two clicks, "Open in browser"
// then "Done, next step", and the last one's "Done" goes on to the sign-in
// (issue 11: 21 clicks before, ticking Done and pressing Next apart). Back
// from the browser, the focus is on "Done, next step", so Enter does it;
// the blue button is one at a time.
func TestChecklistTwoClicksAStep(t *testing.T) {
	h := newHarness(t)
	h.g.showChecklist()
	h.settle()
	c := h.g.stage.current.(*checklist)
	clicks := 0
	for i, card := range c.cards {
		if c.nav.current != i {
			t.Fatalf("on step %d after %d clicks, want step %d", c.nav.current+1, clicks, i+1)
		}
		blue := 0
		for _, b := range []*button{card.open, card.doneNext, c.nav.next, c.nav.cont, c.nav.back} {
			if b != nil && b.Importance == widget.HighImportance {
				blue++
			}
		}
		if blue != 1 {
			t.Errorf("step %d shows %d blue buttons, want one", i+1, blue)
		}
		if card.open != nil {
			test.Tap(card.open)
			clicks++
			if card.open.Importance == widget.HighImportance || h.g.win.Canvas().Focused() != card.doneNext {
				t.Fatalf("step %d: after opening the page, Done, next step is not the blue, focused button", i+1)
			}
		}
		if i%2 == 0 {
			test.Tap(card.doneNext)
		} else {
			h.g.win.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) // Enter, from the keyboard
		}
		clicks++
		h.settle()
	}
	t.Logf("the checklist took %d clicks for %d steps", clicks, len(c.cards))
	if h.g.stage.name != "sign-in" {
		t.Fatalf("after the last step, the screen is %q, want the sign-in", h.g.stage.name)
	}
	if p := h.g.progress.Load(); len(p.Done) != len(c.steps) {
		t.Fatalf("saved progress %+v, want every step done", p.Done)
	}
	if clicks > 2*len(c.cards) {
		t.Fatalf("%d clicks for %d steps", clicks, len(c.cards))
	}
}
