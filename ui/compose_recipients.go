package ui

import (
	"errors"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/mail"
)

// recipients are Compose's To, Cc and Bcc fields, each with the error shown
// under it.
type recipients struct {
	to, cc, bcc          *entry
	toErr, ccErr, bccErr *widget.Label
}

func newRecipients(g *gui) *recipients {
	r := &recipients{to: newEntry(g), cc: newEntry(g), bcc: newEntry(g), toErr: composeErrLabel(), ccErr: composeErrLabel(), bccErr: composeErrLabel()}
	for _, e := range r.entries() {
		e.SetPlaceHolder("ann@example.com, Bob <bob@example.com>")
	}
	return r
}

// items are the form's rows for To, Cc and Bcc.
func (r *recipients) items() []*widget.FormItem {
	return []*widget.FormItem{
		widget.NewFormItem(tr("compose.to", "To"), container.NewVBox(r.to, r.toErr)),
		widget.NewFormItem(tr("compose.cc", "Cc"), container.NewVBox(r.cc, r.ccErr)),
		widget.NewFormItem(tr("compose.bcc", "Bcc"), container.NewVBox(r.bcc, r.bccErr)),
	}
}

func (r *recipients) entries() []*entry { return []*entry{r.to, r.cc, r.bcc} }

// hideErrors hides the errors of the fields.
func (r *recipients) hideErrors() {
	for _, l := range []*widget.Label{r.toErr, r.ccErr, r.bccErr} {
		l.Hide()
	}
}

// read parses the fields into m. It shows an error next to each field that
// is wrong, and next to To when there is no recipient at all; it reports
// whether the fields are right.
func (r *recipients) read(m *mail.Message) bool {
	ok := true
	for _, f := range []struct {
		name  string
		entry *entry
		err   *widget.Label
		list  *[]string
	}{{"To", r.to, r.toErr, &m.To}, {"Cc", r.cc, r.ccErr, &m.Cc}, {"Bcc", r.bcc, r.bccErr, &m.Bcc}} {
		list, err := mail.ParseList(f.name, f.entry.Text)
		if err != nil {
			showErr(f.err, err)
			ok = false
			continue
		}
		*f.list = list
	}
	return ok
}

// errorOf returns the error label of the address field that err names, if
// any; from is From's.
func (r *recipients) errorOf(err error, from *widget.Label) *widget.Label {
	if errors.Is(err, mail.ErrNoRecipient) {
		return r.toErr
	}
	if !errors.Is(err, mail.ErrInvalidAddress) && !errors.Is(err, mail.ErrHeaderInjection) {
		return nil
	}
	// app/mail names the field in the error's data.
	switch advice.TextOf(err).Data["Field"] {
	case advice.Label("Bcc"):
		return r.bccErr
	case advice.Label("Cc"):
		return r.ccErr
	case advice.Label("To"):
		return r.toErr
	case advice.Label("From"):
		return from
	}
	return nil
}
