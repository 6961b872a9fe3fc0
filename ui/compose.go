package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// compose is a placeholder, being written.
type compose struct{ g *gui }

func newCompose(g *gui, from string, testToSelf bool) *compose { return &compose{g: g} }

func (s *compose) content() fyne.CanvasObject { return widget.NewLabel("compose") }
