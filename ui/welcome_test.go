package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
)

// welcomeScreen returns the welcome screen on show in h's window.
func welcomeScreen(t *testing.T, h *harness) *welcome {
	t.Helper()
	h.g.showWelcome()
	w, ok := h.g.stage.current.(*welcome)
	if !ok || h.g.stage.name != "welcome" {
		t.Fatalf("screen %q (%T), want the welcome screen", h.g.stage.name, h.g.stage.current)
	}
	return w
}

func TestWelcomeShowsBothMethodsWithTradeOffs(t *testing.T) {
	h := newHarness(t)
	w := welcomeScreen(t, h)
	cards := []struct {
		name string
		text string
		want []string
	}{
		{"app password", strings.Join(apTexts(w.appPasswordCard), "\n"), []string{
			"App password", "About 2 minutes", "2-Step Verification", "work or school", "Advanced Protection",
			"16 letters", "only to send mail", "Use an app password",
		}},
		{"oauth", strings.Join(apTexts(w.oauthCard), "\n"), []string{
			"OAuth 2.0 with your own Google Cloud client", "About 10 minutes", "No password is stored",
			"Google prefers", "project in Google Cloud", "guides you through each step", "Testing", "every 7 days", "Set up OAuth",
		}},
	}
	for _, c := range cards {
		t.Run(c.name, func(t *testing.T) {
			for _, want := range c.want {
				if !strings.Contains(c.text, want) {
					t.Errorf("card lacks %q; it says:\n%s", want, c.text)
				}
			}
		})
	}
	page := strings.Join(apTexts(w.content()), "\n")
	if !strings.Contains(page, "Send mail as your Gmail account") {
		t.Errorf("welcome title missing:\n%s", page)
	}
}

func TestWelcomeUseAppPasswordOpensWizard(t *testing.T) {
	h := newHarness(t)
	w := welcomeScreen(t, h)
	test.Tap(w.useAppPassword)
	h.settle()
	if h.g.stage.name != "app-password" {
		t.Fatalf("screen %q after 'Use an app password', want app-password", h.g.stage.name)
	}
	if _, ok := h.g.stage.current.(*appPasswordWizard); !ok {
		t.Fatalf("current screen is %T, want *appPasswordWizard", h.g.stage.current)
	}
}

func TestWelcomeSetUpOAuthOpensChecklist(t *testing.T) {
	h := newHarness(t)
	w := welcomeScreen(t, h)
	test.Tap(w.setupOAuth)
	h.settle()
	if h.g.stage.name != "checklist" {
		t.Fatalf("screen %q after 'Set up OAuth', want checklist", h.g.stage.name)
	}
}
