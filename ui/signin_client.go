package ui

import (
	"errors"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/google"
)

// clientInputs is the part of the sign-in screen that takes the OAuth client,
// in three equal ways: the JSON file (dialog or drop), the client ID and
// secret typed into two fields, or pasted text holding either. Since 2025
// Google shows a new secret only once, in the dialog after Create, so the
// file is no longer the only way, nor always at hand (GOOGLE.md, step 7).
type clientInputs struct {
	g            *gui
	idEntry      *entry
	secretEntry  *entry
	projectEntry *entry
	useFields    *button
	pasteEntry   *entry
	usePaste     *button
	chooseFile   *button
	// knownProject is the project ID typed in the checklist, or "".
	knownProject string
	// onImported gets each way's client, or why it can't be used.
	onImported func(google.Client, error)
}

func newClientInputs(g *gui, onImported func(google.Client, error)) *clientInputs {
	c := &clientInputs{g: g, onImported: onImported}
	c.chooseFile = newButtonWithIcon(g, tr("signin.choose_file", "Choose file…"), theme.FolderOpenIcon(), c.onChooseFile)
	c.idEntry = newEntry(g)
	c.idEntry.SetPlaceHolder("1234…-….apps.googleusercontent.com")
	c.secretEntry = newPasswordEntry(g)
	c.secretEntry.SetPlaceHolder("GOCSPX-…")
	c.projectEntry = newEntry(g)
	c.projectEntry.SetPlaceHolder(tr("signin.project_optional", "optional, e.g. mailkey-123456"))
	c.useFields = newButtonWithIcon(g, tr("signin.use_fields", "Use this client"), theme.ConfirmIcon(), c.onUseFields)
	c.pasteEntry = newMultiLineEntry(g)
	c.pasteEntry.SetPlaceHolder(tr("signin.paste_placeholder", "Paste the client JSON, or the client ID and secret copied from Google's dialog"))
	c.pasteEntry.SetMinRowsVisible(3)
	c.pasteEntry.Wrapping = fyne.TextWrapBreak
	c.usePaste = newButton(g, tr("signin.use_paste", "Use pasted text"), c.onUsePaste)
	// Enter in a field moves on to the next one, and from the last presses "Use this client".
	c.idEntry.OnSubmitted = func(string) { c.g.win.Canvas().Focus(c.secretEntry) }
	c.secretEntry.OnSubmitted = func(string) { c.g.win.Canvas().Focus(c.projectEntry) }
	c.projectEntry.OnSubmitted = func(string) { c.onUseFields() }
	return c
}

// content lays out the three ways in.
func (c *clientInputs) content() fyne.CanvasObject {
	fields := container.New(layout.NewFormLayout(),
		widget.NewLabel(tr("signin.client_id", "Client ID")), c.idEntry,
		widget.NewLabel(tr("signin.client_secret", "Client secret")), c.secretEntry,
		widget.NewLabel(tr("signin.project_id", "Project ID")), c.projectEntry,
	)
	return container.NewVBox(
		para(tr("signin.client_hint", "Google showed the client ID and the client secret in the dialog after Create (step 7 of the checklist), "+
			"and shows the secret only there. Give them to mailkey in any of these three ways.")),
		checklistSubheading(tr("signin.way_fields", "Type or paste the two values")),
		fields, container.NewHBox(c.useFields),
		checklistSubheading(tr("signin.way_file", "Or use the JSON file")),
		para(tr("signin.choose_hint", "Choose the client_secret_….json file Google let you download in that dialog, or drop it on this window.")),
		container.NewHBox(c.chooseFile, newButtonWithIcon(c.g, tr("signin.open_checklist", "Open the checklist"), theme.ListIcon(), c.g.showChecklist)),
		checklistSubheading(tr("signin.way_paste", "Or paste any text that holds them")),
		c.pasteEntry, container.NewHBox(c.usePaste),
	)
}

// setEnabled enables or disables every way in.
func (c *clientInputs) setEnabled(on bool) {
	for _, b := range []*button{c.chooseFile, c.usePaste, c.useFields} {
		if on {
			b.Enable()
		} else {
			b.Disable()
		}
	}
}

// onUseFields checks the typed client. Parsing needs no disk or network.
func (c *clientInputs) onUseFields() {
	cl, err := google.NewClient(google.ClientFields{ClientID: c.idEntry.Text, ClientSecret: c.secretEntry.Text, ProjectID: c.projectEntry.Text})
	if err == nil {
		c.secretEntry.SetText("") // the secret lives in the client now, and later in the keyring
	}
	c.onImported(cl, err)
}

// onUsePaste checks the pasted client: JSON, or text holding an ID and a secret.
func (c *clientInputs) onUsePaste() {
	cl, err := google.ClientFromText(c.pasteEntry.Text)
	if err == nil {
		c.pasteEntry.SetText("") // the pasted text holds the client secret
	}
	c.onImported(cl, err)
}

func (c *clientInputs) onChooseFile() {
	d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil {
			c.onImported(google.Client{}, advice.New(err, tr("signin.open_failed.what", "mailkey couldn't open the file you chose"),
				tr("signin.open_failed.next", "Choose the file again, or drop it on this window.")))
			return
		}
		if rc == nil {
			return // the user closed the dialog
		}
		c.importFile(rc.URI(), rc)
	}, c.g.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".json"}))
	d.Show()
}

// onDropped imports the first JSON file of those dropped on the window.
func (c *clientInputs) onDropped(uris []fyne.URI) {
	if len(uris) == 0 {
		return
	}
	pick := uris[0]
	for _, u := range uris {
		if strings.EqualFold(u.Extension(), ".json") {
			pick = u
			break
		}
	}
	c.importFile(pick, nil)
}

// importFile reads and checks the client file at u off the UI goroutine;
// rc, when set, is the dialog's open reader, closed there too.
func (c *clientInputs) importFile(u fyne.URI, rc fyne.URIReadCloser) {
	c.setEnabled(false)
	run(c.g.tasks, func() (google.Client, error) {
		if rc != nil {
			_ = rc.Close()
		}
		if u.Scheme() != "file" {
			return google.Client{}, advice.New(errors.New("not a local file: "+u.Scheme()),
				tr("signin.not_local.what", "mailkey can only read a client file that is on this computer"),
				tr("signin.not_local.next", "Save the client_secret_….json file to your computer first, then choose it."))
		}
		return google.ReadClientFile(filepath.FromSlash(u.Path()))
	}, func(cl google.Client, err error) {
		c.setEnabled(true)
		c.onImported(cl, err)
	})
}

// loadKnownProject fills the project field from the checklist, off the UI goroutine.
func (c *clientInputs) loadKnownProject() {
	run(c.g.tasks, func() (string, error) {
		return strings.TrimSpace(c.g.progress.Load().ProjectID), nil
	}, func(id string, _ error) {
		if !google.ValidProjectID(id) {
			return
		}
		c.knownProject = id
		if c.projectEntry.Text == "" {
			c.projectEntry.SetText(id)
		}
	})
}

// withKnownProject gives cl the checklist's project when cl names none.
func (c *clientInputs) withKnownProject(cl google.Client) google.Client {
	if cl.ProjectID == "" {
		cl.ProjectID = c.knownProject
	}
	return cl
}
