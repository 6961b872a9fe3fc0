package ui

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mailkey-app/mailkey/app/google"
	"github.com/mailkey-app/mailkey/app/setup"
)

// clientChoice is the outcome of giving the sign-in screen its client: which
// client will sign in, or why the one given can't, with the way back to the
// checklist for a client of the wrong type.
type clientChoice struct {
	g *gui
	// client is the client that will sign in, or nil.
	client *google.Client
	// clientLabel names the client in use.
	clientLabel *widget.Label
	importError *widget.Label
	// webNote and backToClient explain a Web application client and go back to step 6.
	webNote      *widget.Label
	backToClient *button
}

func newClientChoice(g *gui) *clientChoice {
	c := &clientChoice{g: g, importError: signInAlert()}
	c.webNote = para(tr("signin.web_note", "A desktop program receives Google's answer on 127.0.0.1 at a random port, and a Web application client "+
		"accepts only the exact redirect addresses registered for it. Go back to step 6 and create a client of type Desktop app instead."))
	c.webNote.Hide()
	c.backToClient = newButtonWithIcon(g, tr("signin.back_to_client", "Back to step 6"), theme.NavigateBackIcon(), c.onBackToClient)
	c.backToClient.Hide()
	c.clientLabel = para("")
	c.clientLabel.Importance = widget.SuccessImportance
	c.clientLabel.Hide()
	return c
}

// errorRows are the rows under the ways in that say why a client can't be used.
func (c *clientChoice) errorRows() []fyne.CanvasObject {
	return []fyne.CanvasObject{c.importError, c.webNote, container.NewHBox(c.backToClient)}
}

// hideErrors hides what an earlier import said.
func (c *clientChoice) hideErrors() {
	c.importError.Hide()
	c.webNote.Hide()
	c.backToClient.Hide()
}

// fail says why a client can't be used; no client signs in then.
func (c *clientChoice) fail(err error) {
	c.client = nil
	c.clientLabel.Hide()
	c.showError(errorText(err))
	if errors.Is(err, google.ErrWebClient) {
		c.webNote.Show()
		c.backToClient.Show()
	}
}

// showError shows text where an import's error shows.
func (c *clientChoice) showError(text string) {
	c.importError.SetText(text)
	c.importError.Show()
}

// use shows which client will sign in.
func (c *clientChoice) use(cl google.Client) {
	c.client = &cl
	if cl.ProjectID != "" {
		c.clientLabel.SetText(tr("signin.client_project", "Client {{.ClientID}} from project {{.Project}}.", map[string]any{"ClientID": cl.ClientID, "Project": cl.ProjectID}))
	} else {
		c.clientLabel.SetText(tr("signin.client_no_project", "Client {{.ClientID}}, project not given.", map[string]any{"ClientID": cl.ClientID}))
	}
	c.clientLabel.Show()
}

// projectOf is the project ID the console links should open: the client's,
// else known (the checklist's), or "".
func (c *clientChoice) projectOf(known string) string {
	if c.client != nil && google.ValidProjectID(c.client.ProjectID) {
		return c.client.ProjectID
	}
	return known
}

// onBackToClient records step 6 as the checklist's current step, then shows the checklist.
func (c *clientChoice) onBackToClient() {
	c.backToClient.Disable()
	run(c.g.tasks, func() (struct{}, error) {
		return struct{}{}, c.g.progress.Update(func(p *setup.Progress) { p.Step = "client" })
	}, func(_ struct{}, err error) {
		c.backToClient.Enable()
		if err != nil {
			c.showError(errorText(err))
			return
		}
		c.g.showChecklist()
	})
}

// signInAlert is a wrapping label for errors, hidden until needed.
func signInAlert() *widget.Label {
	l := para("")
	l.Importance = widget.DangerImportance
	l.Hide()
	return l
}
