package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// welcome is a placeholder, being written.
type welcome struct{ g *gui }

func newWelcome(g *gui) *welcome { return &welcome{g: g} }

func (s *welcome) content() fyne.CanvasObject { return widget.NewLabel("welcome") }
