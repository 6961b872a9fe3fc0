//go:build demo

// The screenshot hooks are built only with the "demo" tag (make screenshots
// builds bin/mailkey-app-demo with it), so the shipped app carries none of them.

package ui

import (
	"os"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"

	"github.com/mailkey-app/mailkey/app/engine"
)

// applyDemo puts the window on one screen for the README's screenshots (make
// screenshots): MAILKEY_DEMO=checklist | app-password | signin-wait | compose | arrival | account
// (the first account's screen, scrolled to its Health card once the checks
// ran). For
// signin-wait, MAILKEY_DEMO_CLIENT names the client JSON to import, and no
// browser is opened. It runs on its own goroutine; widgets change through fyne.Do.
func init() { demoHook = applyDemo }

func applyDemo(g *gui) {
	g.tasks.wait() // let the first screen land, then replace it
	// A screenshot's name may end in its language: "account-fr".
	switch strings.TrimSuffix(os.Getenv("MAILKEY_DEMO"), "-fr") {
	case "checklist":
		fyne.Do(g.showChecklist)
	case "app-password":
		fyne.Do(func() { g.showAppPassword("") })
	case "compose":
		go func() {
			list, err := g.eng.List()
			if err != nil || len(list) == 0 {
				return
			}
			fyne.Do(func() { g.showCompose(list[0].Address, true) })
		}()
	case "arrival":
		go demoArrival(g)
	case "account":
		demoAccount(g)
	case "signin-wait":
		demoSignInWait(g)
	}
}

// demoAccount waits for the first account's screen, runs its checks and
// scrolls to the Health card.
func demoAccount(g *gui) {
	// The app opens the first account by itself; wait for that screen,
	// then run its checks.
	var s *accountScreen
	for range 100 {
		fyne.DoAndWait(func() { s, _ = g.stage.current.(*accountScreen) })
		if s != nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(time.Second) // the sidebar may open it again once it has the statuses
	fyne.DoAndWait(func() { s, _ = g.stage.current.(*accountScreen) })
	if s == nil {
		return
	}
	fyne.DoAndWait(s.health.onCheckAgain)
	for range 200 {
		done := false
		fyne.DoAndWait(func() { done = s.health.checks != nil })
		if done {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	fyne.Do(func() {
		if sc, ok := s.root.(*container.Scroll); ok {
			sc.ScrollToOffset(fyne.NewPos(0, s.health.card.Position().Y-theme.Padding()))
		}
	})
}

// demoSignInWait drops the demo client on the sign-in screen and starts the
// sign-in, which waits for a browser that never answers.
func demoSignInWait(g *gui) {
	g.eng.Use(engine.WithBrowser(engine.BrowserFunc(func(string) error { return nil })))
	var s *signIn
	fyne.DoAndWait(func() {
		g.showSignIn("")
		s = g.stage.current.(*signIn)
		s.onDropped([]fyne.URI{storage.NewFileURI(os.Getenv("MAILKEY_DEMO_CLIENT"))})
	})
	go func() {
		for range 100 {
			ready := false
			fyne.DoAndWait(func() { ready = s.choice.client != nil })
			if ready {
				fyne.Do(s.onSignIn)
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
	}()
}

// demoArrival sends a test email to self from the first account and waits
// for its arrival, for the README's screenshot (MAILKEY_DEMO=arrival).
func demoArrival(g *gui) {
	list, err := g.eng.List()
	if err != nil || len(list) == 0 {
		return
	}
	var c *compose
	fyne.DoAndWait(func() {
		g.showCompose(list[0].Address, true)
		c, _ = g.stage.current.(*compose)
	})
	for range 100 {
		ready := false
		fyne.DoAndWait(func() { ready = c != nil && c.from.choice.Selected != "" })
		if ready {
			fyne.Do(c.onSend)
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}
