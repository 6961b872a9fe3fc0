package ui

import (
	"image/color"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// contrast is the WCAG 2 contrast ratio of two opaque colours.
func contrast(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func luminance(c color.Color) float64 {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	lin := func(v uint8) float64 {
		s := float64(v) / 255
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(n.R) + 0.7152*lin(n.G) + 0.0722*lin(n.B)
}

// labelColor is the colour Fyne draws a label of importance imp in (widget/label.go).
func labelColor(imp widget.Importance) fyne.ThemeColorName {
	switch imp {
	case widget.LowImportance:
		return theme.ColorNameDisabled
	case widget.HighImportance:
		return theme.ColorNamePrimary
	case widget.DangerImportance:
		return theme.ColorNameError
	case widget.WarningImportance:
		return theme.ColorNameWarning
	case widget.SuccessImportance:
		return theme.ColorNameSuccess
	}
	return theme.ColorNameForeground
}

var variants = map[string]fyne.ThemeVariant{"dark": theme.VariantDark, "light": theme.VariantLight}

// TestThemeContrast measures the text colours of the app's theme against the
// backgrounds they are drawn on: at least 4.5:1 (WCAG AA) in both variants.
// The primary colour is a button's background, under white text; no text is
// drawn in it (TestScreensReadable checks the labels).
func TestThemeContrast(t *testing.T) {
	th := newAppTheme()
	texts := []fyne.ThemeColorName{
		theme.ColorNameForeground, theme.ColorNameError, theme.ColorNameWarning,
		theme.ColorNameSuccess, theme.ColorNameHyperlink,
	}
	backs := []fyne.ThemeColorName{theme.ColorNameBackground, theme.ColorNameOverlayBackground, theme.ColorNameInputBackground}
	pairs := [][2]fyne.ThemeColorName{
		{theme.ColorNamePlaceHolder, theme.ColorNameInputBackground},
		{theme.ColorNameForegroundOnPrimary, theme.ColorNamePrimary},
		{theme.ColorNameForegroundOnError, theme.ColorNameError}, // Remove, Leave
		{theme.ColorNameForegroundOnWarning, theme.ColorNameWarning},
		{theme.ColorNameForegroundOnSuccess, theme.ColorNameSuccess},
		{theme.ColorNameForeground, theme.ColorNameButton},
	}
	for _, fg := range texts {
		for _, bg := range backs {
			pairs = append(pairs, [2]fyne.ThemeColorName{fg, bg})
		}
	}
	for name, v := range variants {
		for _, p := range pairs {
			r := contrast(th.Color(p[0], v), th.Color(p[1], v))
			t.Logf("%s: %s on %s: %.2f:1", name, p[0], p[1], r)
			if r < 4.5 {
				t.Errorf("%s: %s on %s has %.2f:1 contrast, want at least 4.5:1", name, p[0], p[1], r)
			}
		}
	}
}

// TestScreensReadable walks the visible labels of the setup screens and
// checks the colour each one is drawn in against the background, in both
// variants: a hint drawn in the disabled colour fails (issue 11, defect 7).
func TestScreensReadable(t *testing.T) {
	h := newHarness(t)
	th := newAppTheme()
	screens := map[string]func(){
		"app-password": func() { h.g.showAppPassword("") },
		"welcome":      h.g.showWelcome,
		"compose":      func() { h.g.showCompose("", false) },
		"help":         h.g.showHelp,
	}
	for name, show := range screens {
		show()
		h.settle()
		for vname, v := range variants {
			bg := th.Color(theme.ColorNameBackground, v)
			walkLabels(h.g.stage.main, func(l *widget.Label) {
				if l.Text == "" {
					return
				}
				fg := th.Color(labelColor(l.Importance), v)
				if r := contrast(fg, bg); r < 4.5 {
					t.Errorf("%s, %s: %q is drawn in %s at %.2f:1", name, vname, l.Text, labelColor(l.Importance), r)
				}
			})
		}
	}
}

// walkLabels calls f for every visible label under o.
func walkLabels(o fyne.CanvasObject, f func(*widget.Label)) {
	if !o.Visible() {
		return
	}
	switch x := o.(type) {
	case *widget.Label:
		f(x)
		return
	case *fyne.Container:
		for _, c := range x.Objects {
			walkLabels(c, f)
		}
		return
	case fyne.Widget:
		r := test.WidgetRenderer(x)
		for _, c := range r.Objects() {
			walkLabels(c, f)
		}
	}
}
