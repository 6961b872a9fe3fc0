package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// TestEveryActionButtonTakesEnter: on every screen, the buttons are the
// keys.go button that Enter presses, not Fyne's, which Enter passes over
// (issue 11, defect 6). Fyne's own accordion headers (Help) are left aside.
func TestEveryActionButtonTakesEnter(t *testing.T) {
	h := newHarness(t)
	composeLoginAnn(t, h)
	screens := map[string]func(){
		"welcome":       h.g.showWelcome,
		"app-password":  func() { h.g.showAppPassword("") },
		"checklist":     h.g.showChecklist,
		"sign-in":       func() { h.g.showSignIn("") },
		"sign-in-again": func() { h.g.showSignIn(ann) },
		"compose":       func() { h.g.showCompose(ann, true) },
		"account":       func() { h.g.showAccount(ann) },
		"help":          h.g.showHelp,
	}
	for name, show := range screens {
		show()
		h.settle()
		var accordionHeaders map[fyne.CanvasObject]bool
		walk(h.g.win.Content(), func(o fyne.CanvasObject) {
			if a, ok := o.(*widget.Accordion); ok {
				if accordionHeaders == nil {
					accordionHeaders = map[fyne.CanvasObject]bool{}
				}
				for _, c := range test.WidgetRenderer(a).Objects() {
					accordionHeaders[c] = true
				}
			}
		})
		walk(h.g.win.Content(), func(o fyne.CanvasObject) {
			if b, ok := o.(*widget.Button); ok && b.Visible() && !accordionHeaders[o] {
				t.Errorf("%s: %q is a Fyne button that Enter does not press", name, b.Text)
			}
			if e, ok := o.(*widget.Entry); ok {
				t.Errorf("%s: the field %q is a Fyne entry that keeps Escape and F1 from the window", name, e.PlaceHolder)
			}
		})
	}
}

// TestEnterPressesTheFocusedButton: on the welcome screen, Tab to a button
// and Enter presses it.
func TestEnterPressesTheFocusedButton(t *testing.T) {
	h := newHarness(t)
	h.g.showWelcome()
	h.settle()
	w := h.g.stage.current.(*welcome)
	h.g.win.Canvas().Focus(w.setupOAuth)
	h.g.win.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.settle()
	if h.g.stage.name != "checklist" {
		t.Fatalf("Enter on Set up OAuth left the app on %q, want the checklist", h.g.stage.name)
	}
	c := h.g.stage.current.(*checklist)
	h.g.win.Canvas().Focus(c.nav.next)
	h.g.win.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.settle()
	if c.nav.current != 1 {
		t.Fatalf("Enter on Next left the checklist on step %d, want 2", c.nav.current+1)
	}
}

// TestEnterSubmitsTheClientFields: Enter in the client ID field moves on, and
// in the last field uses the client, as "Use this client" does.
func TestEnterSubmitsTheClientFields(t *testing.T) {
	h := newHarness(t)
	h.g.showSignIn("")
	h.settle()
	s := h.g.stage.current.(*signIn)
	test.Type(s.inputs.idEntry, "1234-abc.apps.googleusercontent.com")
	s.inputs.idEntry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if h.g.win.Canvas().Focused() != s.inputs.secretEntry {
		t.Fatalf("Enter in Client ID moved the focus to %T, want the secret", h.g.win.Canvas().Focused())
	}
	test.Type(s.inputs.secretEntry, "GOCSPX-secret")
	s.inputs.secretEntry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	s.inputs.projectEntry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.settle()
	if s.choice.client == nil {
		t.Fatal("Enter in the last field did not use the client")
	}
}
