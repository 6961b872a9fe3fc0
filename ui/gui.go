package ui

import (
	"context"
	"net/url"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/mailkey-app/mailkey/app/google"
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

// sidebar lists the accounts with their status, with "Add account" below.
type sidebar struct {
	g     *gui
	infos []engine.Info
	list  *widget.List
	note  *widget.Label
	// resume offers to continue the Google Cloud checklist where it stopped.
	resume *button
	// quiet is set while the list's selection follows the screen on show.
	quiet bool
}

func newSidebar(g *gui) *sidebar {
	s := &sidebar{g: g, note: widget.NewLabel("")}
	s.resume = newButtonWithIcon(g, "", theme.MediaPlayIcon(), func() { g.navigate(g.showChecklist) })
	s.resume.Hide()
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
		if s.quiet || id >= len(s.infos) {
			return
		}
		addr := s.infos[id].Address
		g.navigate(func() { g.showAccount(addr) })
	}
	return s
}

// highlight selects addr in the list ("" for none) without opening it.
func (s *sidebar) highlight(addr string) {
	s.quiet = true
	defer func() { s.quiet = false }()
	for i, in := range s.infos {
		if addr != "" && in.Address == addr {
			s.list.Select(i)
			return
		}
	}
	s.list.UnselectAll()
}

// keepSelection puts the selection back on the screen on show, after the
// user chose to stay on it.
func (s *sidebar) keepSelection() {
	if a, ok := s.g.stage.current.(*accountScreen); ok {
		s.highlight(a.addr)
		return
	}
	s.highlight("")
}

// has reports whether addr is one of the accounts.
func (s *sidebar) has(addr string) bool {
	for _, in := range s.infos {
		if account.Same(in.Address, addr) {
			return true
		}
	}
	return false
}

func (s *sidebar) content() fyne.CanvasObject {
	add := newButtonWithIcon(s.g, tr("sidebar.add_account", "Add account"), theme.ContentAddIcon(), func() { s.g.navigate(s.g.showWelcome) })
	help := newButtonWithIcon(s.g, tr("sidebar.help", "Help"), theme.HelpIcon(), func() { s.g.navigate(s.g.showHelp) })
	help.Button.Importance = widget.LowImportance
	title := widget.NewLabelWithStyle(tr("sidebar.accounts", "Accounts"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	return container.NewBorder(title, container.NewVBox(s.note, s.resume, add, help), nil, nil, s.list)
}

// reload reads the accounts off the UI goroutine. With first, it also picks
// the first screen: the welcome screen when there is no account yet.
func (s *sidebar) reload(first bool) {
	type loaded struct {
		list     []engine.Info
		progress setup.Progress
	}
	run(s.g.tasks, func() (loaded, error) {
		list, err := s.g.eng.List()
		return loaded{list, s.g.progress.Load()}, err
	}, func(l loaded, err error) {
		list := l.list
		s.showResume(l.progress, list)
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
		s.g.showAccount(list[0].Address)
	})
}

// selectAddress highlights addr in the list, if present, without reloading.
func (s *sidebar) selectAddress(addr string) { s.highlight(addr) }

// showResume offers "Continue setting up (step N of 7)" while the Google
// Cloud checklist is under way and no OAuth account has been added yet.
func (s *sidebar) showResume(p setup.Progress, list []engine.Info) {
	s.resume.Hide()
	for _, in := range list {
		if in.Method == account.OAuth {
			return
		}
	}
	n := 0
	for i, st := range google.ConsoleSteps {
		if st.ID == p.Step {
			n = i + 1
		}
	}
	if n == 0 && len(p.Done) > 0 {
		n = len(p.Done) + 1
	}
	if n == 0 || n > len(google.ConsoleSteps) {
		return
	}
	s.resume.SetText(tr("sidebar.resume", "Continue setting up (step {{.Step}} of {{.Steps}})",
		map[string]any{"Step": n, "Steps": len(google.ConsoleSteps)}))
	s.resume.Show()
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
