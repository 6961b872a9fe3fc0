package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// appPasswordWizard is a placeholder, being written.
type appPasswordWizard struct{ g *gui }

func newAppPasswordWizard(g *gui, addr string) *appPasswordWizard { return &appPasswordWizard{g: g} }

func (s *appPasswordWizard) content() fyne.CanvasObject { return widget.NewLabel("apppassword") }
