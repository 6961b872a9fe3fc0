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

	main    *fyne.Container
	current screen
	// screenName names the screen on show, for tests and the demo hooks.
	screenName string
	sidebar    *sidebar
	// dropTarget receives files dropped on the window, when the screen on show takes them.
	dropTarget func([]fyne.URI)
	// linkDialog is the last "open this page in your browser" dialog shown.
	linkDialog *dialog.CustomDialog
	// relay is the relay the app runs while it is open (account_relay.go).
	relay     *relayRunner
	reminders reminders // watch.go
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
		progress: setup.NewStore(eng.Accounts.Dir()),
		openURL:  a.OpenURL,
		main:     container.NewStack(),
	}
	g.sidebar = newSidebar(g)
	split := container.NewHSplit(g.sidebar.content(), g.main)
	split.Offset = 0.28
	g.win.SetContent(split)
	g.win.Resize(fyne.NewSize(960, 680))
	g.win.SetOnDropped(func(_ fyne.Position, uris []fyne.URI) {
		if g.dropTarget != nil {
			g.dropTarget(uris)
		}
	})
	return g
}

// screen is what every screen struct offers.
type screen interface {
	content() fyne.CanvasObject
}

// dropper is a screen that takes files dropped on the window.
type dropper interface {
	onDropped(uris []fyne.URI)
}

// shower is a screen that starts loading once it is in the window.
type shower interface {
	onShown()
}

// start loads the accounts and shows the first screen. ui.Run calls it once
// the app is running, so the window maps without waiting for the first
// screen to be built (make bench, row 5).
func (g *gui) start() { g.sidebar.reload(true) }

// show puts a screen in the main area. A screen with an onDropped method
// receives the files dropped on the window while it is on show.
func (g *gui) show(name string, s screen) {
	g.screenName = name
	g.current = s
	g.dropTarget = nil
	if d, ok := s.(dropper); ok {
		g.dropTarget = d.onDropped
	}
	g.main.Objects = []fyne.CanvasObject{s.content()}
	g.main.Refresh()
	if sh, ok := s.(shower); ok {
		sh.onShown()
	}
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
	copyBtn := widget.NewButtonWithIcon(tr("link.copy", "Copy link"), theme.ContentCopyIcon(), nil)
	copyBtn.OnTapped = func() {
		g.app.Clipboard().SetContent(link)
		copyBtn.SetText(tr("link.copied", "Copied"))
	}
	g.linkDialog = dialog.NewCustom(tr("link.title", "Open this page in your browser"), tr("link.close", "Close"), container.NewVBox(
		para(tr("link.text", "mailkey could not open your browser. Copy the link and paste it into your browser's address bar.")),
		field, copyBtn), g.win)
	g.linkDialog.Resize(fyne.NewSize(560, 0))
	g.linkDialog.Show()
}

// accountsChanged reloads the sidebar after an account was added, changed or removed.
func (g *gui) accountsChanged() { g.sidebar.reload(false) }

// showWelcome shows the choice of method.
func (g *gui) showWelcome() {
	g.sidebar.list.UnselectAll()
	g.show("welcome", newWelcome(g))
}

// showAccount shows one account's screen.
func (g *gui) showAccount(addr string) { g.show("account", newAccountScreen(g, addr)) }

// showAccountChecked shows one account's screen and runs its health checks at
// once, as right after a sign-in.
func (g *gui) showAccountChecked(addr string) {
	s := newAccountScreen(g, addr)
	s.checkNow = true
	g.show("account", s)
}

// showHelp shows the troubleshooting screen.
func (g *gui) showHelp() {
	g.sidebar.list.UnselectAll()
	g.show("help", newHelp(g))
}

// sidebar lists the accounts with their status, with "Add account" below.
type sidebar struct {
	g     *gui
	infos []engine.Info
	list  *widget.List
	note  *widget.Label
}

func newSidebar(g *gui) *sidebar {
	s := &sidebar{g: g, note: widget.NewLabel("")}
	s.note.Wrapping = fyne.TextWrapWord
	s.list = widget.NewList(
		func() int { return len(s.infos) },
		func() fyne.CanvasObject {
			return container.NewVBox(widget.NewLabelWithStyle("address", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), widget.NewLabel("status"))
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id >= len(s.infos) {
				return
			}
			box := o.(*fyne.Container)
			box.Objects[0].(*widget.Label).SetText(s.infos[id].Address)
			box.Objects[1].(*widget.Label).SetText(s.g.accountBadge(s.infos[id].Address, statusText(s.infos[id]))) // watch.go
		})
	s.list.OnSelected = func(id widget.ListItemID) {
		if id < len(s.infos) {
			g.showAccount(s.infos[id].Address)
		}
	}
	return s
}

func (s *sidebar) content() fyne.CanvasObject {
	add := widget.NewButtonWithIcon(tr("sidebar.add_account", "Add account"), theme.ContentAddIcon(), s.g.showWelcome)
	add.Importance = widget.HighImportance
	help := widget.NewButtonWithIcon(tr("sidebar.help", "Help"), theme.HelpIcon(), s.g.showHelp)
	title := widget.NewLabelWithStyle(tr("sidebar.accounts", "Accounts"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	return container.NewBorder(title, container.NewVBox(s.note, add, help), nil, nil, s.list)
}

// reload reads the accounts off the UI goroutine. With first, it also picks
// the first screen: the welcome screen when there is no account yet.
func (s *sidebar) reload(first bool) {
	run(s.g.tasks, s.g.eng.List, func(list []engine.Info, err error) {
		if err != nil {
			s.note.SetText(errorText(err))
			list = nil
		} else {
			s.note.SetText("")
		}
		s.infos = list
		s.list.Refresh()
		if !first {
			return
		}
		if len(list) == 0 {
			s.g.showWelcome()
			return
		}
		s.list.Select(0)
	})
}

// selectAddress highlights addr in the list, if present, without reloading.
func (s *sidebar) selectAddress(addr string) {
	for i, in := range s.infos {
		if in.Address == addr {
			s.list.Select(i)
			return
		}
	}
}

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
