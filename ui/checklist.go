package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// checklist is a placeholder, being written.
type checklist struct{ g *gui }

func newChecklist(g *gui) *checklist { return &checklist{g: g} }

func (s *checklist) content() fyne.CanvasObject { return widget.NewLabel("checklist") }
