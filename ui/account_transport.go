package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/engine"
)

// transportChoice is one option of the account screen's Sending choice.
type transportChoice struct{ value, text string }

// transportChoices are the ways an OAuth account's mail may leave, as
// account.Account.Transport names them, with their texts.
func transportChoices() []transportChoice {
	return []transportChoice{
		{account.TransportAuto, tr("account.transport.auto", "Automatic (SMTP, or HTTPS when SMTP is blocked)")},
		{account.TransportSMTP, tr("account.transport.smtp", "SMTP only")},
		{account.TransportAPI, tr("account.transport.api", "Gmail API over HTTPS only")},
	}
}

// transportPicker is the account screen's Sending row: how an OAuth
// account's mail leaves, saved as soon as it is chosen; an app-password
// account shows smtpOnly instead.
type transportPicker struct {
	s        *accountScreen
	box      *fyne.Container
	choice   *widget.RadioGroup
	smtpOnly *widget.Label
	// setting is true while the choice is set from the account.
	setting bool
	// noted is true while the screen's note says that the choice's save
	// failed.
	noted bool
}

func newTransportPicker(s *accountScreen) *transportPicker {
	t := &transportPicker{s: s, box: container.NewStack()}
	var texts []string
	for _, c := range transportChoices() {
		texts = append(texts, c.text)
	}
	t.choice = widget.NewRadioGroup(texts, t.onChoose)
	t.choice.Required = true
	t.smtpOnly = widget.NewLabel(tr("account.transport.smtp_fixed", "SMTP (an app password cannot use the Gmail API)"))
	t.choice.Disable()
	return t
}

// show shows the account's transport: a choice for OAuth, a line for an
// app password.
func (t *transportPicker) show(in engine.Info) {
	if in.Method != account.OAuth {
		t.box.Objects = []fyne.CanvasObject{t.smtpOnly}
		t.box.Refresh()
		return
	}
	t.set(in.EffectiveTransport())
	t.choice.Enable()
	t.box.Objects = []fyne.CanvasObject{t.choice}
	t.box.Refresh()
}

// set selects value without saving it.
func (t *transportPicker) set(value string) {
	t.setting = true
	defer func() { t.setting = false }()
	for _, c := range transportChoices() {
		if c.value == value {
			t.choice.SetSelected(c.text)
		}
	}
}

// onChoose saves the chosen transport off the UI goroutine; on failure
// the choice goes back to the saved one.
func (t *transportPicker) onChoose(text string) {
	s := t.s
	if t.setting || !s.ready {
		return
	}
	value := ""
	if i := choiceIndex(t.choice); i >= 0 {
		value = transportChoices()[i].value
	}
	if value == "" || value == s.info.EffectiveTransport() {
		return
	}
	t.choice.Disable()
	run(s.g.tasks, func() (engine.Info, error) {
		if err := s.g.eng.SetTransport(s.addr, value); err != nil {
			return engine.Info{}, err
		}
		return s.g.eng.Account(s.addr)
	}, t.onSaved)
}

func (t *transportPicker) onSaved(in engine.Info, err error) {
	s := t.s
	t.choice.Enable()
	if err != nil {
		t.set(s.info.EffectiveTransport())
		s.showNote(errorText(err))
		t.noted = true
		s.relayout()
		return
	}
	s.info = in
	t.set(in.EffectiveTransport())
	if t.noted {
		s.note.Hide()
	}
	t.noted = false
	s.relayout()
}
