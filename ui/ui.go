// Package ui is mailkey's desktop app, built with Fyne on the app/engine
// package. Network, keyring and disk work runs off the UI goroutine through
// the tasks helper (async.go); widgets change only through fyne.Do.
package ui

import (
	"context"
	"fmt"
	"os"
	"runtime"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"github.com/mailkey-app/mailkey"
	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/mailkey-app/mailkey/app/watch"
	"github.com/mailkey-app/mailkey/assets"
)

// metadata mirrors FyneApp.toml, so that a plain 'go build' behaves like a
// build by the fyne tool (which injects the same values). The version and
// build come from FyneApp.toml itself (package mailkey).
var metadata = fyne.AppMetadata{
	ID:         "app.mailkey.mailkey",
	Name:       "mailkey",
	Version:    mailkey.Version,
	Build:      mailkey.Build,
	Icon:       fyne.NewStaticResource("icon.png", assets.WindowIcon),
	Migrations: map[string]bool{"fyneDo": true},
}

// Run opens the main window and blocks until it is closed.
// Without a graphical session it says so and exits with 1, before Fyne's
// driver would panic.
func Run(eng *engine.Engine) {
	if !hasDisplay(runtime.GOOS, os.Getenv) {
		fmt.Fprintln(os.Stderr, tr("run.no_display", "mailkey's window needs a graphical session (no DISPLAY or WAYLAND_DISPLAY is set); every command works without one: see 'mailkey help'."))
		os.Exit(1)
	}
	app.SetMetadata(metadata)
	a := app.NewWithID(metadata.ID)
	a.SetIcon(metadata.Icon)
	a.Settings().SetTheme(newAppTheme())
	g := newGUI(a, eng)
	a.Lifecycle().SetOnStarted(func() {
		g.start()
		go g.showRequested(os.Getenv(watch.ShowEnv))                    // show_request.go
		go g.runReminders(context.Background(), "", watch.DefaultEvery) // watch.go
		if demoHook != nil && os.Getenv("MAILKEY_DEMO") != "" {
			go demoHook(g)
		}
	})
	g.win.ShowAndRun()
}

// demoHook, set only in a build with the "demo" tag (demo.go), puts the
// window on the screen MAILKEY_DEMO names, for the README's screenshots.
var demoHook func(*gui)

// hasDisplay reports whether a window can open: on Linux and the BSDs, an X11
// or Wayland display must be named; macOS and Windows always have one.
func hasDisplay(goos string, getenv func(string) string) bool {
	switch goos {
	case "darwin", "windows", "android", "ios", "js":
		return true
	}
	return getenv("DISPLAY") != "" || getenv("WAYLAND_DISPLAY") != ""
}
