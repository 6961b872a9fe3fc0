package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/mailkey-app/mailkey/app/google"
)

// clientNotice is the top of the Health card: a warning that the account's
// OAuth client went unused so long that Google may delete it, or what to do
// once Google has deleted it.
type clientNotice struct {
	g *gui
	// idle warns that the OAuth client went unused so long that Google may
	// delete it.
	idle *widget.Label
	// deleted says what to do once Google has deleted the client, with
	// buttons to its Clients page and to a sign-in with a new client.
	deleted     *fyne.Container
	deletedText *widget.Label
	openClients *button
	newClient   *button
	clientsLink string
}

func newClientNotice(g *gui) *clientNotice {
	n := &clientNotice{g: g, idle: para("")}
	n.idle.Importance = widget.WarningImportance
	n.idle.Hide()
	n.deletedText = para(tr("health.client_deleted",
		"Google deleted this account's OAuth client: it deletes clients left unused for about 6 months. "+
			"Within 30 days of the deletion you can restore it on the Clients page and sign in again; otherwise sign in with a new Desktop app client."))
	n.deletedText.Importance = widget.WarningImportance
	n.openClients = newButtonWithIcon(n.g, tr("health.open_clients", "Open the Clients page"), theme.ComputerIcon(), func() { n.g.open(n.clientsLink) })
	n.newClient = newButtonWithIcon(n.g, tr("health.new_client", "Sign in with a new client"), theme.LoginIcon(), func() { n.g.showSignIn("") })
	n.deleted = container.NewVBox(n.deletedText, container.NewHBox(n.openClients, n.newClient))
	n.showDeleted(false)
	return n
}

// showAccount shows what the loaded account says about its client: deleted
// (as the caller found), or idle at now.
func (n *clientNotice) showAccount(in engine.Info, now time.Time, deleted bool) {
	n.clientsLink = google.ClientsLink(in.ProjectID)
	n.showDeleted(deleted)
	n.showIdle(in, now)
}

func (n *clientNotice) showDeleted(on bool) {
	for _, o := range []fyne.CanvasObject{n.deleted, n.deletedText, n.openClients, n.newClient} {
		if on {
			o.Show()
		} else {
			o.Hide()
		}
	}
}

// showIdle warns when the account's OAuth client has gone unused longer
// than Account.ClientIdle allows: Google deletes clients unused for about 6
// months, and a token refresh counts as use.
func (n *clientNotice) showIdle(in engine.Info, now time.Time) {
	if !in.ClientIdle(now) {
		n.idle.Hide()
		return
	}
	n.idle.SetText(tr("health.client_idle",
		"This account has not used its OAuth client since {{.Date}}. Google deletes clients unused for about 6 months: "+
			"send a message from this account now to keep it in use.",
		map[string]any{"Date": longDate(in.LastClientUse())}))
	n.idle.Show()
}
