package ui

import (
	"context"
	"errors"
	"fmt"
	netmail "net/mail"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
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
type appPasswordWizard struct {
	g *gui
	// smtpURL is the server the login is checked against: "" means Gmail's.
	// Tests point it at the local SMTP peer.
	smtpURL string
	smtpOK  bool
	smtp    *smtpField
	scroll  *container.Scroll
	replace string // the address given by "Replace app password", or ""
	op      cancellable

	openTwoStep, openAppPasswords, useOAuth *button
	address, password                       *entry
	back                                    *button
	addressHint, passwordHint               *apHint
	save, cancel                            *button
	activity                                *widget.Activity
	status                                  *widget.Label
	// done, hidden until a save succeeds, holds success, sendTest and goAccount.
	success             *widget.Label
	sendTest, goAccount *button
	done                *fyne.Container
	page                *container.Scroll

	addrOK, pwOK, busy bool
	saved              string // the address saved last
}

func newAppPasswordWizard(g *gui, addr string) *appPasswordWizard {
	s := &appPasswordWizard{g: g, replace: strings.TrimSpace(addr)}
	s.openTwoStep = newButton(g, tr("ap.open_security", "Open Google account security"), s.onOpenTwoStep)
	s.openAppPasswords = newButton(g, tr("ap.open_app_passwords", "Open the App passwords page"), s.onOpenAppPasswords)
	s.useOAuth = newButton(g, tr("ap.use_oauth", "Set up OAuth instead"), s.onUseOAuth)
	s.back = newButtonWithIcon(g, tr("nav.back", "Back"), theme.NavigateBackIcon(), g.back)
	s.back.Importance = widget.LowImportance

	s.address = newEntry(g)
	s.address.SetPlaceHolder("ann@gmail.com")
	s.password = newPasswordEntry(g) // hidden, with Fyne's own show/hide button
	s.password.SetPlaceHolder("abcd efgh ijkl mnop")
	s.addressHint, s.passwordHint = newAPHint(), newAPHint()

	s.save = newButton(g, tr("ap.save", "Test and save"), s.onSave)
	s.save.Importance = widget.HighImportance
	s.cancel = newButton(g, tr("ap.cancel", "Cancel"), s.onCancel)
	s.cancel.Hide()
	s.activity = widget.NewActivity()
	s.activity.Hide()
	s.status = para("")
	s.status.Hide()

	s.success = para("")
	s.sendTest = newButton(g, tr("ap.send_test", "Send a test email to myself"), s.onSendTest)
	s.sendTest.Importance = widget.HighImportance
	s.goAccount = newButton(g, tr("ap.go_account", "Go to the account"), s.onGoAccount)
	s.done = container.NewVBox(s.success, container.NewHBox(s.sendTest, s.goAccount))
	s.done.Hide()

	s.address.SetText(s.replace)
	s.onAddressChanged(s.address.Text)
	s.onPasswordChanged("")
	s.address.OnChanged = s.onAddressChanged
	s.password.OnChanged = s.onPasswordChanged
	s.address.OnSubmitted = func(string) { s.g.win.Canvas().Focus(s.password) }
	s.password.OnSubmitted = func(string) { s.onSave() }
	s.page = s.layout()
	s.smtp.entry.OnSubmitted = func(string) { s.onSave() }
	return s
}

func (s *appPasswordWizard) content() fyne.CanvasObject { return s.page }

// firstFocus starts in the address, or in the password when replacing it.
func (s *appPasswordWizard) firstFocus() fyne.Focusable {
	if s.replace != "" {
		return s.password
	}
	return s.address
}

// leaveQuestion asks before a typed app password that was not saved is lost.
func (s *appPasswordWizard) leaveQuestion() string {
	if strings.TrimSpace(s.password.Text) == "" || s.saved != "" {
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

// layout builds the page of four steps around the widgets.
func (s *appPasswordWizard) layout() *container.Scroll {
	steps := map[string]google.Step{}
	for _, st := range localSteps(google.AppPasswordSteps) {
		steps[st.ID] = st
	}
	two, create, enter := steps["two-step"], steps["app-password"], steps["enter"]
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
	howTo := widget.NewAccordion(widget.NewAccordionItem(tr("ap.steps", "How to get an app password"), container.NewVBox(
		widget.NewCard(fmt.Sprintf("1. %s", two.Title), "", container.NewVBox(
			para(two.Why), para(two.Do),
			para(tr("ap.two_step_on", "If 2-Step Verification is already on, go straight to step 2.")),
			container.NewHBox(s.openTwoStep))),
		widget.NewCard(fmt.Sprintf("2. %s", create.Title), "", container.NewVBox(
			para(create.Do), para(create.Why), para(create.Pitfall),
			para(tr("ap.not_available", "If the page is missing or says the setting is not available, the account can't have app passwords. "+
				"That is so with Advanced Protection and when the only second step is a security key; "+
				"on work or school accounts they are off unless the administrator allows them. "+
				"Set up OAuth with your own Google Cloud client instead.")),
			para(enter.Do),
			container.NewHBox(s.useOAuth))))))
	s.openAppPasswords.Icon = theme.ComputerIcon()
	page := container.NewVBox(
		container.NewHBox(s.back, heading(title)),
		para(intro),
		container.NewHBox(s.openAppPasswords),
		howTo,
		widget.NewLabelWithStyle(tr("ap.gmail_address", "Gmail address"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		s.address, s.addressHint.box,
		widget.NewLabelWithStyle(tr("ap.app_password", "App password"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		s.password, s.passwordHint.box,
		s.smtp.content(),
		container.NewHBox(s.save, s.cancel, s.activity),
		s.status, s.done,
		para(tr("ap.card4.text", "mailkey signs in to Gmail with this address and app password, without sending anything. "+
			"Only if Gmail accepts them does it save the account, with the app password in your system keyring.")),
	)
	s.scroll = container.NewVScroll(page)
	return s.scroll
}

// onAddressChanged checks the address on every change.
func (s *appPasswordWizard) onAddressChanged(text string) {
	text = strings.TrimSpace(text)
	a, err := netmail.ParseAddress(text)
	s.addrOK = err == nil
	domain := ""
	if err == nil {
		domain = strings.ToLower(a.Address[strings.LastIndex(a.Address, "@")+1:])
	}
	switch {
	case text == "":
		s.addressHint.set(widget.MediumImportance, tr("ap.address.empty", "Enter the Gmail address you want to send from, for example ann@gmail.com."))
	case err != nil:
		s.addressHint.set(widget.DangerImportance, tr("ap.address.invalid", "This is not a valid email address. Enter an address like ann@gmail.com."))
	case domain != "gmail.com" && domain != "googlemail.com":
		s.addressHint.set(widget.WarningImportance, tr("ap.address.workspace", "{{.Address}} is not a gmail.com address. That is fine for a Google Workspace account, but its administrator may have turned app passwords off.", map[string]any{"Address": a.Address}))
	default:
		s.addressHint.set(widget.SuccessImportance, tr("ap.address.ok", "This is a valid Gmail address."))
	}
	s.updateSave()
}

// onPasswordChanged checks the app password on every change. The hints never
// repeat what was typed.
func (s *appPasswordWizard) onPasswordChanged(text string) {
	_, err := google.NormalizeAppPassword(text)
	s.pwOK = err == nil
	switch {
	case strings.TrimSpace(text) == "":
		s.passwordHint.set(widget.MediumImportance, tr("ap.password.empty", "An app password has 16 letters; spaces are fine."))
	case err != nil:
		s.passwordHint.set(widget.DangerImportance, errorText(err))
	default:
		s.passwordHint.set(widget.SuccessImportance, tr("ap.password.ok", "This looks like an app password."))
	}
	s.updateSave()
}

// updateSave enables "Test and save" when both fields are valid and nothing runs.
func (s *appPasswordWizard) updateSave() {
	apEnable(s.addrOK && s.pwOK && !s.smtpBad() && !s.busy, s.save)
}

// smtpBad reports an SMTP URL typed under Advanced that cannot be used.
func (s *appPasswordWizard) smtpBad() bool { return s.smtpURL != "" && !s.smtpOK }

// onSave checks the app password with a real login off the UI goroutine;
// it first asks before an existing account would be replaced (issue 11,
// defect 4).
func (s *appPasswordWizard) onSave() {
	if !s.addrOK || !s.pwOK || s.busy || s.save.Disabled() {
		return
	}
	s.login(s.replace != "" && account.Same(strings.TrimSpace(s.address.Text), s.replace))
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
	addr, pw, smtpURL, eng := strings.TrimSpace(s.address.Text), s.password.Text, s.smtpURL, s.g.eng
	ctx := s.g.notified(s.op.start())
	s.done.Hide()
	s.setStatus(widget.MediumImportance, tr("ap.checking", "Signing in to Gmail to check the app password…"))
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
	s.op.stop()
	s.setBusy(false)
	s.setStatus(widget.MediumImportance, "")
	switch {
	case err == nil:
		s.saved = a.Address
		s.success.SetText(tr("ap.saved", "Gmail accepted the app password, and {{.Address}} is saved. Send yourself a test email to see it arrive.", map[string]any{"Address": a.Address}))
		s.done.Show()
		s.scroll.Refresh() // lay out the success message at the end, then bring it into view
		s.scroll.ScrollToBottom()
		s.g.win.Canvas().Focus(s.sendTest)
		s.g.accountsChanged()
	case errors.As(err, new(errExists)):
		s.askReplace(err.(errExists).info)
	case errors.Is(err, context.Canceled):
		s.setStatus(widget.MediumImportance, tr("ap.cancelled", "Cancelled."))
	case slices.ContainsFunc(apCredentialErrors, func(target error) bool { return errors.Is(err, target) }):
		s.passwordHint.set(widget.DangerImportance, errorText(err))
	case errors.Is(err, mail.ErrInvalidAddress):
		s.addressHint.set(widget.DangerImportance, errorText(err))
	default:
		s.setStatus(widget.DangerImportance, errorText(err))
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
		s.g.win.Canvas().Focus(s.save) // the keyboard carries on where it was
	}, s.g.win)
	d.SetConfirmText(tr("ap.exists.replace", "Replace"))
	d.SetDismissText(tr("ap.exists.keep", "Keep the saved account"))
	d.SetConfirmImportance(widget.DangerImportance)
	s.g.showDialog(d)
}

// onCancel stops the running check; onSaved then says "Cancelled.". It changes
// the widgets before ending the context, after which only onSaved does.
func (s *appPasswordWizard) onCancel() {
	s.cancel.Disable()
	s.setStatus(widget.MediumImportance, tr("ap.cancelling", "Cancelling…"))
	s.op.stop()
}

func (s *appPasswordWizard) onOpenTwoStep()      { s.g.open(google.TwoStepURL) }
func (s *appPasswordWizard) onOpenAppPasswords() { s.g.open(google.AppPasswordsURL) }
func (s *appPasswordWizard) onUseOAuth()         { s.g.showChecklist() }
func (s *appPasswordWizard) onSendTest()         { s.g.showCompose(s.saved, true) }
func (s *appPasswordWizard) onGoAccount()        { s.g.showAccount(s.saved) }

// setBusy disables the fields and the button and shows the activity while a check runs.
func (s *appPasswordWizard) setBusy(on bool) {
	s.busy = on
	apEnable(!on, s.address, s.password)
	apEnable(on, s.cancel)
	apShow(on, s.activity, s.cancel)
	if on {
		s.activity.Start()
	} else {
		s.activity.Stop()
	}
	s.updateSave()
}

func (s *appPasswordWizard) setStatus(imp widget.Importance, text string) {
	s.status.Importance = imp
	s.status.SetText(text)
	apShow(text != "", s.status)
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
var apCredentialErrors = []error{mail.ErrAuthRejected, mail.ErrAppPasswordRequired, mail.ErrWebLoginRequired,
	google.ErrAppPasswordFormat, google.ErrLooksLikeAccountPassword}

// apHint is a message under a field: an icon, level with the first line of
// text, and a wrapping label, coloured by importance (low: neutral, success: ✓,
// warning, danger).
type apHint struct {
	icon *widget.Icon
	text *widget.Label
	box  *fyne.Container
}

func newAPHint() *apHint {
	h := &apHint{icon: widget.NewIcon(nil), text: para("")}
	top := container.New(layout.NewCustomPaddedLayout(theme.InnerPadding()-theme.Padding(), 0, 0, 0), h.icon)
	h.box = container.NewBorder(nil, nil, container.NewVBox(top), nil, h.text)
	return h
}

func (h *apHint) set(imp widget.Importance, text string) {
	icons := map[widget.Importance]fyne.Resource{
		widget.SuccessImportance: theme.NewSuccessThemedResource(theme.ConfirmIcon()),
		widget.WarningImportance: theme.NewWarningThemedResource(theme.WarningIcon()),
		widget.DangerImportance:  theme.NewErrorThemedResource(theme.ErrorIcon()),
	}
	res, ok := icons[imp]
	if !ok {
		res = theme.InfoIcon()
	}
	h.icon.SetResource(res)
	h.text.Importance = imp
	h.text.SetText(text)
}
