package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

// TestFocusRingContrast: the ring around a focused button has at least 3:1
// against the colours next to it, the window's background, a plain button
// and a blue one, in the dark and the light variant (WCAG 2.2, 1.4.11
// non-text contrast and 2.4.13 focus appearance).
func TestFocusRingContrast(t *testing.T) {
	th := newAppTheme()
	for name, v := range variants {
		ring := th.Color(colorNameFocusRing, v)
		for _, next := range []fyne.ThemeColorName{
			theme.ColorNameBackground, theme.ColorNameButton, theme.ColorNamePrimary,
			theme.ColorNameOverlayBackground,
		} {
			r := contrast(ring, th.Color(next, v))
			t.Logf("%s: focus ring against %s: %.2f:1", name, next, r)
			if r < 3 {
				t.Errorf("%s: the focus ring has %.2f:1 against %s, want at least 3:1", name, r, next)
			}
		}
	}
}

// TestFocusedButtonShowsTheRing: the ring is drawn while a button has the
// focus, in the ring colour, and not before or after.
func TestFocusedButtonShowsTheRing(t *testing.T) {
	h := newHarness(t)
	h.app.Settings().SetTheme(newAppTheme())
	h.g.showWelcome()
	h.settle()
	w := h.g.stage.current.(*welcome)
	ring := func() *canvas.Rectangle {
		for _, o := range test.WidgetRenderer(w.setupOAuth).Objects() {
			if r, ok := o.(*canvas.Rectangle); ok && r.StrokeWidth >= focusRingWidth {
				return r
			}
		}
		return nil
	}
	if r := ring(); r == nil || r.Visible() {
		t.Fatalf("before the focus, the ring is %v", r)
	}
	h.g.win.Canvas().Focus(w.setupOAuth)
	r := ring()
	if r == nil || !r.Visible() || r.StrokeColor != newAppTheme().Color(colorNameFocusRing, h.app.Settings().ThemeVariant()) {
		t.Fatalf("a focused button shows no ring in the ring colour: %+v", r)
	}
	h.g.win.Canvas().Focus(w.useAppPassword)
	if ring().Visible() {
		t.Fatal("the ring stays after the focus moved on")
	}
}

// TestFocusScrollsIntoView: Tab to a button below the fold of a scrolled
// screen scrolls the screen until the button shows, and back up again.
func TestFocusScrollsIntoView(t *testing.T) {
	h := newHarness(t)
	h.g.win.Resize(fyne.NewSize(1024, 360)) // a short window, or a tall screen in a larger font
	h.g.showAppPassword("")
	h.settle()
	s := h.g.stage.current.(*appPasswordWizard)
	sc := screenScroll(h.g.stage.main)
	if sc == nil {
		t.Fatal("the app-password screen has no scroll")
	}
	sc.ScrollToTop()
	d := fyne.CurrentApp().Driver()
	var bottom *button // the lowest button that can take the focus
	walkShown(sc.Content, func(o fyne.CanvasObject) {
		if b, ok := o.(*button); ok && !b.Disabled() && (bottom == nil || d.AbsolutePositionForObject(b).Y > d.AbsolutePositionForObject(bottom).Y) {
			bottom = b
		}
	})
	if y := d.AbsolutePositionForObject(bottom).Y - d.AbsolutePositionForObject(sc).Y; y+bottom.Size().Height <= sc.Size().Height {
		t.Fatalf("the lowest button is already in view (at %.0f of %.0f): the test needs a screen taller than the window", y, sc.Size().Height)
	}
	h.g.win.Canvas().Focus(bottom)
	if sc.Offset.Y <= 0 {
		t.Fatal("the focus went below the fold and the screen did not scroll")
	}
	y := d.AbsolutePositionForObject(bottom).Y - d.AbsolutePositionForObject(sc).Y
	if y < 0 || y+bottom.Size().Height > sc.Size().Height {
		t.Fatalf("after the scroll, the button is at %.0f–%.0f, outside 0–%.0f", y, y+bottom.Size().Height, sc.Size().Height)
	}
	h.g.win.Canvas().Focus(s.form.address)
	if y := d.AbsolutePositionForObject(s.form.address).Y - d.AbsolutePositionForObject(sc).Y; y < 0 {
		t.Fatalf("focusing the address above left it at %.0f, out of view", y)
	}
}

// walkShown is walk over what is on show: hidden objects and what they hold are left out.
func walkShown(o fyne.CanvasObject, fn func(fyne.CanvasObject)) {
	walkWhere(o, fyne.CanvasObject.Visible, fn)
}
