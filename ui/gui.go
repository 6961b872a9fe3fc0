package ui

import (
	"context"
	"net/url"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/mailkey-app/mailkey/app/setup"
)

// gui is the window shell: a sidebar with the accounts and a main area that
// shows one screen at a time. Every screen gets the gui for its dependencies.
type gui struct {
	app      fyne.App
	win      fyne.Window
	eng      *engine.Engine
	tasks    *tasks
	progress *setup.Store
	// openURL opens a link in the system browser; tests replace it.
	openURL func(*url.URL) error

	// stage is the main area with the screen on show (gui_stage.go).
	stage   *stage
	sidebar *sidebar
	// linkDialog is the last "open this page in your browser" dialog shown.
	linkDialog *dialog.CustomDialog
	// relay is the relay the app runs while it is open (account_relay.go).
	relay     *relayRunner
	reminders reminders // watch.go
	// dialog is the dialog on show that Escape closes, if any (nav.go).
	dialog dismisser
}

// notified returns ctx under which the engine's operations tell the user,
// in a dialog, what they did beside what was asked: a damaged accounts file
// kept aside, and where.
func (g *gui) notified(ctx context.Context) context.Context {
	return engine.WithNotifier(ctx, func(t advice.Text) {
		fyne.DoAndWait(func() {
			what, next := localText(t)
			text := sentence(what)
			if next != "" {
				text += "\n" + sentence(next)
			}
			dialog.ShowInformation(tr("notice.title", "Good to know"), text, g.win)
		})
	})
}

func newGUI(a fyne.App, eng *engine.Engine) *gui {
	useLanguage(a.Preferences().String(prefLanguage))
	g := &gui{
		app:      a,
		win:      a.NewWindow("mailkey"),
		eng:      eng,
		tasks:    &tasks{},
		progress: setup.NewStore(eng.Dir()),
		openURL:  a.OpenURL,
		stage:    newStage(),
	}
	g.sidebar = newSidebar(g)
	split := container.NewHSplit(g.sidebar.content(), g.stage.main)
	split.Offset = 0.26
	g.win.SetContent(split)
	// It fits a 1024×600 screen with a desktop's panel; every screen scrolls.
	g.win.Resize(fyne.NewSize(960, 560))
	g.listenKeys()
	g.win.SetOnDropped(g.stage.dropped)
	return g
}

// screen is what every screen struct offers.
type screen interface {
	content() fyne.CanvasObject
}

// shower is a screen that starts loading once it is in the window.
type shower interface {
	onShown()
}

// start loads the accounts and shows the first screen. ui.Run calls it once
// the app is running, so the window maps without waiting for the first
// screen to be built (make bench, row 5).
func (g *gui) start() { g.sidebar.reload(true) }

// show puts a screen in the main area, names it in the window's title,
// highlights its account in the sidebar and gives it the focus.
func (g *gui) show(name string, s screen) {
	g.stage.put(name, s)
	g.win.SetTitle(screenTitle(name, s))
	// Clicking the account in the sidebar comes back from its sub-screens:
	// the list calls OnSelected only when the selection changes.
	if a, ok := s.(*accountScreen); ok {
		g.sidebar.highlight(a.addr)
	} else {
		g.sidebar.highlight("")
	}
	if sh, ok := s.(shower); ok {
		sh.onShown()
	}
	if f := firstFocus(s); f != nil {
		g.win.Canvas().Focus(f)
	} else {
		g.win.Canvas().Unfocus()
	}
}

// firstFocus is where the keyboard starts on screen s, if anywhere.
func firstFocus(s screen) fyne.Focusable {
	switch x := s.(type) {
	case focuser:
		return x.firstFocus()
	case *welcome:
		return x.useAppPassword
	}
	return nil
}

// open opens a link in the system browser, or offers it to copy when no
// browser opens.
func (g *gui) open(link string) {
	u, err := url.Parse(link)
	if err == nil {
		err = g.openURL(u)
	}
	if err != nil {
		g.showLink(link)
	}
}

// showLink offers link to copy into a browser by hand.
func (g *gui) showLink(link string) {
	field := widget.NewEntry()
	field.SetText(link)
	copyBtn := newButtonWithIcon(g, tr("link.copy", "Copy link"), theme.ContentCopyIcon(), nil)
	copyBtn.OnTapped = func() {
		g.app.Clipboard().SetContent(link)
		copyBtn.SetText(tr("link.copied", "Copied"))
	}
	g.linkDialog = dialog.NewCustom(tr("link.title", "Open this page in your browser"), tr("link.close", "Close"), container.NewVBox(
		para(tr("link.text", "mailkey could not open your browser. Copy the link and paste it into your browser's address bar.")),
		field, copyBtn), g.win)
	g.linkDialog.Resize(fyne.NewSize(560, 0))
	d := g.linkDialog
	d.SetOnClosed(func() {
		if g.dialog == dismisser(d) {
			g.dialog = nil
		}
	})
	g.showDialog(d) // Escape closes it
}

// accountsChanged reloads the sidebar after an account was added, changed or removed.
func (g *gui) accountsChanged() { g.sidebar.reload(false) }

// showWelcome shows the choice of method.
func (g *gui) showWelcome() { g.show("welcome", newWelcome(g)) }

// showAccount shows one account's screen.
func (g *gui) showAccount(addr string) { g.show("account", newAccountScreen(g, addr)) }

// showAccountChecked shows one account's screen and runs its health checks at
// once, as right after a sign-in.
func (g *gui) showAccountChecked(addr string) {
	s := newAccountScreen(g, addr)
	s.health.onCheckAgain()
	g.show("account", s)
}

// showHelp shows the troubleshooting screen.
func (g *gui) showHelp() { g.show("help", newHelp(g)) }

// showAppPassword starts the app-password wizard; addr pre-fills the address
// (for "Replace app password").
func (g *gui) showAppPassword(addr string) {
	g.show("app-password", newAppPasswordWizard(g, addr))
}

// showChecklist shows the Google Cloud console checklist.
func (g *gui) showChecklist() { g.show("checklist", newChecklist(g)) }

// showSignIn shows the client-JSON import and the sign-in; addr, when set,
// signs an existing account in again with its saved client.
func (g *gui) showSignIn(addr string) { g.show("sign-in", newSignIn(g, addr)) }

// showCompose shows the compose pane; testToSelf pre-fills a test message to from.
func (g *gui) showCompose(from string, testToSelf bool) {
	g.show("compose", newCompose(g, from, testToSelf))
}
