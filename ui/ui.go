// Package ui is mailkey's desktop app, built with Fyne on the app/engine
// package. Network and keyring work runs off the UI goroutine; widgets change
// only through fyne.Do.
package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/mailkey-app/mailkey/assets"
)

// Metadata mirrors FyneApp.toml, so that a plain 'go build' behaves like a
// build by the fyne tool (which injects the same values).
var Metadata = fyne.AppMetadata{
	ID:         "app.mailkey.desktop",
	Name:       "mailkey",
	Version:    "0.1.0",
	Build:      1,
	Icon:       fyne.NewStaticResource("icon.png", assets.Icon),
	Migrations: map[string]bool{"fyneDo": true},
}

func newApp() fyne.App {
	app.SetMetadata(Metadata)
	a := app.NewWithID(Metadata.ID)
	a.SetIcon(Metadata.Icon)
	return a
}

// Run opens the main window and blocks until it is closed.
func Run(eng *engine.Engine) {
	a := newApp()
	w := a.NewWindow("mailkey")
	w.SetContent(newShell(eng).content())
	w.Resize(fyne.NewSize(960, 680))
	w.ShowAndRun()
}

// shell is the window's content: for now, the accounts the engine knows.
type shell struct {
	eng    *engine.Engine
	status *widget.Label
	list   *widget.Label
}

func newShell(eng *engine.Engine) *shell {
	return &shell{eng: eng, status: widget.NewLabel("Loading accounts…"), list: widget.NewLabel("")}
}

func (s *shell) content() fyne.CanvasObject {
	go s.load()
	return container.NewVBox(widget.NewLabelWithStyle("mailkey", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), s.status, s.list)
}

// load reads the accounts off the UI goroutine.
func (s *shell) load() {
	list, err := s.eng.List()
	fyne.Do(func() {
		if err != nil {
			s.status.SetText(err.Error())
			return
		}
		if len(list) == 0 {
			s.status.SetText("No accounts yet. Add one with 'mailkey login' (see 'mailkey help').")
			return
		}
		s.status.SetText("Accounts:")
		text := ""
		for _, a := range list {
			text += a.Address + "  —  " + string(a.Method) + "  —  " + a.Status.String() + "\n"
		}
		s.list.SetText(text)
	})
}
