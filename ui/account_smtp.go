package ui

import (
	"context"
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mailkey-app/mailkey/app/google"
	"github.com/mailkey-app/mailkey/app/mail"
)

// smtpEditor changes an account's SMTP server on its screen (issue 11,
// defect 5): the advice "try port 465" has a control behind it, for every
// method. mailkey signs in to the new server with the saved credential and
// saves it only if that works.
type smtpEditor struct {
	s      *accountScreen
	op     cancellable
	change *button
	entry  *entry
	hint   *widget.Label
	save   *button
	cancel *button
	result *widget.Label
	box    *fyne.Container
	// url and ok are what the field holds, as smtpField checks it.
	url string
	ok  bool
}

func newSMTPEditor(s *accountScreen) *smtpEditor {
	e := &smtpEditor{s: s, ok: true, result: para("")}
	g := s.g
	e.change = newButtonWithIcon(g, tr("account.smtp.change", "Change…"), theme.DocumentCreateIcon(), e.onOpen)
	e.change.Button.Importance = widget.LowImportance
	e.change.Disable()
	f := newSMTPField(g, func(url string, ok bool) {
		e.url, e.ok = url, ok
		apEnable(ok, e.save)
	})
	e.entry, e.hint = f.entry, f.hint
	e.entry.OnSubmitted = func(string) { e.onSave() }
	e.save = newButtonWithIcon(g, tr("account.smtp.save", "Test and save"), theme.ConfirmIcon(), e.onSave)
	e.save.Button.Importance = widget.HighImportance
	e.cancel = newButtonWithIcon(g, tr("compose.cancel", "Cancel"), theme.CancelIcon(), e.onCancel)
	e.box = container.NewVBox(
		widget.NewLabelWithStyle(tr("smtp.advanced", "Advanced: SMTP server"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		e.entry, e.hint, container.NewHBox(e.save, e.cancel))
	e.box.Hide()
	e.result.Hide()
	return e
}

// onOpen shows the field with the account's server in it.
func (e *smtpEditor) onOpen() {
	url := e.s.info.SMTP
	if url == google.DefaultSMTP {
		url = ""
	}
	e.entry.SetText(url)
	e.result.Hide()
	e.box.Show()
	e.s.relayout()
	e.s.g.win.Canvas().Focus(e.entry)
}

// onSave signs in to the new server off the UI goroutine, then saves it.
func (e *smtpEditor) onSave() {
	if !e.ok || e.save.Disabled() {
		return
	}
	ctx := e.op.start()
	url, addr := e.url, e.s.addr
	e.save.Disable()
	e.entry.Disable()
	e.result.Importance = widget.MediumImportance
	e.result.SetText(tr("account.smtp.checking", "Signing in to the new server…"))
	e.result.Show()
	e.s.relayout()
	run(e.s.g.tasks, func() (mail.Result, error) { return e.s.g.eng.SetSMTP(ctx, addr, url) }, e.onSaved)
}

func (e *smtpEditor) onSaved(_ mail.Result, err error) {
	e.op.stop()
	e.save.Enable()
	e.entry.Enable()
	switch {
	case err == nil:
		e.box.Hide()
		e.result.Importance = widget.SuccessImportance
		e.result.SetText(tr("account.smtp.saved", "Saved: the new server accepted the sign-in."))
		e.s.reload(true)
	case errors.Is(err, context.Canceled):
		e.result.Importance = widget.MediumImportance
		e.result.SetText(tr("account.check.cancelled", "The check was cancelled."))
	default:
		e.result.Importance = widget.DangerImportance
		e.result.SetText(errorText(err) + "\n" + tr("account.smtp.unchanged", "Nothing was changed."))
	}
	e.result.Refresh()
	e.s.relayout()
}

// onCancel folds the field, stopping a check under way.
func (e *smtpEditor) onCancel() {
	e.op.stop()
	e.box.Hide()
	e.s.relayout()
}
