package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
)

// colorNameFocusRing is the colour of the ring drawn around the focused
// button: at least 3:1 against the window's background, a plain button and a
// blue one, in both variants (WCAG 2.2 non-text contrast, theme_test.go).
// Fyne shows a button's focus only as a tint of its background, which on
// the blue buttons is about 1.5:1.
const colorNameFocusRing fyne.ThemeColorName = "mailkeyFocusRing"

// focusRingWidth is the ring's stroke, at least 2 px as WCAG 2.4.13 asks.
const focusRingWidth = 2

// focusRingColor is the ring's colour in th, for the variant in use; a
// theme other than the app's (Fyne's test theme) gets the foreground colour.
func focusRingColor(th fyne.Theme) color.Color {
	v := fyne.CurrentApp().Settings().ThemeVariant()
	if _, ok := th.(appTheme); ok {
		return th.Color(colorNameFocusRing, v)
	}
	return th.Color(theme.ColorNameForeground, v)
}

// focusRingRenderer is a button's renderer with the ring on top, shown while
// the button has the focus.
type focusRingRenderer struct {
	fyne.WidgetRenderer
	b    *button
	ring *canvas.Rectangle
}

func (b *button) CreateRenderer() fyne.WidgetRenderer {
	ring := canvas.NewRectangle(color.Transparent)
	ring.StrokeWidth = focusRingWidth
	ring.CornerRadius = theme.InputRadiusSize()
	r := &focusRingRenderer{WidgetRenderer: b.Button.CreateRenderer(), b: b, ring: ring}
	r.Refresh()
	return r
}

func (r *focusRingRenderer) Layout(size fyne.Size) {
	r.WidgetRenderer.Layout(size)
	r.ring.Move(fyne.NewPos(0, 0))
	r.ring.Resize(size)
}

func (r *focusRingRenderer) Objects() []fyne.CanvasObject {
	return append(r.WidgetRenderer.Objects(), r.ring)
}

func (r *focusRingRenderer) Refresh() {
	r.WidgetRenderer.Refresh()
	r.ring.StrokeColor = focusRingColor(r.b.Theme())
	r.ring.Hidden = !r.b.hasFocus
	r.ring.Refresh()
}
