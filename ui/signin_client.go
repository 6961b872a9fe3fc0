package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mailkey-app/mailkey/app/google"
)

// signInClient is the part of the sign-in screen that takes the OAuth client,
// in three equal ways: the JSON file (dialog or drop), the client ID and
// secret typed into two fields, or pasted text holding either. Since 2025
// Google shows a new secret only once, in the dialog after Create, so the
// file is no longer the only way, nor always at hand (GOOGLE.md, step 7).
type signInClient struct {
	idEntry      *entry
	secretEntry  *entry
	projectEntry *entry
	useFields    *button
	pasteEntry   *entry
	usePaste     *button
	// knownProject is the project ID typed in the checklist, or "".
	knownProject string
}

func (s *signIn) newClientInputs() {
	s.idEntry = newEntry(s.g)
	s.idEntry.SetPlaceHolder("1234…-….apps.googleusercontent.com")
	s.secretEntry = newPasswordEntry(s.g)
	s.secretEntry.SetPlaceHolder("GOCSPX-…")
	s.projectEntry = newEntry(s.g)
	s.projectEntry.SetPlaceHolder(tr("signin.project_optional", "optional, e.g. mailkey-123456"))
	s.useFields = newButtonWithIcon(s.g, tr("signin.use_fields", "Use this client"), theme.ConfirmIcon(), s.onUseFields)
	s.pasteEntry = newMultiLineEntry(s.g)
	s.pasteEntry.SetPlaceHolder(tr("signin.paste_placeholder", "Paste the client JSON, or the client ID and secret copied from Google's dialog"))
	s.pasteEntry.SetMinRowsVisible(3)
	s.pasteEntry.Wrapping = fyne.TextWrapBreak
	s.usePaste = newButton(s.g, tr("signin.use_paste", "Use pasted text"), s.onUsePaste)
	// Enter in a field moves on to the next one, and from the last presses "Use this client".
	s.idEntry.OnSubmitted = func(string) { s.g.win.Canvas().Focus(s.secretEntry) }
	s.secretEntry.OnSubmitted = func(string) { s.g.win.Canvas().Focus(s.projectEntry) }
	s.projectEntry.OnSubmitted = func(string) { s.onUseFields() }
}

// clientInputs lays out the three ways in.
func (s *signIn) clientInputs() fyne.CanvasObject {
	fields := container.New(layout.NewFormLayout(),
		widget.NewLabel(tr("signin.client_id", "Client ID")), s.idEntry,
		widget.NewLabel(tr("signin.client_secret", "Client secret")), s.secretEntry,
		widget.NewLabel(tr("signin.project_id", "Project ID")), s.projectEntry,
	)
	return container.NewVBox(
		para(tr("signin.client_hint", "Google showed the client ID and the client secret in the dialog after Create (step 7 of the checklist), "+
			"and shows the secret only there. Give them to mailkey in any of these three ways.")),
		checklistSubheading(tr("signin.way_fields", "Type or paste the two values")),
		fields, container.NewHBox(s.useFields),
		checklistSubheading(tr("signin.way_file", "Or use the JSON file")),
		para(tr("signin.choose_hint", "Choose the client_secret_….json file Google let you download in that dialog, or drop it on this window.")),
		container.NewHBox(s.chooseFile, newButtonWithIcon(s.g, tr("signin.open_checklist", "Open the checklist"), theme.ListIcon(), s.g.showChecklist)),
		checklistSubheading(tr("signin.way_paste", "Or paste any text that holds them")),
		s.pasteEntry, container.NewHBox(s.usePaste),
	)
}

// setClientInputs enables or disables every way in.
func (s *signIn) setClientInputs(on bool) {
	for _, b := range []*button{s.chooseFile, s.usePaste, s.useFields} {
		if on {
			b.Enable()
		} else {
			b.Disable()
		}
	}
}

// onUseFields checks the typed client. Parsing needs no disk or network.
func (s *signIn) onUseFields() {
	c, err := google.NewClient(google.ClientFields{ClientID: s.idEntry.Text, ClientSecret: s.secretEntry.Text, ProjectID: s.projectEntry.Text})
	if err == nil {
		s.secretEntry.SetText("") // the secret lives in the client now, and later in the keyring
	}
	s.onImported(c, err)
}

// onUsePaste checks the pasted client: JSON, or text holding an ID and a secret.
func (s *signIn) onUsePaste() {
	c, err := google.ClientFromText(s.pasteEntry.Text)
	if err == nil {
		s.pasteEntry.SetText("") // the pasted text holds the client secret
	}
	s.onImported(c, err)
}

// loadKnownProject fills the project field from the checklist, off the UI goroutine.
func (s *signIn) loadKnownProject() {
	run(s.g.tasks, func() (string, error) {
		return strings.TrimSpace(s.g.progress.Load().ProjectID), nil
	}, func(id string, _ error) {
		if !google.ValidProjectID(id) {
			return
		}
		s.knownProject = id
		if s.projectEntry.Text == "" {
			s.projectEntry.SetText(id)
		}
	})
}

// withKnownProject gives c the checklist's project when c names none.
func (s *signIn) withKnownProject(c google.Client) google.Client {
	if c.ProjectID == "" {
		c.ProjectID = s.knownProject
	}
	return c
}

// projectOf is the project ID the console links should open, or "".
func (s *signIn) projectOf() string {
	if s.client != nil && google.ValidProjectID(s.client.ProjectID) {
		return s.client.ProjectID
	}
	return s.knownProject
}
