package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Navigation (issue 11): every screen but the first has a way back (its Back
// or Cancel button, and Escape), the window's title names the screen on
// show, and leaving a screen with unsaved input asks first.

// guarded is a screen that holds input leaving would lose. leaveQuestion
// says what would be lost, or "" when nothing would be.
type guarded interface {
	leaveQuestion() string
}

// leaving is a screen that stops its work when the user leaves it (the
// sign-in's wait for the browser).
type leaving interface {
	onLeave()
}

// focuser is a screen that puts the focus on its first field or its primary
// button once shown, so that the keyboard starts there.
type focuser interface {
	firstFocus() fyne.Focusable
}

// screenTitle is the window's title for a screen: what it is, then the app.
func screenTitle(name string, s screen) string {
	titles := map[string]func() string{
		"welcome":      func() string { return tr("title.welcome", "Add an account") },
		"app-password": func() string { return tr("title.app_password", "App password") },
		"checklist":    func() string { return tr("title.checklist", "Google Cloud setup") },
		"sign-in":      func() string { return tr("title.sign_in", "Sign in with Google") },
		"compose":      func() string { return tr("compose.title", "New message") },
		"help":         func() string { return tr("sidebar.help", "Help") },
	}
	if a, ok := s.(*accountScreen); ok {
		return a.addr + " – mailkey"
	}
	if f, ok := titles[name]; ok {
		return f() + " – mailkey"
	}
	return "mailkey"
}

// navigate runs to, which shows another screen, once the user agreed to
// leave the screen on show: at once when it holds nothing to lose.
func (g *gui) navigate(to func()) {
	q := ""
	if gs, ok := g.stage.current.(guarded); ok {
		q = gs.leaveQuestion()
	}
	if q == "" {
		g.leave()
		to()
		return
	}
	d := dialog.NewConfirm(tr("nav.leave.title", "Leave this screen?"), q, func(ok bool) {
		g.dialog = nil
		if ok {
			g.leave()
			to()
		} else {
			g.sidebar.keepSelection()
		}
	}, g.win)
	d.SetConfirmText(tr("nav.leave", "Leave"))
	d.SetDismissText(tr("nav.stay", "Stay"))
	d.SetConfirmImportance(widget.DangerImportance)
	g.showDialog(d)
}

// leave lets the screen on show stop its work.
func (g *gui) leave() {
	if l, ok := g.stage.current.(leaving); ok {
		l.onLeave()
	}
}

// dismisser is a dialog that Escape closes.
type dismisser interface {
	Show()
	Dismiss()
}

// showDialog shows d and remembers it, so that Escape closes it.
func (g *gui) showDialog(d dismisser) {
	g.dialog = d
	d.Show()
}

// back goes to the screen a sub-screen was opened from: an account's own
// screen from its Compose, Sign in again or Replace app password, the
// checklist from a new sign-in, the choice of method from a new setup.
func (g *gui) back() {
	addr, parent := "", ""
	switch s := g.stage.current.(type) {
	case *compose:
		addr = s.from.choice.Selected
		if addr == "" {
			addr = s.from.initial
		}
	case *signIn:
		addr, parent = s.addr, "checklist"
	case *appPasswordWizard:
		addr = s.replace
	case *checklist, *help:
	default:
		return // the account screens and the welcome screen are top level
	}
	g.navigate(func() {
		switch {
		case addr != "" && g.sidebar.has(addr):
			g.showAccount(addr)
		case parent == "checklist":
			g.showChecklist()
		case len(g.sidebar.infos) > 0 && g.stage.name == "help":
			g.showAccount(g.sidebar.infos[0].Address)
		default:
			g.showWelcome()
		}
	})
}

// windowKey handles the keys that work on every screen: Escape closes the
// dialog on show or goes back, F1 opens Help.
func (g *gui) windowKey(ev *fyne.KeyEvent) bool {
	switch ev.Name {
	case fyne.KeyEscape:
		// Each dialog forgets itself in its callback; one still set is on show.
		if d := g.dialog; d != nil {
			g.dialog = nil
			d.Dismiss()
			return true
		}
		g.back()
		return true
	case fyne.KeyF1:
		g.navigate(g.showHelp)
		return true
	}
	return false
}

// windowShortcut handles Ctrl+N (a new message from the selected account)
// and passes Ctrl+O and Ctrl+Enter to Compose.
func (g *gui) windowShortcut(s fyne.Shortcut) bool {
	switch s.ShortcutName() {
	case shortcutNew.ShortcutName():
		g.onNewMessage()
		return true
	case shortcutAttach.ShortcutName():
		if c, ok := g.stage.current.(*compose); ok {
			c.attach.onAdd()
			return true
		}
	case shortcutSend.ShortcutName(), shortcutSendEnter.ShortcutName():
		if c, ok := g.stage.current.(*compose); ok {
			c.onSend()
			return true
		}
	}
	return false
}

// onNewMessage opens Compose from the account on show, or the first one.
func (g *gui) onNewMessage() {
	from := ""
	if a, ok := g.stage.current.(*accountScreen); ok {
		from = a.addr
	} else if len(g.sidebar.infos) > 0 {
		from = g.sidebar.infos[0].Address
	}
	if from == "" {
		return
	}
	g.navigate(func() { g.showCompose(from, false) })
}

// listenKeys routes the keys typed while no widget has the focus.
func (g *gui) listenKeys() {
	c := g.win.Canvas()
	c.SetOnTypedKey(func(ev *fyne.KeyEvent) { g.windowKey(ev) })
	for _, s := range []fyne.Shortcut{shortcutNew, shortcutAttach, shortcutSend, shortcutSendEnter} {
		c.AddShortcut(s, func(s fyne.Shortcut) { g.windowShortcut(s) })
	}
}

// reveal scrolls the screen on show so that o, which just got the focus, is
// in view: Tab then never moves the focus out of sight.
func (g *gui) reveal(o fyne.CanvasObject) {
	sc := screenScroll(g.stage.main)
	d := fyne.CurrentApp().Driver()
	if sc == nil || d.CanvasForObject(o) == nil {
		return
	}
	top := d.AbsolutePositionForObject(o).Y - d.AbsolutePositionForObject(sc).Y
	bottom := top + o.Size().Height
	off := sc.Offset
	switch {
	case top < 0:
		off.Y += top - theme.Padding()
	case bottom > sc.Size().Height:
		off.Y += bottom - sc.Size().Height + theme.Padding()
	default:
		return
	}
	sc.ScrollToOffset(off)
}

// screenScroll finds the vertical scroll of the screen under o, looking
// through containers only (a screen's scroll is never inside a widget).
func screenScroll(o fyne.CanvasObject) *container.Scroll {
	switch x := o.(type) {
	case *container.Scroll:
		return x
	case *fyne.Container:
		for _, c := range x.Objects {
			if s := screenScroll(c); s != nil {
				return s
			}
		}
	}
	return nil
}
