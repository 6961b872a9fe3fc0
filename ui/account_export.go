package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/export"
)

// exportPanel is the account screen's "Use this account elsewhere" section:
// the values a "generic mail provider" form asks for, each with a copy button,
// and an msmtp account block. The app password is never shown; it goes to the
// clipboard only when its own button is clicked.
type exportPanel struct {
	g    *gui
	acct account.Account

	// values holds the label/value rows of the settings.
	values *fyne.Container
	// value and copy hold each row's value label and copy button, by label.
	value map[string]*widget.Label
	copy  map[string]*button
	// password explains the password; copyPassword copies the app password.
	password     *widget.Label
	copyPassword *button
	// msmtp shows the msmtp block, read-only; copyMSMTP copies it.
	msmtp     *entry
	msmtpText string
	copyMSMTP *button
	// status says what was copied, or why copying failed.
	status *widget.Label
	root   *widget.Accordion
}

func newExportPanel(g *gui) *exportPanel {
	p := &exportPanel{
		g:        g,
		values:   container.New(layout.NewFormLayout()),
		value:    map[string]*widget.Label{},
		copy:     map[string]*button{},
		password: para(""),
		msmtp:    newEntry(g),
		status:   para(""),
	}
	p.msmtp.MultiLine = true
	p.copyPassword = newButtonWithIcon(p.g, tr("export.copy_password", "Copy app password"), theme.ContentCopyIcon(), p.onCopyPassword)
	p.copyMSMTP = newButtonWithIcon(p.g, tr("export.copy", "Copy"), theme.ContentCopyIcon(), p.onCopyMSMTP)
	p.msmtp.TextStyle = fyne.TextStyle{Monospace: true}
	p.msmtp.Wrapping = fyne.TextWrapOff
	p.msmtp.SetMinRowsVisible(11)
	// Read-only: any edit is undone, while the text stays selectable.
	p.msmtp.OnChanged = func(s string) {
		if s != p.msmtpText {
			p.msmtp.SetText(p.msmtpText)
		}
	}
	p.status.Hide()
	intro := para(tr("export.intro", "Settings for SeaTable, Odoo, Thunderbird or any “other mail provider” form, and an account for msmtp (~/.msmtprc)."))
	body := container.NewVBox(intro, p.values, p.password, container.NewHBox(p.copyPassword), p.status,
		widget.NewSeparator(), container.NewBorder(nil, nil, widget.NewLabel("msmtp"), p.copyMSMTP), p.msmtp)
	p.root = widget.NewAccordion(widget.NewAccordionItem(tr("export.title", "Use this account elsewhere"), body))
	p.root.Hide()
	return p
}

func (p *exportPanel) content() fyne.CanvasObject { return p.root }

// set shows the settings of a; an account whose settings cannot be exported
// hides the panel.
func (p *exportPanel) set(a account.Account) {
	p.acct = a
	fields, errF := export.Fields(a)
	block, errB := export.MSMTPBlock(a)
	if errF != nil || errB != nil {
		p.root.Hide()
		return
	}
	p.values.Objects = nil
	p.value, p.copy = map[string]*widget.Label{}, map[string]*button{}
	for _, f := range fields {
		v := widget.NewLabel(exportValue(f, a.Method))
		v.Wrapping = fyne.TextWrapBreak
		v.Selectable = true
		b := newButtonWithIcon(p.g, "", theme.ContentCopyIcon(), func() { p.copied(exportLabel(f.Label), f.Value) })
		p.value[f.Label], p.copy[f.Label] = v, b
		p.values.Add(widget.NewLabelWithStyle(exportLabel(f.Label), fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}))
		p.values.Add(container.NewBorder(nil, nil, nil, b, v))
	}
	p.values.Refresh()
	if a.Method == account.AppPassword {
		p.password.SetText(tr("export.password.app", "Password: your app password, kept in the keyring. It is not shown here; copy it only when a form asks for it."))
		p.copyPassword.Show()
	} else {
		note := tr("export.oauth_note", "A program that signs in with OAuth 2.0 needs its own OAuth client (client ID and secret) and its own sign-in; "+
			"or use msmtp, which gets a fresh token from 'mailkey token {{.Address}}' (mailkey export msmtp {{.Address}}).", map[string]any{"Address": a.Address})
		p.password.SetText(tr("export.password.none", "Password: none. {{.Note}}", map[string]any{"Note": note}))
		p.copyPassword.Hide()
	}
	p.msmtpText = block
	p.msmtp.SetText(block)
	p.status.Hide()
	p.root.Show()
}

func (p *exportPanel) copied(what, value string) {
	p.g.app.Clipboard().SetContent(value)
	p.showStatus(tr("export.copied", "{{.What}} copied.", map[string]any{"What": what}), widget.MediumImportance)
}

func (p *exportPanel) onCopyMSMTP() {
	p.g.app.Clipboard().SetContent(p.msmtpText)
	note := tr("export.msmtp.app", "The msmtp account is copied. Paste it into ~/.msmtprc (mode 0600); it reads the app password with secret-tool (package libsecret-tools).")
	if p.acct.Method == account.OAuth {
		note = tr("export.msmtp.oauth", "The msmtp account is copied. Paste it into ~/.msmtprc; msmtp runs mailkey for a token, so mailkey must be on its PATH.")
	}
	p.showStatus(note, widget.MediumImportance)
}

// onCopyPassword reads the app password from the keyring off the UI goroutine
// and puts it on the clipboard. It is never shown.
func (p *exportPanel) onCopyPassword() {
	addr := p.acct.Address
	p.copyPassword.Disable()
	run(p.g.tasks, func() (string, error) {
		return p.g.eng.AppPassword(context.Background(), addr)
	}, func(pw string, err error) {
		p.copyPassword.Enable()
		if err != nil {
			p.showStatus(errorText(err), widget.DangerImportance)
			return
		}
		p.g.app.Clipboard().SetContent(pw)
		p.showStatus(tr("export.password.copied", "App password copied. It stays on the clipboard until you copy something else."), widget.MediumImportance)
	})
}

func (p *exportPanel) showStatus(text string, imp widget.Importance) {
	p.status.Importance = imp
	p.status.SetText(text)
	p.status.Show()
}

// exportLabel is a field's label in the chosen language.
func exportLabel(label string) string {
	switch label {
	case export.LabelServer:
		return tr("export.label.server", label)
	case export.LabelPort:
		return tr("export.label.port", label)
	case export.LabelSecurity:
		return tr("export.label.security", label)
	case export.LabelUsername:
		return tr("export.label.username", label)
	case export.LabelMethod:
		return tr("export.label.method", label)
	}
	return label
}

// exportValue is a field's value, with the authentication method, which
// is m's, in the chosen language.
func exportValue(f export.Field, m account.Method) string {
	if f.Label != export.LabelMethod {
		return f.Value
	}
	if m == account.OAuth {
		return tr("export.method.oauth", f.Value)
	}
	return tr("export.method.plain", f.Value)
}
