package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// The window's keyboard shortcuts (issue 11). Fyne hands a key to the focused
// widget only, so the entries and buttons of the screens pass the window's
// keys on to the gui: Escape goes back, F1 opens Help, and the Ctrl
// shortcuts reach the screen on show whatever has the focus.
var (
	shortcutNew    = &desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: fyne.KeyModifierShortcutDefault}
	shortcutAttach = &desktop.CustomShortcut{KeyName: fyne.KeyO, Modifier: fyne.KeyModifierShortcutDefault}
	shortcutSend   = &desktop.CustomShortcut{KeyName: fyne.KeyReturn, Modifier: fyne.KeyModifierShortcutDefault}
	// shortcutSendEnter is Ctrl with the keypad's Enter.
	shortcutSendEnter = &desktop.CustomShortcut{KeyName: fyne.KeyEnter, Modifier: fyne.KeyModifierShortcutDefault}
)

// keyRouter is what the widgets below pass the window's keys to: the gui.
type keyRouter interface {
	// windowKey handles Escape and F1; it reports whether it did.
	windowKey(ev *fyne.KeyEvent) bool
	// windowShortcut handles the window's shortcuts; it reports whether it did.
	windowShortcut(s fyne.Shortcut) bool
	// reveal scrolls the screen so that o, which just got the focus, is in view.
	reveal(o fyne.CanvasObject)
}

// entry is a text field that leaves the window's keys to the window. A
// multi-line entry does not take Tab either: Tab moves the focus on, so
// the buttons after it can be reached by keyboard.
type entry struct {
	widget.Entry
	router keyRouter
}

func newEntry(r keyRouter) *entry {
	e := &entry{router: r}
	e.ExtendBaseWidget(e)
	return e
}

func newMultiLineEntry(r keyRouter) *entry {
	e := newEntry(r)
	e.MultiLine = true
	e.Wrapping = fyne.TextWrapWord
	return e
}

func newPasswordEntry(r keyRouter) *entry {
	e := newEntry(r)
	e.Password = true // the renderer adds Fyne's show/hide button
	return e
}

// AcceptsTab lets Tab move the focus out of a multi-line entry too.
func (e *entry) AcceptsTab() bool { return false }

// FocusGained scrolls the entry into view.
func (e *entry) FocusGained() {
	e.Entry.FocusGained()
	if e.router != nil {
		e.router.reveal(e)
	}
}

// TypedKey passes Escape and F1 to the window, the rest to the entry.
func (e *entry) TypedKey(ev *fyne.KeyEvent) {
	if e.router != nil && e.router.windowKey(ev) {
		return
	}
	e.Entry.TypedKey(ev)
}

// TypedShortcut passes the window's shortcuts on, the rest to the entry.
func (e *entry) TypedShortcut(s fyne.Shortcut) {
	if e.router != nil && e.router.windowShortcut(s) {
		return
	}
	e.Entry.TypedShortcut(s)
}

// button is a button that Enter presses, as Space does, and that passes the
// window's keys on.
type button struct {
	widget.Button
	router keyRouter
}

func newButton(r keyRouter, text string, tapped func()) *button {
	b := &button{router: r}
	b.Text, b.OnTapped = text, tapped
	b.ExtendBaseWidget(b)
	return b
}

func newButtonWithIcon(r keyRouter, text string, icon fyne.Resource, tapped func()) *button {
	b := newButton(r, text, tapped)
	b.Icon = icon
	return b
}

// FocusGained scrolls the button into view.
func (b *button) FocusGained() {
	b.Button.FocusGained()
	if b.router != nil {
		b.router.reveal(b)
	}
}

// TypedKey presses the button on Enter.
func (b *button) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyReturn || ev.Name == fyne.KeyEnter {
		if !b.Disabled() && b.OnTapped != nil {
			b.OnTapped()
		}
		return
	}
	if b.router != nil && b.router.windowKey(ev) {
		return
	}
	b.Button.TypedKey(ev)
}

// TypedShortcut passes the window's shortcuts on.
func (b *button) TypedShortcut(s fyne.Shortcut) {
	if b.router != nil {
		b.router.windowShortcut(s)
	}
}
