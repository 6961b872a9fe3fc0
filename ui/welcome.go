package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// welcome lets the user choose how mailkey signs in to Gmail: an app password
// or OAuth with their own Google Cloud client, with the honest trade-offs of
// each (shared/GOOGLE.md).
type welcome struct {
	g *gui

	appPasswordCard, oauthCard *widget.Card
	useAppPassword, setupOAuth *button
	page                       *container.Scroll
}

func newWelcome(g *gui) *welcome {
	s := &welcome{g: g}
	s.useAppPassword = newButton(s.g, tr("welcome.use_app_password", "Use an app password"), s.onUseAppPassword)
	s.useAppPassword.Importance = widget.HighImportance
	s.setupOAuth = newButton(s.g, tr("welcome.setup_oauth", "Set up OAuth"), s.onSetupOAuth)
	s.setupOAuth.Importance = widget.HighImportance

	// The titles are wrapping labels, not Card titles, which never wrap and
	// would push the second card out of the window.
	s.appPasswordCard = widget.NewCard("", "", container.NewVBox(
		welcomeTitle(tr("welcome.ap.title", "App password")),
		para(tr("welcome.ap.time", "About 2 minutes.")),
		para(tr("welcome.ap.needs", "Your Google account needs 2-Step Verification.")),
		para(tr("welcome.ap.limits", "Google doesn't offer app passwords with Advanced Protection, and on work or school accounts only when the administrator allows them.")),
		para(tr("welcome.ap.keeps", "You get a password of 16 letters. mailkey keeps it in your system keyring and uses it only to send mail; you can delete it on Google's page at any time.")),
		s.useAppPassword,
	))
	s.oauthCard = widget.NewCard("", "", container.NewVBox(
		welcomeTitle(tr("welcome.oauth.title", "OAuth 2.0 with your own Google Cloud client")),
		para(tr("welcome.oauth.time", "About 10 minutes.")),
		para(tr("welcome.oauth.nopassword", "No password is stored, and it is the method Google prefers: mailkey keeps only a sign-in token in your system keyring.")),
		para(tr("welcome.oauth.project", "You create a project in Google Cloud; mailkey guides you through each step.")),
		para(tr("welcome.oauth.testing", "While the project is in Testing, you sign in again every 7 days; mailkey shows the date and it takes one click.")),
		s.setupOAuth,
	))
	s.page = container.NewVScroll(container.NewVBox(
		heading(tr("welcome.title", "Send mail as your Gmail account")),
		para(tr("welcome.intro", "Choose how mailkey signs in to Gmail: both ways end with a test email in your inbox.")),
		container.NewGridWithColumns(2, s.appPasswordCard, s.oauthCard),
	))
	return s
}

func (s *welcome) content() fyne.CanvasObject { return s.page }

// onUseAppPassword starts the app-password wizard.
func (s *welcome) onUseAppPassword() { s.g.showAppPassword("") }

// onSetupOAuth starts the Google Cloud checklist.
func (s *welcome) onSetupOAuth() { s.g.showChecklist() }

// welcomeTitle is a card's title that wraps when the window is narrow.
func welcomeTitle(text string) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameSubHeadingText
	l.Wrapping = fyne.TextWrapWord
	return l
}
