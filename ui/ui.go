// Package ui is mailkey's desktop app, built with Fyne on the app/engine
// package. Network, keyring and disk work runs off the UI goroutine through
// the tasks helper (async.go); widgets change only through fyne.Do.
package ui

import (
	"context"
	"os"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/mailkey-app/mailkey/app/version"
	"github.com/mailkey-app/mailkey/app/watch"
	"github.com/mailkey-app/mailkey/assets"
)

// Metadata mirrors FyneApp.toml, so that a plain 'go build' behaves like a
// build by the fyne tool (which injects the same values).
var Metadata = fyne.AppMetadata{
	ID:         "app.mailkey.mailkey",
	Name:       "mailkey",
	Version:    version.Version,
	Build:      1,
	Icon:       fyne.NewStaticResource("icon.png", assets.WindowIcon),
	Migrations: map[string]bool{"fyneDo": true},
}

// Run opens the main window and blocks until it is closed.
func Run(eng *engine.Engine) {
	app.SetMetadata(Metadata)
	a := app.NewWithID(Metadata.ID)
	a.SetIcon(Metadata.Icon)
	g := newGUI(a, eng)
	a.Lifecycle().SetOnStarted(func() {
		g.start()
		go g.showRequested(os.Getenv(watch.ShowEnv))                    // show_request.go
		go g.runReminders(context.Background(), "", watch.DefaultEvery) // watch.go
		if os.Getenv("MAILKEY_DEMO") != "" {
			go applyDemo(g)
		}
	})
	g.win.ShowAndRun()
}
