package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// accountScreen is a placeholder, being written.
type accountScreen struct{ g *gui }

func newAccountScreen(g *gui, addr string) *accountScreen { return &accountScreen{g: g} }

func (s *accountScreen) content() fyne.CanvasObject { return widget.NewLabel("account") }
