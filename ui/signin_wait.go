package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// browserWait is the sign-in screen while mailkey waits for the browser:
// the activity, Cancel, the link to copy when no browser opened, and what
// to do if Google shows one of its own error pages.
type browserWait struct {
	g        *gui
	box      *fyne.Container
	activity *widget.Activity
	label    *widget.Label
	// cancelBtn ends the wait; op is the running sign-in it cancels.
	cancelBtn *button
	op        cancellable
	copyLink  *button
	copyNote  *widget.Label
	link      string // UI goroutine: the sign-in link of the running attempt
	// troubles are Google's error pages that never come back to mailkey (signin_troubles.go).
	troubles *pageTroubles
}

// newBrowserWait makes the wait, hidden; projectOf gives the project the
// troubles' console links open.
func newBrowserWait(g *gui, projectOf func() string) *browserWait {
	w := &browserWait{g: g, activity: widget.NewActivity(), troubles: newPageTroubles(g, projectOf)}
	w.label = widget.NewLabel(tr("signin.waiting", "Waiting for your browser…"))
	w.cancelBtn = newButtonWithIcon(g, tr("signin.cancel", "Cancel"), theme.CancelIcon(), w.onCancel)
	w.copyLink = newButtonWithIcon(g, tr("signin.copy_link", "Copy link"), theme.ContentCopyIcon(), w.onCopyLink)
	w.copyLink.Disable()
	w.copyNote = para(tr("signin.copy_note", "If no browser window opened, copy the link and paste it into your browser's address bar."))
	w.box = container.NewVBox(container.NewHBox(w.activity, w.label),
		container.NewHBox(w.cancelBtn, w.copyLink), w.copyNote, w.troubles.box)
	w.box.Hide()
	return w
}

// waiting reports whether a sign-in is running.
func (w *browserWait) waiting() bool { return w.box.Visible() }

// show shows the wait for a new sign-in, before its link is known.
func (w *browserWait) show() {
	w.link = ""
	w.copyLink.Disable()
	w.cancelBtn.Enable()
	w.label.SetText(tr("signin.waiting", "Waiting for your browser…"))
	w.box.Show()
}

// start starts the activity and returns the sign-in's context, which Cancel
// and leaving the screen end.
func (w *browserWait) start() context.Context {
	w.activity.Start()
	return w.g.notified(w.op.start())
}

// end ends the wait, whatever the sign-in's outcome.
func (w *browserWait) end() {
	w.op.stop()
	w.activity.Stop()
	w.box.Hide()
	w.link = ""
	w.copyLink.Disable()
}

// openBrowser is the sign-in's opener. It runs on the engine's goroutine:
// it hands the link to the widgets, then opens the browser as the engine would.
func (w *browserWait) openBrowser(link string) error {
	err := w.g.eng.Open(link)
	fyne.Do(func() {
		w.link = link
		w.copyLink.Enable()
		if err != nil {
			w.copyNote.SetText(tr("signin.no_browser", "mailkey could not open your browser. Copy the link and paste it into your browser's address bar; mailkey keeps waiting."))
			w.copyNote.Importance = widget.WarningImportance
			w.copyNote.Refresh()
		}
	})
	return nil // without a browser, the user still finishes through Copy link
}

// onCancel ends the waiting sign-in. The widgets change before the context is
// cancelled, so they never race with the sign-in's outcome.
func (w *browserWait) onCancel() {
	w.cancelBtn.Disable()
	w.label.SetText(tr("signin.cancelling", "Cancelling…"))
	w.op.stop()
}

// onCopyLink puts the sign-in link on the clipboard, for a browser that didn't open.
func (w *browserWait) onCopyLink() {
	if w.link == "" {
		return
	}
	w.g.app.Clipboard().SetContent(w.link)
	w.copyNote.SetText(tr("signin.copied", "The link is on the clipboard. Paste it into your browser's address bar, then come back here."))
}
