package ui

import (
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/mailkey-app/mailkey/internal/testpeer"
)

// TestLeavingTheWaitingSignInAsksAndCancels: leaving the sign-in screen while
// it waits for the browser asks first, and leaving cancels the sign-in, so
// that a browser finishing later saves nothing (issue 11, defect 10).
func TestLeavingTheWaitingSignInAsksAndCancels(t *testing.T) {
	h := newHarness(t)
	links := make(chan string, 1)
	h.eng.Use(engine.WithBrowser(engine.BrowserFunc(func(link string) error { links <- link; return nil })))
	s := showSignInFor(h, "")
	importClientFile(h, s, h.gm.ClientFile)
	test.Tap(s.login.signInBtn)
	link := await(h, links)

	h.g.navigate(h.g.showWelcome)
	text, leave := overlay(t, h, "Leave")
	if leave == nil || h.g.stage.name != "sign-in" {
		t.Fatalf("left without asking (screen %s); the dialog says:\n%s", h.g.stage.name, text)
	}
	test.Tap(leave)
	h.settle()
	if h.g.stage.name != "welcome" {
		t.Fatalf("screen %s after Leave", h.g.stage.name)
	}
	testpeer.Fetch(link) // the browser comes back after all
	h.settle()
	if list, err := h.eng.List(); err != nil || len(list) != 0 {
		t.Fatalf("saved %v (%v) after leaving the sign-in", list, err)
	}
}

// TestResumeOffer: with the checklist under way, the sidebar offers to
// continue it at its step (issue 11, defect 10).
func TestResumeOffer(t *testing.T) {
	h := newHarness(t)
	if h.g.sidebar.resume.Visible() {
		t.Fatal("a resume offer without any progress")
	}
	dir := h.env.Accounts.Dir()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	progress := `{"project_id": "mailkey-demo-4711", "done": {"project": true, "gmail-api": true, "branding": true}, "step": "audience"}`
	if err := os.WriteFile(filepath.Join(dir, "setup.json"), []byte(progress), 0o600); err != nil {
		t.Fatal(err)
	}
	g := h.newWindow() // the next start
	h.drain(g)
	if !g.sidebar.resume.Visible() || g.sidebar.resume.Text != "Continue setting up (step 4 of 7)" {
		t.Fatalf("resume offer %q (shown %v)", g.sidebar.resume.Text, g.sidebar.resume.Visible())
	}
	test.Tap(g.sidebar.resume)
	if g.stage.name != "checklist" {
		t.Fatalf("screen %s after Continue", g.stage.name)
	}
}
