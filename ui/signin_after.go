package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/google"
)

// publishChoice is one option of the publishing status: its value and
// its text in the radio group.
type publishChoice struct {
	value account.Publishing
	text  string
}

// publishChoices are the publishing options, in the order shown.
func publishChoices() []publishChoice {
	return []publishChoice{
		{account.Testing, tr("signin.testing", "Testing")},
		{account.Production, tr("signin.production", "In production")},
	}
}

// publishingOf returns the publishing status whose option is selected in r
// (Testing when none is).
func publishingOf(r *widget.RadioGroup) account.Publishing {
	for _, c := range publishChoices() {
		if c.text == r.Selected {
			return c.value
		}
	}
	return account.Testing
}

// signInAfter is the part of the sign-in screen shown once signed in: the
// address, the publishing status of the Google project, and what to do next.
type signInAfter struct {
	afterBox      *fyne.Container
	signedIn      *widget.Label
	otherAddress  *widget.Label
	publishChoice *widget.RadioGroup
	sendChoice    *widget.RadioGroup // the transport, as transportChoices names it
	saveBtn       *button
	saveStatus    *widget.Label
	saveError     *widget.Label
	nextBox       *fyne.Container
	testEmail     *button
	goAccount     *button
	signInAgain   *button       // after declaring production, when Google still ends this sign-in
	workspace     *widget.Label // the Internal user type, for a Workspace address

	signed account.Account // the account that signed in
}

func (s *signIn) newAfter() {
	s.signedIn = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.otherAddress = para("")
	s.otherAddress.Importance = widget.WarningImportance
	s.otherAddress.Hide()
	var publishTexts []string
	for _, c := range publishChoices() {
		publishTexts = append(publishTexts, c.text)
	}
	s.publishChoice = widget.NewRadioGroup(publishTexts, func(string) { s.onPublishChanged() })
	s.publishChoice.Required = true
	var sendTexts []string
	for _, c := range transportChoices() {
		sendTexts = append(sendTexts, c.text)
	}
	s.sendChoice = widget.NewRadioGroup(sendTexts, func(string) { s.onPublishChanged() })
	s.sendChoice.Required = true
	s.saveBtn = newButtonWithIcon(s.g, tr("signin.save", "Save"), theme.DocumentSaveIcon(), s.onSave)
	s.saveBtn.Importance = widget.HighImportance
	s.saveStatus = para("")
	s.saveStatus.Importance = widget.SuccessImportance
	s.saveStatus.Hide()
	s.saveError = signInAlert()
	s.testEmail = newButtonWithIcon(s.g, tr("ap.send_test", "Send a test email to myself"), theme.MailSendIcon(), s.onTestEmail)
	s.testEmail.Importance = widget.HighImportance
	s.goAccount = newButtonWithIcon(s.g, tr("ap.go_account", "Go to the account"), theme.AccountIcon(), s.onGoAccount)
	s.signInAgain = newButtonWithIcon(s.g, tr("signin.sign_in_again_now", "Sign in again now"), theme.LoginIcon(), s.onSignInAgain)
	s.signInAgain.Importance = widget.HighImportance
	s.signInAgain.Hide()
	s.nextBox = container.NewHBox(s.signInAgain, s.testEmail, s.goAccount)
	s.nextBox.Hide()
	s.workspace = para("")
	s.workspace.Hide()

	audience := newButtonWithIcon(s.g, tr("signin.open_audience", "Open the Audience page"), theme.ComputerIcon(), s.onOpenAudience)
	s.afterBox = container.NewVBox(
		widget.NewSeparator(),
		s.signedIn, s.otherAddress, s.workspace,
		checklistSubheading(tr("signin.publishing.question", "Is your Google project in Testing or in production?")),
		para(tr("signin.publishing.where", "The Audience page of the Google Cloud console (step 4) shows it under Publishing status. "+
			"Tell mailkey which one it is, so that it knows whether this sign-in lasts.")),
		container.NewHBox(audience),
		s.publishChoice,
		para(tr("signin.publishing.testing", "Testing, the default and the simplest: only the test users you listed can sign in. "+
			"Google ends each sign-in 7 days after it; mailkey shows the date and signs you in again with one click.")),
		para(tr("signin.publishing.production", "In production: before it publishes the app, Google now asks for a home page, "+
			"a privacy policy link and an authorised domain on the Branding page. Only a sign-in made after publishing has no end date: "+
			"a sign-in made while the app was in Testing still ends 7 days after it, so sign in again once the app is published. "+
			"Everyone who signs in then clicks through “Google hasn't verified this app” (Advanced, then Go to … (unsafe)); "+
			"with fewer than 100 users, Google requires no verification.")),
		checklistSubheading(tr("signin.transport.question", "How should mailkey send your mail?")),
		para(tr("signin.transport.note", "Gmail's SMTP server uses ports 587 and 465, which some offices, hotels and internet providers block. "+
			"With Automatic, mailkey then sends through the Gmail API over HTTPS instead, only when the SMTP server cannot be reached, "+
			"so a message is never sent twice. You can change this later on the account's page.")),
		s.sendChoice,
		container.NewHBox(s.saveBtn), s.saveStatus, s.saveError,
		s.nextBox,
	)
	s.afterBox.Hide()
}

// showAfter shows the signed-in account and asks for the publishing status.
func (s *signIn) showAfter(a account.Account) {
	s.signed = a
	s.signedIn.SetText(tr("signin.signed_in", "You are signed in as {{.Address}}.", map[string]any{"Address": a.Address}))
	if s.addr != "" && !account.Same(s.addr, a.Address) {
		s.otherAddress.SetText(signInOtherAddress(s.addr, a.Address))
		s.otherAddress.Show()
	} else {
		s.otherAddress.Hide()
	}
	pub := a.Publishing
	if pub != account.Production {
		pub = account.Testing // the status of a new Google project
	}
	for _, c := range publishChoices() {
		if c.value == pub {
			s.publishChoice.SetSelected(c.text)
		}
	}
	s.showWorkspace(a)
	for _, c := range transportChoices() {
		if c.value == a.EffectiveTransport() {
			s.sendChoice.SetSelected(c.text)
		}
	}
	s.saveStatus.Hide()
	s.saveError.Hide()
	s.nextBox.Hide()
	s.saveBtn.Enable()
	s.afterBox.Show()
	s.importBox.Hide() // the client is in use now
	s.root.Refresh()
	s.scroll.ScrollToBottom()
	s.g.win.Canvas().Focus(s.saveBtn) // the keyboard carries on at the next step
}

// onPublishChanged asks for Save again after the choice changed.
func (s *signIn) onPublishChanged() {
	s.saveStatus.Hide()
	s.saveBtn.Enable()
}

// onSave records the publishing status and the way to send the user chose.
func (s *signIn) onSave() {
	pub := publishingOf(s.publishChoice)
	transport := s.signed.EffectiveTransport()
	if i := choiceIndex(s.sendChoice); i >= 0 {
		transport = transportChoices()[i].value
	}
	addr := s.signed.Address
	s.saveBtn.Disable()
	s.saveError.Hide()
	run(s.g.tasks, func() (account.Account, error) {
		if err := s.g.eng.SetPublishing(addr, pub); err != nil {
			return account.Account{}, err
		}
		if err := s.g.eng.SetTransport(addr, transport); err != nil {
			return account.Account{}, err
		}
		in, err := s.g.eng.Account(addr)
		return in.Account, err
	}, func(saved account.Account, err error) {
		if err != nil {
			s.saveBtn.Enable()
			s.saveError.SetText(errorText(err))
			s.saveError.Show()
			return
		}
		s.signed = saved
		s.saveStatus.SetText(s.savedText())
		s.saveStatus.Show()
		s.signInAgain.Hide()
		if s.stillEnds() {
			s.saveStatus.Importance = widget.WarningImportance
			s.signInAgain.Show()
		} else {
			s.saveStatus.Importance = widget.SuccessImportance
		}
		s.saveStatus.Refresh()
		s.nextBox.Show()
		s.root.Refresh() // bring the result and the next step into view (issue 11, defect 9)
		s.scroll.ScrollToBottom()
		s.g.win.Canvas().Focus(s.testEmail)
		s.g.accountsChanged() // last: it starts a task of its own
	})
}

// stillEnds reports whether the app was declared In production but Google
// still ends this sign-in: the consent was given while it was in Testing.
func (s *signIn) stillEnds() bool {
	return s.signed.Publishing == account.Production && !s.signed.SignInEndsAt.IsZero()
}

// savedText says what the saved choice means for this sign-in.
func (s *signIn) savedText() string {
	switch {
	case s.stillEnds():
		return tr("signin.saved.production_ends", "Saved. But Google says this sign-in ends on {{.Date}}: your app was still in Testing when you signed in, "+
			"and publishing doesn't change that. Once the app is In production, sign in again to get a sign-in without an end date.",
			map[string]any{"Date": longDate(s.signed.SignInEndsAt)})
	case s.signed.Publishing == account.Production:
		return tr("signin.saved.production", "Saved. This sign-in has no 7-day limit.")
	}
	end := s.signed.SignInEndsAt
	if end.IsZero() {
		end = s.signed.SignedInAt.Add(account.TestingLifetime)
	}
	return tr("signin.saved.testing", "Saved. Google will end this sign-in on {{.Date}}; mailkey will then offer to sign you in again.",
		map[string]any{"Date": longDate(end)})
}

// showWorkspace explains the Internal user type for a work or school address:
// one with Google's hd claim, or outside gmail.com and googlemail.com.
func (s *signIn) showWorkspace(a account.Account) {
	if !isWorkspace(a) {
		s.workspace.Hide()
		return
	}
	if st, ok := google.ConsoleStep("audience"); ok {
		s.workspace.SetText(localStep(st).Workspace)
	}
	s.workspace.Show()
}

// isWorkspace reports whether a's address may be a Google Workspace one.
func isWorkspace(a account.Account) bool {
	if a.HostedDomain != "" {
		return true
	}
	_, domain, _ := strings.Cut(strings.ToLower(a.Address), "@")
	return domain != "" && domain != "gmail.com" && domain != "googlemail.com"
}

// onSignInAgain signs in once more with the same client, as the publishing
// status just declared, so that the new sign-in is made In production.
func (s *signIn) onSignInAgain() {
	s.publishing = s.signed.Publishing
	s.showWarning()
	s.nextBox.Hide()
	s.onSignIn()
}

func (s *signIn) onTestEmail() { s.g.showCompose(s.signed.Address, true) }

func (s *signIn) onGoAccount() { s.g.showAccountChecked(s.signed.Address) }

// onOpenAudience opens the console page that shows the publishing status.
func (s *signIn) onOpenAudience() {
	project := s.signed.ProjectID
	if !google.ValidProjectID(project) {
		project = ""
	}
	s.g.open(google.StepLink("audience", project))
}
