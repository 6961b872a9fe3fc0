package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/mailkey-app/mailkey/app/google"
	"github.com/mailkey-app/mailkey/app/mail"
)

// smtpField is the folded "Advanced: SMTP server" choice of the setup screens:
// Gmail's port 587 by default, port 465 where a network blocks 587, or any
// other server (the local stand-ins of cmd/mailkey-peers, for instance).
type smtpField struct {
	entry *widget.Entry
	hint  *widget.Label
	box   *widget.Accordion
	// onChange gets the URL to use ("" for Gmail's default) and whether it is valid.
	onChange func(url string, ok bool)
}

func newSMTPField(onChange func(url string, ok bool)) *smtpField {
	f := &smtpField{entry: widget.NewEntry(), hint: para(""), onChange: onChange}
	f.entry.SetPlaceHolder(google.DefaultSMTP)
	f.entry.OnChanged = f.onChanged
	f.hint.SetText(smtpDefaultHint())
	f.box = widget.NewAccordion(widget.NewAccordionItem(tr("smtp.advanced", "Advanced: SMTP server"), container.NewVBox(f.entry, f.hint)))
	return f
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
