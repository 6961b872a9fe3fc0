package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/google"
)

// signIn imports the OAuth client file, signs in through the browser and then
// asks for the project's publishing status. With an address it signs that
// account in again with the client it saved.
// Each step is a component of its own; the screen holds what ties them
// together: the account and server to sign in with, the publishing status
// it expects, and which steps are on show.
type signIn struct {
	g    *gui
	addr string // the account to sign in again, or "" for a new one
	// smtpURL is the new account's SMTP server, "" for Gmail's; tests point it at their peer.
	smtpURL string
	// apiBase is the Gmail API's base URL, "" for Google's; tests point it at their peer.
	apiBase    string
	smtp       *smtpField
	publishing account.Publishing // what the account had, for a sign-in again

	root   *fyne.Container
	scroll *container.Scroll
	// importBox is step 1: the client, by file, two fields or pasted text.
	importBox   *fyne.Container
	importShown bool // the import was on show when the sign-in started
	// inputs are the three ways to give the client (signin_client.go).
	inputs *clientInputs
	// choice is the client that will sign in, or why none can (signin_choice.go).
	choice *clientChoice
	// login is step 2: the sign-in through the browser (signin_step.go).
	login *loginStep

	signInAfter
}

func newSignIn(g *gui, addr string) *signIn {
	s := &signIn{g: g, addr: addr, choice: newClientChoice(g)}
	s.inputs = newClientInputs(g, s.onImported)
	s.login = newLoginStep(g, s.onSignIn, s.projectOf)
	s.newAfter()
	s.showWarning()
	return s
}

func (s *signIn) content() fyne.CanvasObject {
	title := tr("signin.title", "Sign in with your Google Cloud client")
	if s.addr != "" {
		title = tr("signin.title_again", "Sign in again as {{.Address}}", map[string]any{"Address": s.addr})
	}
	s.importBox = container.NewVBox(append([]fyne.CanvasObject{
		checklistSubheading(tr("signin.client_title", "Give mailkey your client")),
		s.inputs.content(),
	}, s.choice.errorRows()...)...)
	s.smtp = newSMTPField(s.g, func(url string, _ bool) { s.smtpURL = url })
	signInBox := s.login.content(s.smtp.content())
	back := newButtonWithIcon(s.g, tr("nav.back", "Back"), theme.NavigateBackIcon(), s.g.back)
	back.Importance = widget.LowImportance
	s.root = container.NewVBox(container.NewHBox(back, heading(title)), s.importBox, s.choice.clientLabel, widget.NewSeparator(), signInBox, s.afterBox)
	s.scroll = container.NewVScroll(s.root)
	if s.addr == "" {
		return s.scroll
	}
	s.importBox.Hide()
	s.choice.clientLabel.Importance = widget.MediumImportance
	s.choice.clientLabel.SetText(tr("signin.loading_client", "Loading the client that {{.Address}} signed in with…", map[string]any{"Address": s.addr}))
	s.choice.clientLabel.Show()
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
		s.choice.clientLabel.Importance = widget.SuccessImportance
		if err != nil {
			s.choice.clientLabel.Hide()
			s.importBox.Show()
			s.choice.showError(tr("signin.load_failed", "mailkey couldn't load the client that {{.Address}} signed in with, so it needs the client again: its ID and secret, or its file.\n{{.Error}}",
				map[string]any{"Address": addr, "Error": errorText(err)}))
			return
		}
		s.publishing = l.pub
		s.showWarning()
		s.smtp.set(l.smtp) // signing in again keeps the server (issue 11, defect 3)
		s.useClient(l.client)
		s.g.win.Canvas().Focus(s.login.signInBtn)
	})
}

// onDropped imports the first JSON file dropped on the window; g.show makes
// it the window's drop target while this screen is on show.
func (s *signIn) onDropped(uris []fyne.URI) {
	if s.signingIn() {
		return
	}
	s.inputs.onDropped(uris)
}

// onImported shows the outcome of an import next to the import controls.
func (s *signIn) onImported(c google.Client, err error) {
	s.choice.hideErrors()
	if err != nil {
		s.choice.fail(err)
		s.login.signInBtn.Disable()
		return
	}
	s.useClient(s.inputs.withKnownProject(c))
}

// useClient shows which client will sign in and enables the sign-in.
func (s *signIn) useClient(c google.Client) {
	s.choice.use(c)
	s.login.signInBtn.Enable()
}

// projectOf is the project ID the console links should open, or "".
func (s *signIn) projectOf() string { return s.choice.projectOf(s.inputs.knownProject) }

// showWarning says which unverified-app warning Google will show for the
// publishing status the account had.
func (s *signIn) showWarning() { s.login.showWarning(s.publishing) }

// onShown reads the saved client, when signing in again, once the screen is in the window.
func (s *signIn) onShown() {
	s.inputs.loadKnownProject()
	if s.addr != "" {
		s.onLoadClient()
	}
}
