package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
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
	c.transcriptText.SetText(long)
	c.transcript.Show()
	c.transcript.Open(0)
	c.result.SetText(long)
	c.result.Show()
	c.relayout()
	h.settle()
	if w := h.g.win.Content().MinSize().Width; w > 1024 {
		t.Fatalf("the window needs %.0f px for a long line, more than a 1024-pixel screen", w)
	}
}

// TestEveryScreenFitsSmallScreens: the window's minimum size, on every
// screen, fits a 1024×600 screen; the screens scroll instead.
func TestEveryScreenFitsSmallScreens(t *testing.T) {
	h := newHarness(t)
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
			t.Errorf("%s: the window needs at least %.0f×%.0f", name, m.Width, m.Height)
		}
	}
}

// TestReadableWidthOnLargeWindows: on a maximised 2560-pixel window the
// screens stay at most maxReadableWidth wide (issue 11: lines ran 2,000 px).
func TestReadableWidthOnLargeWindows(t *testing.T) {
	h := newHarness(t)
	h.g.win.Resize(fyne.NewSize(2560, 1400))
	h.g.showAppPassword("")
	h.settle()
	screen := h.g.main.Objects[0].(*fyne.Container).Objects[0]
	if w := screen.Size().Width; w > maxReadableWidth || w < maxReadableWidth-1 {
		t.Fatalf("the screen is %.0f px wide in a 2560-pixel window, want %.0f", w, maxReadableWidth)
	}
}
