package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mailkey-app/mailkey/app/google"
	"github.com/mailkey-app/mailkey/app/mail"
)

// smtpField is the folded "Advanced: SMTP server" choice of the setup screens:
// Gmail's port 587 by default, port 465 where a network blocks 587, or any
// other server (the local stand-ins of cmd/mailkey-peers, for instance).
// Its toggle is a button, so Tab reaches it; opening it puts the focus in
// the field.
type smtpField struct {
	entry  *entry
	hint   *widget.Label
	toggle *button
	body   *fyne.Container
	box    *fyne.Container
	// onChange gets the URL to use ("" for Gmail's default) and whether it is valid.
	onChange func(url string, ok bool)
}

func newSMTPField(r keyRouter, onChange func(url string, ok bool)) *smtpField {
	f := &smtpField{entry: newEntry(r), hint: para(""), onChange: onChange}
	f.entry.SetPlaceHolder(google.DefaultSMTP)
	f.entry.OnChanged = f.onChanged
	f.hint.SetText(smtpDefaultHint())
	f.toggle = newButtonWithIcon(r, tr("smtp.advanced", "Advanced: SMTP server"), theme.MenuDropDownIcon(), f.onToggle)
	f.toggle.Importance = widget.LowImportance
	f.toggle.Alignment = widget.ButtonAlignLeading
	f.body = container.NewVBox(f.entry, f.hint)
	f.body.Hide()
	f.box = container.NewVBox(container.NewHBox(f.toggle), f.body)
	return f
}

// onToggle opens or folds the field; opening it moves the focus into it.
func (f *smtpField) onToggle() {
	if f.body.Visible() {
		f.body.Hide()
		f.toggle.SetIcon(theme.MenuDropDownIcon())
		return
	}
	f.open()
	if c := fyne.CurrentApp().Driver().CanvasForObject(f.toggle); c != nil {
		c.Focus(f.entry)
	}
}

func (f *smtpField) open() {
	f.body.Show()
	f.toggle.SetIcon(theme.MenuExpandIcon())
	f.box.Refresh()
}

// set shows a saved server: a server other than Gmail's default opens the
// field, so that the user sees what will be kept.
func (f *smtpField) set(url string) {
	if url == google.DefaultSMTP {
		url = ""
	}
	f.entry.SetText(url)
	if url != "" {
		f.open()
	}
}

func (f *smtpField) onChanged(text string) {
	text = strings.TrimSpace(text)
	if text == "" {
		f.hint.SetText(smtpDefaultHint())
		f.hint.Importance = widget.MediumImportance
		f.hint.Refresh()
		f.onChange("", true)
		return
	}
	_, err := mail.ParseEndpoint(text)
	if err != nil {
		f.hint.SetText(errorText(err))
		f.hint.Importance = widget.DangerImportance
	} else {
		f.hint.SetText(tr("smtp.will_use", "mailkey will use {{.URL}}.", map[string]any{"URL": text}))
		f.hint.Importance = widget.SuccessImportance
	}
	f.hint.Refresh()
	f.onChange(text, err == nil)
}

// smtpDefaultHint explains the empty field: Gmail's server, or port 465.
func smtpDefaultHint() string {
	return tr("smtp.default_hint", "Leave it empty for Gmail ({{.Default}}). If your network blocks port 587, use {{.ImplicitTLS}}.",
		map[string]any{"Default": google.DefaultSMTP, "ImplicitTLS": google.SMTPImplicitTLS})
}

// content returns the folded field.
func (f *smtpField) content() fyne.CanvasObject { return f.box }
