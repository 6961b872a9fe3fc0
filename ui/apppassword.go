package ui

import (
	"context"
	"errors"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/mailkey-app/mailkey/app/google"
	"github.com/mailkey-app/mailkey/app/mail"
)

// appPasswordWizard walks the user through creating a Google app password on
// one scrollable page of four steps, checks it with a real SMTP login, and
// saves the account when Gmail accepts it.
// Each part is a component of its own; the wizard holds what ties them
// together: the account replaced, the SMTP server, and the login.
type appPasswordWizard struct {
	g *gui
	// smtpURL is the server the login is checked against: "" means Gmail's.
	// Tests point it at the local SMTP peer.
	smtpURL string
	smtpOK  bool
	smtp    *smtpField
	scroll  *container.Scroll
	replace string // the address given by "Replace app password", or ""

	// guide is how to get an app password (apppassword_guide.go).
	guide *apGuide
	// form is the address and the app password with their hints (apppassword_form.go).
	form *apForm
	// check is "Test and save" with Cancel and the status (apppassword_check.go).
	check *apCheck
	// done says the account is saved and what to do next (apppassword_done.go).
	done *apDone
}

func newAppPasswordWizard(g *gui, addr string) *appPasswordWizard {
	s := &appPasswordWizard{g: g, replace: strings.TrimSpace(addr), guide: newAPGuide(g), done: newAPDone(g)}
	s.check = newAPCheck(g, s.onSave)
	s.form = newAPForm(g, s.replace, s.updateSave, s.onSave)
	s.updateSave()
	s.layout()
	s.smtp.entry.OnSubmitted = func(string) { s.onSave() }
	return s
}

func (s *appPasswordWizard) content() fyne.CanvasObject { return s.scroll }

// firstFocus starts in the address, or in the password when replacing it.
func (s *appPasswordWizard) firstFocus() fyne.Focusable {
	if s.replace != "" {
		return s.form.password
	}
	return s.form.address
}

// leaveQuestion asks before a typed app password that was not saved is lost.
func (s *appPasswordWizard) leaveQuestion() string {
	if strings.TrimSpace(s.form.password.Text) == "" || s.done.saved != "" {
		return ""
	}
	return tr("ap.leave", "The app password you typed has not been saved and will be lost.")
}

// onShown starts from the saved SMTP server when an app password is
// replaced: an account on port 465 stays on it (issue 11, defect 3).
func (s *appPasswordWizard) onShown() {
	if s.replace == "" {
		return
	}
	run(s.g.tasks, func() (string, error) {
		in, err := s.g.eng.Account(s.replace)
		return in.SMTP, err
	}, func(smtpURL string, err error) {
		if err == nil {
			s.smtp.set(smtpURL)
		}
	})
}

// layout builds the page of four steps around the components.
func (s *appPasswordWizard) layout() {
	title := tr("ap.title", "Send mail with an app password")
	intro := tr("ap.intro.short", "Create an app password on Google's page, then enter it below. mailkey tests it before it saves anything.")
	if s.replace != "" {
		title = tr("ap.replace.title", "Replace the app password")
		intro = tr("ap.replace.intro", "Create a new app password for {{.Address}} and enter it in step 3. mailkey replaces the saved one only after Gmail accepts the new one.", map[string]any{"Address": s.replace})
	}
	s.smtp = newSMTPField(s.g, func(url string, ok bool) {
		s.smtpURL, s.smtpOK = url, ok
		s.updateSave()
	})
	back := newButtonWithIcon(s.g, tr("nav.back", "Back"), theme.NavigateBackIcon(), s.g.back)
	back.Importance = widget.LowImportance
	objs := []fyne.CanvasObject{container.NewHBox(back, heading(title)), para(intro)}
	objs = append(objs, s.guide.objects()...)
	objs = append(objs, s.form.objects()...)
	objs = append(objs, s.smtp.content())
	objs = append(objs, s.check.objects()...)
	objs = append(objs, s.done.box,
		para(tr("ap.card4.text", "mailkey signs in to Gmail with this address and app password, without sending anything. "+
			"Only if Gmail accepts them does it save the account, with the app password in your system keyring.")),
	)
	s.scroll = container.NewVScroll(container.NewVBox(objs...))
}

// updateSave enables "Test and save" when both fields are valid and nothing runs.
func (s *appPasswordWizard) updateSave() {
	apEnable(s.form.valid() && !s.smtpBad() && !s.check.busy, s.check.save)
}

// smtpBad reports an SMTP URL typed under Advanced that cannot be used.
func (s *appPasswordWizard) smtpBad() bool { return s.smtpURL != "" && !s.smtpOK }

// onSave checks the app password with a real login off the UI goroutine;
// it first asks before an existing account would be replaced (issue 11,
// defect 4).
func (s *appPasswordWizard) onSave() {
	if !s.form.valid() || s.check.busy || s.check.save.Disabled() {
		return
	}
	s.login(s.replace != "" && account.Same(s.form.addr(), s.replace))
}

// errExists stops a save that would replace an account the user has not
// agreed to replace.
type errExists struct{ info engine.Info }

func (e errExists) Error() string { return e.info.Address + " exists" }

// apReplaceText says what saving an app password over an existing account replaces.
func apReplaceText(in engine.Info) string {
	if in.Method == account.OAuth {
		return tr("ap.exists.oauth", "{{.Address}} is already set up with OAuth. Saving the app password replaces it: "+
			"mailkey deletes its sign-in tokens and client secret from the keyring, and sends with the app password from then on.",
			map[string]any{"Address": in.Address})
	}
	return tr("ap.exists.app_password", "{{.Address}} is already set up with an app password. Saving replaces the saved app password and SMTP server.",
		map[string]any{"Address": in.Address})
}

// login checks the app password with a real login off the UI goroutine;
// unless replace, an existing account stops it with errExists first.
func (s *appPasswordWizard) login(replace bool) {
	addr, pw, smtpURL, eng := s.form.addr(), s.form.password.Text, s.smtpURL, s.g.eng
	ctx := s.g.notified(s.check.op.start())
	s.done.box.Hide()
	s.check.setStatus(widget.MediumImportance, tr("ap.checking", "Signing in to Gmail to check the app password…"))
	s.setBusy(true)
	run(s.g.tasks, func() (account.Account, error) {
		if in, err := eng.Account(addr); err == nil && !replace {
			return account.Account{}, errExists{in}
		}
		a, err := eng.LoginAppPassword(ctx, addr, pw, smtpURL)
		if err == nil {
			sendHeld(eng)
		}
		return a, err
	}, s.onSaved)
}

// onSaved shows the result of onSave, each error next to the field it concerns.
func (s *appPasswordWizard) onSaved(a account.Account, err error) {
	s.check.op.stop()
	s.setBusy(false)
	s.check.setStatus(widget.MediumImportance, "")
	switch {
	case err == nil:
		s.done.show(a.Address)
		s.scroll.Refresh() // lay out the success message at the end, then bring it into view
		s.scroll.ScrollToBottom()
		s.g.win.Canvas().Focus(s.done.sendTest)
		s.g.accountsChanged()
	case errors.As(err, new(errExists)):
		s.askReplace(err.(errExists).info)
	case errors.Is(err, context.Canceled):
		s.check.setStatus(widget.MediumImportance, tr("ap.cancelled", "Cancelled."))
	case slices.ContainsFunc(apCredentialErrors, func(target error) bool { return errors.Is(err, target) }):
		s.form.passwordHint.set(widget.DangerImportance, errorText(err))
	case errors.Is(err, mail.ErrInvalidAddress):
		s.form.addressHint.set(widget.DangerImportance, errorText(err))
	default:
		s.check.setStatus(widget.DangerImportance, errorText(err))
	}
}

// askReplace asks before the app password replaces the saved account in.
func (s *appPasswordWizard) askReplace(in engine.Info) {
	d := dialog.NewConfirm(tr("ap.exists.title", "Replace the saved account?"), apReplaceText(in), func(ok bool) {
		s.g.dialog = nil
		if ok {
			s.login(true)
			return
		}
		s.g.win.Canvas().Focus(s.check.save) // the keyboard carries on where it was
	}, s.g.win)
	d.SetConfirmText(tr("ap.exists.replace", "Replace"))
	d.SetDismissText(tr("ap.exists.keep", "Keep the saved account"))
	d.SetConfirmImportance(widget.DangerImportance)
	s.g.showDialog(d)
}

// setBusy disables the fields and the button and shows the activity while a check runs.
func (s *appPasswordWizard) setBusy(on bool) {
	s.check.setBusy(on)
	s.form.setEnabled(!on)
	s.updateSave()
}

// apShow shows or hides objects.
func apShow(on bool, objs ...fyne.CanvasObject) {
	for _, o := range objs {
		if on {
			o.Show()
		} else {
			o.Hide()
		}
	}
}

// apEnable enables or disables widgets.
func apEnable(on bool, ws ...fyne.Disableable) {
	for _, w := range ws {
		if on {
			w.Enable()
		} else {
			w.Disable()
		}
	}
}

// apCredentialErrors are the failures that concern the app password, shown under its field.
var apCredentialErrors = []error{
	mail.ErrAuthRejected, mail.ErrAppPasswordRequired, mail.ErrWebLoginRequired,
	google.ErrAppPasswordFormat, google.ErrLooksLikeAccountPassword,
}
