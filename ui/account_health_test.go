package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
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
	var open *widget.Button
	walk(s.health.card, func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && b.Text == "Open in the console" {
			open = b
		}
	})
	test.Tap(open)
	if links := h.links(); len(links) == 0 || !strings.Contains(links[len(links)-1], "gmail.googleapis.com?project=mailkey-test") {
		t.Fatalf("opened %v", links)
	}
}
