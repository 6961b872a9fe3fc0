package ui

import (
	"strings"

	"fyne.io/fyne/v2"

	"github.com/mailkey-app/mailkey/app/watch"
)

// showRequested opens the screen a watcher's notification asked for
// (watch.ShowEnv: "sign-in:ADDR" or "account:ADDR") once the sidebar has
// loaded. Call it in a goroutine after start.
func (g *gui) showRequested(req string) {
	screen, addr, ok := strings.Cut(req, ":")
	if !ok || addr == "" {
		return
	}
	g.tasks.wait() // the first load selects the first account: come after it
	if screen != watch.ScreenSignIn && screen != watch.ScreenAccount {
		return
	}
	fyne.Do(func() { g.showScreen(screen, addr) }) // watch.go
}
