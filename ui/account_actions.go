package ui

import (
	"context"
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/mailkey-app/mailkey/app/mail"
	"github.com/mailkey-app/mailkey/app/relay"
)

// actionBar is the account screen's row of actions: the test email, compose,
// renewing the sign-in, "Check connection" with its activity, Cancel and
// outcome, and removal with its confirmation.
type actionBar struct {
	s     *accountScreen
	check cancellable

	row                                  *fyne.Container
	sendTest, compose, checkConn, remove *button
	cancel                               *button // stops the connection check
	activity                             *widget.Activity
	// result shows the outcome of "Check connection".
	result *widget.Label
	// confirm is the removal dialog while it is (or was last) on show.
	confirm *dialog.ConfirmDialog
}

func newActionBar(s *accountScreen) *actionBar {
	a := &actionBar{s: s, row: container.New(layout.NewRowWrapLayout()), activity: widget.NewActivity(), result: para("")}
	g := s.g
	a.sendTest = newButtonWithIcon(g, tr("account.send_test", "Send test email"), theme.MailSendIcon(), func() { g.showCompose(s.addr, true) })
	a.sendTest.Importance = widget.HighImportance
	a.compose = newButtonWithIcon(g, tr("account.compose", "Compose"), theme.MailComposeIcon(), func() { g.showCompose(s.addr, false) })
	a.checkConn = newButtonWithIcon(g, tr("account.check", "Check connection"), theme.ViewRefreshIcon(), a.onCheck)
	a.cancel = newButtonWithIcon(g, tr("compose.cancel", "Cancel"), theme.CancelIcon(), a.onCancelCheck)
	a.remove = newButtonWithIcon(g, tr("account.remove", "Remove"), theme.DeleteIcon(), a.onRemove)
	a.remove.Importance = widget.DangerImportance
	for _, o := range []fyne.CanvasObject{a.activity, a.cancel, a.result} {
		o.Hide()
	}
	for _, b := range []*button{a.sendTest, a.compose, a.checkConn, a.remove} {
		b.Disable()
	}
	return a
}

// objects are the bar's rows in the screen's column: the buttons, the
// activity with Cancel, and the outcome of the check.
func (a *actionBar) objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{a.row, container.NewHBox(a.activity, a.cancel), a.result}
}

// layout shows the buttons that apply to the account's method; renew, the
// fix of a "Needs sign-in" account, stays up in the renewal notice then.
func (a *actionBar) layout(in engine.Info, renew *button) {
	objs := []fyne.CanvasObject{a.sendTest, a.compose}
	if in.Status.State != account.StateNeedsSignIn {
		objs = append(objs, renew)
	}
	objs = append(objs, a.checkConn, a.remove)
	a.row.Objects = objs
	a.row.Refresh()
}

// enable lets the buttons be pressed once the account is loaded.
func (a *actionBar) enable() {
	for _, b := range []*button{a.sendTest, a.compose, a.checkConn, a.remove} {
		b.Enable()
	}
}

// onCheck logs in to the server without sending, off the UI goroutine.
func (a *actionBar) onCheck() {
	ctx := a.check.start()
	a.checkConn.Disable()
	a.result.Hide()
	a.activity.Show()
	a.activity.Start()
	a.cancel.Show()
	a.s.relayout()
	addr := a.s.addr
	run(a.s.g.tasks, func() (mail.Result, error) { return a.s.g.eng.VerifyAccount(ctx, addr) }, a.onChecked)
}

func (a *actionBar) onCancelCheck() { a.check.stop() }

func (a *actionBar) onChecked(_ mail.Result, err error) {
	a.check.stop()
	a.activity.Stop()
	a.activity.Hide()
	a.cancel.Hide()
	a.checkConn.Enable()
	switch {
	case err == nil:
		a.result.Importance = widget.SuccessImportance
		a.result.SetText(tr("account.check.ok", "OK: the server accepted the sign-in for {{.Address}}.", map[string]any{"Address": a.s.addr}))
	case errors.Is(err, context.Canceled):
		a.result.Importance = widget.MediumImportance
		a.result.SetText(tr("account.check.cancelled", "The check was cancelled."))
	default:
		a.result.Importance = widget.DangerImportance
		a.result.SetText(errorText(err))
	}
	a.result.Show()
	a.s.relayout()
	if err != nil {
		// A refused sign-in marks the account; show its new status everywhere.
		a.s.reload(true)
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
func (a *actionBar) onRemove() {
	if !a.s.ready {
		return
	}
	g := a.s.g
	a.confirm = dialog.NewConfirm(tr("account.remove.title", "Remove this account?"), accountRemoveText(a.s.info), a.onRemoveConfirmed, g.win)
	a.confirm.SetConfirmText(tr("account.remove", "Remove"))
	a.confirm.SetDismissText(tr("account.remove.keep", "Keep"))
	a.confirm.SetConfirmImportance(widget.DangerImportance)
	g.showDialog(a.confirm)
}

func (a *actionBar) onRemoveConfirmed(ok bool) {
	g, addr := a.s.g, a.s.addr
	g.dialog = nil
	if !ok {
		return
	}
	a.remove.Disable()
	a.s.note.Hide()
	a.activity.Show()
	a.activity.Start()
	a.s.relayout()
	run(g.tasks, func() (relay.Removal, error) {
		q, _, _ := queueAndDir() // without a queue, there is nothing queued to fail
		return relay.RemoveAccount(g.notified(context.Background()), g.eng, q, addr)
	}, a.onRemoved)
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

func (a *actionBar) onRemoved(r relay.Removal, err error) {
	a.activity.Stop()
	a.activity.Hide()
	g := a.s.g
	if err != nil {
		a.remove.Enable()
		a.s.showNote(errorText(err))
		a.s.relayout()
		return
	}
	g.showWelcome()
	g.accountsChanged()
	if text := removalText(a.s.addr, r); text != "" {
		g.showDialog(dialog.NewInformation(tr("account.removed.title", "Account removed"), text, g.win))
	}
}
