package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// signIn is a placeholder, being written.
type signIn struct{ g *gui }

func newSignIn(g *gui, addr string) *signIn { return &signIn{g: g} }

func (s *signIn) content() fyne.CanvasObject { return widget.NewLabel("signin") }
