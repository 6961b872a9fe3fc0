package ui

import (
	"context"
	"errors"
	"strings"

	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/mailkey-app/mailkey/app/mail"
	"github.com/mailkey-app/mailkey/app/relay"
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
	run(s.g.tasks, func() (relay.Removal, error) {
		q, _, _ := queueAndDir() // without a queue, there is nothing queued to fail
		return relay.RemoveAccount(s.g.notified(context.Background()), s.g.eng, q, s.addr)
	}, s.onRemoved)
}

// removalText says what removing the account did beyond the account, as the
// CLI's remove does: relay passwords revoked, queued messages failed, and
// what could not be done; "" when there was nothing more.
func removalText(addr string, r relay.Removal) string {
	var parts []string
	if len(r.Revoked) > 0 {
		parts = append(parts, trn("account.removed.revoked", "Its relay passwords were revoked: {{.Labels}}.", len(r.Revoked),
			map[string]any{"Labels": strings.Join(r.Revoked, ", ")}))
	}
	if r.RevokeErr != nil {
		parts = append(parts, tr("account.removed.revoke_error", "Some of its relay passwords could not be revoked: {{.Error}}",
			map[string]any{"Error": errorText(r.RevokeErr)}))
	}
	if len(r.Failed) > 0 {
		parts = append(parts, trn("account.removed.failed", "{{.Count}} queued messages from {{.Address}} were not sent; they stay in the queue as failed. "+
			"Add the account again and retry them, or drop them.", len(r.Failed), map[string]any{"Address": addr}))
	}
	if r.QueueErr != nil {
		parts = append(parts, tr("account.removed.queue_error", "Its queued messages could not be marked: {{.Error}}",
			map[string]any{"Error": errorText(r.QueueErr)}))
	}
	return strings.Join(parts, "\n\n")
}

func (s *accountScreen) onRemoved(r relay.Removal, err error) {
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
	if text := removalText(s.addr, r); text != "" {
		s.g.showDialog(dialog.NewInformation(tr("account.removed.title", "Account removed"), text, s.g.win))
	}
}
