package ui

import (
	"context"
	"errors"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/google"
	"github.com/mailkey-app/mailkey/app/setup"
)

// signIn imports the OAuth client file, signs in through the browser and then
// asks for the project's publishing status. With an address it signs that
// account in again with the client it saved.
type signIn struct {
	g    *gui
	addr string // the account to sign in again, or "" for a new one
	// smtpURL is the new account's SMTP server, "" for Gmail's; tests point it at their peer.
	smtpURL string
	// apiBase is the Gmail API's base URL, "" for Google's; tests point it at their peer.
	apiBase string
	smtp    *smtpField

	root   *fyne.Container
	scroll *container.Scroll

	// Step 1: the client, by file, two fields or pasted text.
	importBox    *fyne.Container
	chooseFile   *widget.Button
	importError  *widget.Label
	webNote      *widget.Label
	backToClient *widget.Button
	clientLabel  *widget.Label

	// Step 2: the sign-in.
	signInBtn  *widget.Button
	waitBox    *fyne.Container
	activity   *widget.Activity
	waitLabel  *widget.Label
	cancelBtn  *widget.Button
	copyLink   *widget.Button
	copyNote   *widget.Label
	status     *widget.Label
	cancel     cancellable
	link       string // UI goroutine: the sign-in link of the running attempt
	client     *google.Client
	publishing account.Publishing // what the account had, for a sign-in again

	importShown bool          // the import was on show when the sign-in started
	prepare2    *widget.Label // Google's warning, by publishing status
	published   *widget.Label // the other warning, while the status is unknown

	signInClient
	signInWait
	signInAfter
}

func newSignIn(g *gui, addr string) *signIn {
	s := &signIn{g: g, addr: addr}
	s.chooseFile = widget.NewButtonWithIcon(tr("signin.choose_file", "Choose file…"), theme.FolderOpenIcon(), s.onChooseFile)
	s.newClientInputs()
	s.importError = signInAlert()
	s.webNote = para(tr("signin.web_note", "A desktop program receives Google's answer on 127.0.0.1 at a random port, and a Web application client "+
		"accepts only the exact redirect addresses registered for it. Go back to step 6 and create a client of type Desktop app instead."))
	s.webNote.Hide()
	s.backToClient = widget.NewButtonWithIcon(tr("signin.back_to_client", "Back to step 6"), theme.NavigateBackIcon(), s.onBackToClient)
	s.backToClient.Hide()
	s.clientLabel = para("")
	s.clientLabel.Importance = widget.SuccessImportance
	s.clientLabel.Hide()

	s.signInBtn = widget.NewButtonWithIcon(tr("signin.sign_in", "Sign in with Google"), theme.LoginIcon(), s.onSignIn)
	s.signInBtn.Importance = widget.HighImportance
	s.signInBtn.Disable()
	s.activity = widget.NewActivity()
	s.waitLabel = widget.NewLabel(tr("signin.waiting", "Waiting for your browser…"))
	s.cancelBtn = widget.NewButtonWithIcon(tr("signin.cancel", "Cancel"), theme.CancelIcon(), s.onCancel)
	s.copyLink = widget.NewButtonWithIcon(tr("signin.copy_link", "Copy link"), theme.ContentCopyIcon(), s.onCopyLink)
	s.copyLink.Disable()
	s.copyNote = para(tr("signin.copy_note", "If no browser window opened, copy the link and paste it into your browser's address bar."))
	s.newWaitAdvice()
	s.waitBox = container.NewVBox(container.NewHBox(s.activity, s.waitLabel),
		container.NewHBox(s.cancelBtn, s.copyLink), s.copyNote, s.waitAdvice)
	s.waitBox.Hide()
	s.status = signInAlert()

	s.newAfter()
	s.showWarning()
	return s
}

func (s *signIn) content() fyne.CanvasObject {
	title := tr("signin.title", "Sign in with your Google Cloud client")
	if s.addr != "" {
		title = tr("signin.title_again", "Sign in again as {{.Address}}", map[string]any{"Address": s.addr})
	}
	s.importBox = container.NewVBox(
		checklistSubheading(tr("signin.client_title", "Give mailkey your client")),
		s.clientInputs(),
		s.importError, s.webNote, container.NewHBox(s.backToClient),
	)
	s.smtp = newSMTPField(s.g, func(url string, _ bool) { s.smtpURL = url })
	signInBox := container.NewVBox(
		checklistSubheading(tr("signin.sign_in", "Sign in with Google")),
		para(tr("signin.prepare1", signInPrepare1)), s.prepare2, s.published, para(tr("signin.prepare3", signInPrepare3)),
		// A URL that can't be used is refused by the engine, with advice, before the browser opens.
		s.smtp.content(),
		container.NewHBox(s.signInBtn), s.waitBox, s.status,
	)
	back := widget.NewButtonWithIcon(tr("nav.back", "Back"), theme.NavigateBackIcon(), s.g.back)
	back.Importance = widget.LowImportance
	s.root = container.NewVBox(container.NewHBox(back, heading(title)), s.importBox, s.clientLabel, widget.NewSeparator(), signInBox, s.afterBox)
	s.scroll = container.NewVScroll(s.root)
	if s.addr == "" {
		return s.scroll
	}
	s.importBox.Hide()
	s.clientLabel.Importance = widget.MediumImportance
	s.clientLabel.SetText(tr("signin.loading_client", "Loading the client that {{.Address}} signed in with…", map[string]any{"Address": s.addr}))
	s.clientLabel.Show()
	return s.scroll
}

// onLoadClient fetches the client an account signed in with, for a sign-in again.
func (s *signIn) onLoadClient() {
	type loaded struct {
		client google.Client
		pub    account.Publishing
		smtp   string
	}
	addr := s.addr
	run(s.g.tasks, func() (loaded, error) {
		c, err := s.g.eng.ClientFor(context.Background(), addr)
		if err != nil {
			return loaded{}, err
		}
		in, err := s.g.eng.Account(addr)
		return loaded{client: c, pub: in.Publishing, smtp: in.SMTP}, err
	}, func(l loaded, err error) {
		s.clientLabel.Importance = widget.SuccessImportance
		if err != nil {
			s.clientLabel.Hide()
			s.importBox.Show()
			s.importError.SetText(tr("signin.load_failed", "mailkey couldn't load the client that {{.Address}} signed in with, so it needs the client again: its ID and secret, or its file.\n{{.Error}}",
				map[string]any{"Address": addr, "Error": errorText(err)}))
			s.importError.Show()
			return
		}
		s.publishing = l.pub
		s.showWarning()
		s.smtp.set(l.smtp) // signing in again keeps the server (issue 11, defect 3)
		s.useClient(l.client)
		s.g.win.Canvas().Focus(s.signInBtn)
	})
}

func (s *signIn) onChooseFile() {
	d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil {
			s.onImported(google.Client{}, advice.New(err, tr("signin.open_failed.what", "mailkey couldn't open the file you chose"),
				tr("signin.open_failed.next", "Choose the file again, or drop it on this window.")))
			return
		}
		if rc == nil {
			return // the user closed the dialog
		}
		s.importFile(rc.URI(), rc)
	}, s.g.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".json"}))
	d.Show()
}

// onDropped imports the first JSON file dropped on the window; g.show makes
// it the window's drop target while this screen is on show.
func (s *signIn) onDropped(uris []fyne.URI) {
	if len(uris) == 0 || s.signingIn() {
		return
	}
	pick := uris[0]
	for _, u := range uris {
		if strings.EqualFold(u.Extension(), ".json") {
			pick = u
			break
		}
	}
	s.importFile(pick, nil)
}

// importFile reads and checks the client file at u off the UI goroutine;
// rc, when set, is the dialog's open reader, closed there too.
func (s *signIn) importFile(u fyne.URI, rc fyne.URIReadCloser) {
	s.setClientInputs(false)
	run(s.g.tasks, func() (google.Client, error) {
		if rc != nil {
			_ = rc.Close()
		}
		if u.Scheme() != "file" {
			return google.Client{}, advice.New(errors.New("not a local file: "+u.Scheme()),
				tr("signin.not_local.what", "mailkey can only read a client file that is on this computer"),
				tr("signin.not_local.next", "Save the client_secret_….json file to your computer first, then choose it."))
		}
		return google.ReadClientFile(filepath.FromSlash(u.Path()))
	}, func(c google.Client, err error) {
		s.setClientInputs(true)
		s.onImported(c, err)
	})
}

// onImported shows the outcome of an import next to the import controls.
func (s *signIn) onImported(c google.Client, err error) {
	s.importError.Hide()
	s.webNote.Hide()
	s.backToClient.Hide()
	if err != nil {
		s.client = nil
		s.clientLabel.Hide()
		s.signInBtn.Disable()
		s.importError.SetText(errorText(err))
		s.importError.Show()
		if errors.Is(err, google.ErrWebClient) {
			s.webNote.Show()
			s.backToClient.Show()
		}
		return
	}
	s.useClient(s.withKnownProject(c))
}

// useClient shows which client will sign in and enables the sign-in.
func (s *signIn) useClient(c google.Client) {
	s.client = &c
	if c.ProjectID != "" {
		s.clientLabel.SetText(tr("signin.client_project", "Client {{.ClientID}} from project {{.Project}}.", map[string]any{"ClientID": c.ClientID, "Project": c.ProjectID}))
	} else {
		s.clientLabel.SetText(tr("signin.client_no_project", "Client {{.ClientID}}, project not given.", map[string]any{"ClientID": c.ClientID}))
	}
	s.clientLabel.Show()
	s.signInBtn.Enable()
}

// onBackToClient records step 6 as the checklist's current step, then shows the checklist.
func (s *signIn) onBackToClient() {
	s.backToClient.Disable()
	run(s.g.tasks, func() (struct{}, error) {
		return struct{}{}, s.g.progress.Update(func(p *setup.Progress) { p.Step = "client" })
	}, func(_ struct{}, err error) {
		s.backToClient.Enable()
		if err != nil {
			s.importError.SetText(errorText(err))
			s.importError.Show()
			return
		}
		s.g.showChecklist()
	})
}

// signInAlert is a wrapping label for errors, hidden until needed.
func signInAlert() *widget.Label {
	l := para("")
	l.Importance = widget.DangerImportance
	l.Hide()
	return l
}

// onShown reads the saved client, when signing in again, once the screen is in the window.
func (s *signIn) onShown() {
	s.loadKnownProject()
	if s.addr != "" {
		s.onLoadClient()
	}
}
