package ui

import (
	"os"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
)

// applyDemo puts the window on one screen for the README's screenshots (make
// screenshots): MAILKEY_DEMO=checklist | signin-wait | compose. For
// signin-wait, MAILKEY_DEMO_CLIENT names the client JSON to import, and no
// browser is opened. It runs on its own goroutine; widgets change through fyne.Do.
func applyDemo(g *gui) {
	g.tasks.wait() // let the first screen land, then replace it
	switch os.Getenv("MAILKEY_DEMO") {
	case "checklist":
		fyne.Do(g.showChecklist)
	case "compose":
		go func() {
			list, err := g.eng.List()
			if err != nil || len(list) == 0 {
				return
			}
			fyne.Do(func() { g.showCompose(list[0].Address, true) })
		}()
	case "signin-wait":
		g.eng.Open = func(string) error { return nil }
		var s *signIn
		fyne.DoAndWait(func() {
			g.showSignIn("")
			s = g.current.(*signIn)
			s.onDropped([]fyne.URI{storage.NewFileURI(os.Getenv("MAILKEY_DEMO_CLIENT"))})
		})
		go func() {
			for range 100 {
				ready := false
				fyne.DoAndWait(func() { ready = s.client != nil })
				if ready {
					fyne.Do(s.onSignIn)
					return
				}
				time.Sleep(50 * time.Millisecond)
			}
		}()
	}
}
