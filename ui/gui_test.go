package ui

import (
	"errors"
	"net/url"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/mailkey-app/mailkey/internal/testpeer"
)

func TestNoBrowserOffersTheLinkToCopy(t *testing.T) {
	h := newHarness(t)
	h.g.openURL = func(*url.URL) error { return errors.New(`exec: "xdg-open": executable file not found in $PATH`) }
	h.g.open("https://console.cloud.google.com/auth/clients?project=p-123456")
	if h.g.linkDialog == nil {
		t.Fatal("no dialog offers the link when the browser cannot open")
	}
	texts, copyBtn := overlay(t, h, "Copy link")
	if !strings.Contains(texts, "could not open your browser") || strings.Contains(texts, "xdg-open") || copyBtn == nil {
		t.Fatalf("dialog says:\n%s", texts)
	}
	test.Tap(copyBtn)
	if got := h.app.Clipboard().Content(); got != "https://console.cloud.google.com/auth/clients?project=p-123456" {
		t.Fatalf("clipboard %q", got)
	}
	// Escape closes the dialog and stays on the screen.
	screen := h.g.stage.name
	h.g.windowKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if h.g.win.Canvas().Overlays().Top() != nil || h.g.stage.name != screen {
		t.Fatalf("after Escape: a dialog on show %v, screen %q (was %q)", h.g.win.Canvas().Overlays().Top() != nil, h.g.stage.name, screen)
	}
}

// Without a browser, the OAuth sign-in keeps waiting; the user pastes the
// copied link into a browser by hand and the sign-in completes.
func TestSignInWithoutBrowserCompletesThroughCopyLink(t *testing.T) {
	h := newHarness(t)
	h.eng.Use(engine.WithBrowser(engine.BrowserFunc(func(string) error { return errors.New("no browser") })))
	s := showSignInFor(h, "")
	importClientFile(h, s, h.gm.ClientFile)
	test.Tap(s.login.signInBtn)
	// Let the engine call the opener and hand the link to the widgets.
	for range 100 {
		h.flush()
		if !s.login.wait.copyLink.Disabled() {
			break
		}
	}
	if s.login.wait.copyLink.Disabled() || !strings.Contains(s.login.wait.copyNote.Text, "could not open your browser") || !s.login.wait.box.Visible() {
		t.Fatalf("copy link disabled=%v, note %q, waiting=%v", s.login.wait.copyLink.Disabled(), s.login.wait.copyNote.Text, s.login.wait.box.Visible())
	}
	test.Tap(s.login.wait.copyLink)
	page := testpeer.Fetch(h.app.Clipboard().Content())
	h.settle()
	if page.Status != 200 || !strings.Contains(page.Body, "Signed in") {
		t.Fatalf("browser page %d %q", page.Status, page.Body)
	}
	if list, err := h.eng.List(); err != nil || len(list) != 1 || list[0].Address != ann {
		t.Fatalf("accounts %+v, %v", list, err)
	}
}
