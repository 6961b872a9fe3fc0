package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/google"
)

// The publishing choices, as the radio group shows them.
const (
	signInTesting    = "Testing"
	signInProduction = "In production"
)

// signInAfter is the part of the sign-in screen shown once signed in: the
// address, the publishing status of the Google project, and what to do next.
type signInAfter struct {
	afterBox      *fyne.Container
	signedIn      *widget.Label
	otherAddress  *widget.Label
	publishChoice *widget.RadioGroup
	sendChoice    *widget.RadioGroup // the transport, as transportChoices names it
	saveBtn       *widget.Button
	saveStatus    *widget.Label
	saveError     *widget.Label
	nextBox       *fyne.Container
	testEmail     *widget.Button
	goAccount     *widget.Button

	signed account.Account // the account that signed in
}

func (s *signIn) newAfter() {
	s.signedIn = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.otherAddress = para("")
	s.otherAddress.Importance = widget.WarningImportance
	s.otherAddress.Hide()
	s.publishChoice = widget.NewRadioGroup([]string{tr("signin.testing", signInTesting), tr("signin.production", signInProduction)}, func(string) { s.onPublishChanged() })
	s.publishChoice.Required = true
	var sendTexts []string
	for _, c := range transportChoices() {
		sendTexts = append(sendTexts, c.text)
	}
	s.sendChoice = widget.NewRadioGroup(sendTexts, func(string) { s.onPublishChanged() })
	s.sendChoice.Required = true
	s.saveBtn = widget.NewButtonWithIcon(tr("signin.save", "Save"), theme.DocumentSaveIcon(), s.onSave)
	s.saveBtn.Importance = widget.HighImportance
	s.saveStatus = para("")
	s.saveStatus.Importance = widget.SuccessImportance
	s.saveStatus.Hide()
	s.saveError = signInAlert()
	s.testEmail = widget.NewButtonWithIcon(tr("ap.send_test", "Send a test email to myself"), theme.MailSendIcon(), s.onTestEmail)
	s.testEmail.Importance = widget.HighImportance
	s.goAccount = widget.NewButtonWithIcon(tr("ap.go_account", "Go to the account"), theme.AccountIcon(), s.onGoAccount)
	s.nextBox = container.NewHBox(s.testEmail, s.goAccount)
	s.nextBox.Hide()

	audience := widget.NewButtonWithIcon(tr("signin.open_audience", "Open the Audience page"), theme.ComputerIcon(), s.onOpenAudience)
	s.afterBox = container.NewVBox(
		widget.NewSeparator(),
		s.signedIn, s.otherAddress,
		checklistSubheading(tr("signin.publishing.question", "Is your Google project in Testing or in production?")),
		para(tr("signin.publishing.where", "The Audience page of the Google Cloud console (step 4) shows it under Publishing status. "+
			"Tell mailkey which one it is, so that it knows whether this sign-in lasts.")),
		container.NewHBox(audience),
		s.publishChoice,
		para(tr("signin.publishing.testing", "Testing: only the test users you listed can sign in. Google ends the sign-in 7 days after it started; "+
			"mailkey shows the date and lets you sign in again with one click.")),
		para(tr("signin.publishing.production", "In production, without verification by Google: the sign-in no longer ends after 7 days. "+
			"Instead, everyone who signs in sees “Google hasn't verified this app” and clicks through it, as you just did. "+
			"As long as fewer than 100 people use the app, Google doesn't require the verification, so for personal use you don't need it. "+
			"To switch, click Publish app on the Audience page, then choose In production here.")),
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
	choice := tr("signin.testing", signInTesting)
	if a.Publishing == account.Production {
		choice = tr("signin.production", signInProduction)
	}
	s.publishChoice.SetSelected(choice)
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
	pub := account.Testing
	if s.publishChoice.Selected == tr("signin.production", signInProduction) {
		pub = account.Production
	}
	transport := s.signed.EffectiveTransport()
	for _, c := range transportChoices() {
		if c.text == s.sendChoice.Selected {
			transport = c.value
		}
	}
	addr := s.signed.Address
	s.saveBtn.Disable()
	s.saveError.Hide()
	run(s.g.tasks, func() (struct{}, error) {
		if err := s.g.eng.SetPublishing(addr, pub); err != nil {
			return struct{}{}, err
		}
		return struct{}{}, s.g.eng.SetTransport(addr, transport)
	}, func(_ struct{}, err error) {
		if err != nil {
			s.saveBtn.Enable()
			s.saveError.SetText(errorText(err))
			s.saveError.Show()
			return
		}
		s.signed.Publishing, s.signed.Transport = pub, transport
		s.saveStatus.SetText(s.savedText())
		s.saveStatus.Show()
		s.nextBox.Show()
		s.root.Refresh() // bring the result and the next step into view (issue 11, defect 9)
		s.scroll.ScrollToBottom()
		s.g.win.Canvas().Focus(s.testEmail)
		s.g.accountsChanged() // last: it starts a task of its own
	})
}

// savedText says what the saved choice means for this sign-in.
func (s *signIn) savedText() string {
	if s.signed.Publishing == account.Production {
		return tr("signin.saved.production", "Saved. This sign-in has no 7-day limit.")
	}
	end := s.signed.SignedInAt.Add(account.TestingLifetime)
	return tr("signin.saved.testing", "Saved. Google will end this sign-in on {{.Date}}; mailkey will then offer to sign you in again.",
		map[string]any{"Date": longDate(end)})
}

func (s *signIn) onTestEmail() { s.g.showCompose(s.signed.Address, true) }

func (s *signIn) onGoAccount() { s.g.showAccountChecked(s.signed.Address) }

// onOpenAudience opens the console page that shows the publishing status.
func (s *signIn) onOpenAudience() {
	project := s.signed.ProjectID
	for _, st := range google.ConsoleSteps {
		if st.ID == "audience" {
			if !google.ValidProjectID(project) {
				project = ""
			}
			s.g.open(st.Link(project))
			return
		}
	}
}
