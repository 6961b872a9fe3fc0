package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/mailkey-app/mailkey/app/google"
	"github.com/mailkey-app/mailkey/app/mail"
)

// accountDetails is the head of the account screen: the address as its
// title and a form with how the account signs in, its SMTP server, how its
// mail leaves and its status.
type accountDetails struct {
	title  *widget.Label
	method *widget.Label
	server *widget.Label
	status *widget.Label
}

func newAccountDetails(addr string) *accountDetails {
	d := &accountDetails{
		title:  heading(addr),
		method: widget.NewLabel(""),
		server: widget.NewLabel(""),
		status: widget.NewLabel(tr("account.loading", "Loading…")),
	}
	d.title.Wrapping = fyne.TextWrapBreak
	return d
}

// form lays out the details, with change beside the server and sending as
// the Sending row.
func (d *accountDetails) form(change, sending fyne.CanvasObject) *widget.Form {
	return widget.NewForm(
		widget.NewFormItem(tr("account.method", "Method"), d.method),
		widget.NewFormItem(tr("account.server", "SMTP server"), container.NewHBox(d.server, change)),
		widget.NewFormItem(tr("account.sending", "Sending"), sending),
		widget.NewFormItem(tr("account.status", "Status"), d.status),
	)
}

// show fills the details from the loaded account.
func (d *accountDetails) show(in engine.Info) {
	d.title.SetText(in.Address)
	d.method.SetText(accountMethodText(in.Method))
	d.server.SetText(accountServerText(in.SMTP))
	d.status.SetText(statusText(in))
}

// accountMethodText names how an account signs in.
func accountMethodText(m account.Method) string {
	if m == account.OAuth {
		return tr("account.method.oauth", "OAuth 2.0 (your Google Cloud client)")
	}
	return tr("account.method.app_password", "App password")
}

// accountServerText shows an SMTP URL as host:port and its encryption.
func accountServerText(raw string) string {
	raw = google.SMTPURL(raw)
	ep, err := mail.ParseEndpoint(raw)
	if err != nil {
		return raw
	}
	if ep.ImplicitTLS {
		return fmt.Sprintf("%s (TLS)", ep.Addr())
	}
	return fmt.Sprintf("%s (STARTTLS)", ep.Addr())
}
