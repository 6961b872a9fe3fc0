package ui

import (
	"context"
	"errors"

	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/mailkey-app/mailkey/app/mail"
)

// onCheck logs in to the server without sending, off the UI goroutine.
func (s *accountScreen) onCheck() {
	ctx := s.check.start()
	s.checkConn.Disable()
	s.checkResult.Hide()
	s.activity.Show()
	s.activity.Start()
	s.cancelCheck.Show()
	s.relayout()
	run(s.g.tasks, func() (mail.Result, error) { return s.g.eng.VerifyAccount(ctx, s.addr) }, s.onChecked)
}

func (s *accountScreen) onCancelCheck() { s.check.stop() }

func (s *accountScreen) onChecked(_ mail.Result, err error) {
	s.check.stop()
	s.activity.Stop()
	s.activity.Hide()
	s.cancelCheck.Hide()
	s.checkConn.Enable()
	switch {
	case err == nil:
		s.checkResult.Importance = widget.SuccessImportance
		s.checkResult.SetText(tr("account.check.ok", "OK: the server accepted the sign-in for {{.Address}}.", map[string]any{"Address": s.addr}))
	case errors.Is(err, context.Canceled):
		s.checkResult.Importance = widget.MediumImportance
		s.checkResult.SetText(tr("account.check.cancelled", "The check was cancelled."))
	default:
		s.checkResult.Importance = widget.DangerImportance
		s.checkResult.SetText(errorText(err))
	}
	s.checkResult.Show()
	s.relayout()
	if err != nil {
		// A refused sign-in marks the account; show its new status everywhere.
		s.reload(true)
	}
}

// accountRemoveText says what removal deletes, for the confirmation dialog.
func accountRemoveText(in engine.Info) string {
	if in.Method == account.OAuth {
		return tr("account.remove.oauth", "mailkey will forget {{.Address}} and delete its entries in the system keyring: the sign-in tokens and the client secret.\n"+
			"Your Google account and your Google Cloud project stay as they are.", map[string]any{"Address": in.Address})
	}
	return tr("account.remove.app_password", "mailkey will forget {{.Address}} and delete its entry in the system keyring: the app password.\n"+
		"The app password stays valid at Google until you delete it on the App passwords page.", map[string]any{"Address": in.Address})
}

// onRemove asks for confirmation before removing the account.
func (s *accountScreen) onRemove() {
	if !s.ready {
		return
	}
	s.confirm = dialog.NewConfirm(tr("account.remove.title", "Remove this account?"), accountRemoveText(s.info), s.onRemoveConfirmed, s.g.win)
	s.confirm.SetConfirmText(tr("account.remove", "Remove"))
	s.confirm.SetDismissText(tr("account.remove.keep", "Keep"))
	s.confirm.SetConfirmImportance(widget.DangerImportance)
	s.g.showDialog(s.confirm)
}

func (s *accountScreen) onRemoveConfirmed(ok bool) {
	s.g.dialog = nil
	if !ok {
		return
	}
	s.remove.Disable()
	s.note.Hide()
	s.activity.Show()
	s.activity.Start()
	s.relayout()
	run(s.g.tasks, func() (struct{}, error) {
		return struct{}{}, s.g.eng.Remove(s.g.notified(context.Background()), s.addr)
	}, s.onRemoved)
}

func (s *accountScreen) onRemoved(_ struct{}, err error) {
	s.activity.Stop()
	s.activity.Hide()
	if err != nil {
		s.remove.Enable()
		s.showNote(errorText(err))
		s.relayout()
		return
	}
	s.g.showWelcome()
	s.g.accountsChanged()
}
