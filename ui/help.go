package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// help is a placeholder, being written.
type help struct{ g *gui }

func newHelp(g *gui) *help { return &help{g: g} }

func (s *help) content() fyne.CanvasObject { return widget.NewLabel("help") }
