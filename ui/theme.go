package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// appTheme is Fyne's theme with the text colours darkened or lightened
// until every text a user must read has at least 4.5:1 contrast against the
// backgrounds it is drawn on, in the light and the dark variant (WCAG AA;
// theme_test.go measures it), and with a focus highlight that shows on the
// blue buttons too.
type appTheme struct{ fyne.Theme }

func newAppTheme() fyne.Theme { return appTheme{theme.DefaultTheme()} }

// themeColors are the colours that differ from Fyne's, per variant.
var themeColors = map[fyne.ThemeVariant]map[fyne.ThemeColorName]color.Color{
	theme.VariantDark: {
		theme.ColorNameError:       color.NRGBA{R: 0xff, G: 0x6e, B: 0x61, A: 0xff},
		theme.ColorNameHyperlink:   color.NRGBA{R: 0x7a, G: 0xa7, B: 0xff, A: 0xff},
		theme.ColorNamePrimary:     color.NRGBA{R: 0x1f, G: 0x62, B: 0xe0, A: 0xff},
		theme.ColorNamePlaceHolder: color.NRGBA{R: 0xa8, G: 0xa8, B: 0xa8, A: 0xff},
		theme.ColorNameFocus:       color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0x48},
	},
	theme.VariantLight: {
		theme.ColorNameError:       color.NRGBA{R: 0xc6, G: 0x28, B: 0x28, A: 0xff},
		theme.ColorNameWarning:     color.NRGBA{R: 0xa3, G: 0x4e, B: 0x00, A: 0xff},
		theme.ColorNameSuccess:     color.NRGBA{R: 0x1b, G: 0x7a, B: 0x27, A: 0xff},
		theme.ColorNameHyperlink:   color.NRGBA{R: 0x15, G: 0x57, B: 0xd6, A: 0xff},
		theme.ColorNamePrimary:     color.NRGBA{R: 0x1f, G: 0x62, B: 0xe0, A: 0xff},
		theme.ColorNamePlaceHolder: color.NRGBA{R: 0x6b, G: 0x6b, B: 0x6b, A: 0xff},
		theme.ColorNameFocus:       color.NRGBA{R: 0x00, G: 0x00, B: 0x00, A: 0x40},
	},
}

func (t appTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if c, ok := themeColors[v][n]; ok {
		return c
	}
	return t.Theme.Color(n, v)
}
