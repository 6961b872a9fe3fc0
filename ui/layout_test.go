package ui

import (
	"errors"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/advice"
)

// TestLongLinesDoNotWidenTheWindow: a long URL in the redacted transcript of
// a failed send, or in an error, wraps or scrolls inside the screen instead
// of widening the window past a 1024-pixel screen (issue 11, defect 8).
func TestLongLinesDoNotWidenTheWindow(t *testing.T) {
	h := newHarness(t)
	composeLoginAnn(t, h)
	c := openCompose(t, h, ann, false)
	long := "S: 535-5.7.8 Username and Password not accepted. For more information, go to https://support.google.com/mail/?p=BadCredentials" +
		strings.Repeat("&x=0123456789abcdef", 40)
	c.sending.transcriptText.SetText(long)
	c.sending.transcript.Show()
	c.sending.transcript.Open(0)
	c.sending.result.SetText(long)
	c.sending.result.Show()
	c.relayout()
	h.settle()
	if w := h.g.win.Content().MinSize().Width; w > 1024 {
		t.Fatalf("the window needs %.0f px for a long line, more than a 1024-pixel screen", w)
	}
}

// TestEveryScreenFitsSmallScreens: the window's minimum size, on every
// screen, fits a 1024×600 screen; the screens scroll instead.
func TestEveryScreenFitsSmallScreens(t *testing.T) {
	for _, lang := range []string{"en", "fr"} { // French texts run longer
		t.Run(lang, func(t *testing.T) { everyScreenFits(t, lang) })
	}
}

func everyScreenFits(t *testing.T, lang string) {
	h := newHarness(t)
	useLanguage(lang)
	t.Cleanup(func() { useLanguage("en") })
	composeLoginAnn(t, h)
	screens := map[string]func(){
		"welcome":      h.g.showWelcome,
		"app-password": func() { h.g.showAppPassword("") },
		"replace":      func() { h.g.showAppPassword(ann) },
		"checklist":    h.g.showChecklist,
		"sign-in":      func() { h.g.showSignIn("") },
		"compose":      func() { h.g.showCompose(ann, true) },
		"account":      func() { h.g.showAccount(ann) },
		"help":         h.g.showHelp,
	}
	for name, show := range screens {
		show()
		h.settle()
		if m := h.g.win.Content().MinSize(); m.Width > 1024 || m.Height > 600 {
			t.Errorf("%s, %s: the window needs at least %.0f×%.0f", lang, name, m.Width, m.Height)
		}
	}
}

func TestShortURL(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"https://mail.google.com", "https://mail.google.com"},
		{"https://console.cloud.google.com/auth/audience?project=mailkey-123456", "https://console.cloud.google.com/…/audience"},
		{"https://support.google.com/mail/?p=BadCredentials" + strings.Repeat("&x=0123456789abcdef", 40), "https://support.google.com/…/mail"},
		{"https://example.com/" + strings.Repeat("a", 80), "https://example.com/…/" + strings.Repeat("a", 23) + "…"},
		{"https://example.com/?" + strings.Repeat("a", 80), "https://example.com/…"},
	} {
		if got := shortURL(tt.in); got != tt.want {
			t.Errorf("shortURL(%.60q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	text, long := shortenURLs("Add it under Test users at https://console.cloud.google.com/auth/audience?project=mailkey-123456, then sign in again.")
	if text != "Add it under Test users at https://console.cloud.google.com/…/audience, then sign in again." ||
		len(long) != 1 || long[0] != "https://console.cloud.google.com/auth/audience?project=mailkey-123456" {
		t.Fatalf("shortenURLs: %q, %q", text, long)
	}
}

// TestLongURLInAnErrorIsShortenedWithTheWholeBehind: a sign-in error whose
// advice carries a long URL shows it shortened, so that it never widens the
// window, in English and French; a button under it opens the whole URL.
func TestLongURLInAnErrorIsShortenedWithTheWholeBehind(t *testing.T) {
	for _, lang := range []string{"en", "fr"} {
		t.Run(lang, func(t *testing.T) {
			h := newHarness(t)
			useLanguage(lang)
			t.Cleanup(func() { useLanguage("en") })
			h.g.win.Resize(fyne.NewSize(1024, 600))
			s := showSignInFor(h, "")
			long := "https://console.cloud.google.com/auth/audience?project=mailkey-123456&authuser=0" + strings.Repeat("&x=0123456789abcdef", 10)
			s.onSignedIn(account.Account{}, advice.New(errors.New("access_denied"), "Google refused the sign-in",
				"Add the address under Test users at "+long+", then sign in again"))
			h.settle()
			if strings.Contains(s.login.status.Text, long) || !strings.Contains(s.login.status.Text, "https://console.cloud.google.com/…/audience") {
				t.Fatalf("the status shows %q", s.login.status.Text)
			}
			if m := h.g.win.Content().MinSize(); m.Width > 1024 {
				t.Fatalf("the window needs %.0f px", m.Width)
			}
			if !s.login.statusLinks.box.Visible() || len(s.login.statusLinks.box.Objects) != 1 {
				t.Fatal("no button for the whole URL")
			}
			row := s.login.statusLinks.box.Objects[0].(*fyne.Container)
			test.Tap(row.Objects[0].(*button))
			if got := h.links(); len(got) != 1 || got[0] != long {
				t.Fatalf("the button opened %q, want the whole URL", got)
			}
			test.Tap(row.Objects[1].(*button))
			if got := h.app.Clipboard().Content(); got != long {
				t.Fatalf("Copy link copied %q", got)
			}
		})
	}
}

// TestReadableWidthOnLargeWindows: on a maximised 2560-pixel window the
// screens stay at most maxReadableWidth wide (issue 11: lines ran 2,000 px).
func TestReadableWidthOnLargeWindows(t *testing.T) {
	h := newHarness(t)
	h.g.win.Resize(fyne.NewSize(2560, 1400))
	h.g.showAppPassword("")
	h.settle()
	screen := h.g.stage.main.Objects[0].(*fyne.Container).Objects[0]
	if w := screen.Size().Width; w > maxReadableWidth || w < maxReadableWidth-1 {
		t.Fatalf("the screen is %.0f px wide in a 2560-pixel window, want %.0f", w, maxReadableWidth)
	}
}
