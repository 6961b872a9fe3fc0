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

func (s *accountScreen) newTransport() {
	var texts []string
	for _, c := range transportChoices() {
		texts = append(texts, c.text)
	}
	s.transport = widget.NewRadioGroup(texts, s.onTransport)
	s.transport.Required = true
	s.smtpOnly = widget.NewLabel(tr("account.transport.smtp_fixed", "SMTP (an app password cannot use the Gmail API)"))
	s.sending = container.NewStack()
	s.transport.Disable()
}

// showTransport shows the account's transport: a choice for OAuth, a line
// for an app password.
func (s *accountScreen) showTransport(in engine.Info) {
	if in.Method != account.OAuth {
		s.sending.Objects = []fyne.CanvasObject{s.smtpOnly}
		s.sending.Refresh()
		return
	}
	s.setTransport(in.EffectiveTransport())
	s.transport.Enable()
	s.sending.Objects = []fyne.CanvasObject{s.transport}
	s.sending.Refresh()
}

// setTransport selects value without saving it.
func (s *accountScreen) setTransport(value string) {
	s.settingTransport = true
	defer func() { s.settingTransport = false }()
	for _, c := range transportChoices() {
		if c.value == value {
			s.transport.SetSelected(c.text)
		}
	}
}

// onTransport saves the chosen transport off the UI goroutine; on failure
// the choice goes back to the saved one.
func (s *accountScreen) onTransport(text string) {
	if s.settingTransport || !s.ready {
		return
	}
	value := ""
	if i := choiceIndex(s.transport); i >= 0 {
		value = transportChoices()[i].value
	}
	if value == "" || value == s.info.EffectiveTransport() {
		return
	}
	s.transport.Disable()
	run(s.g.tasks, func() (engine.Info, error) {
		if err := s.g.eng.SetTransport(s.addr, value); err != nil {
			return engine.Info{}, err
		}
		return s.g.eng.Account(s.addr)
	}, func(in engine.Info, err error) {
		s.transport.Enable()
		if err != nil {
			s.setTransport(s.info.EffectiveTransport())
			s.showNote(errorText(err))
			s.transportNoted = true
			s.relayout()
			return
		}
		s.info = in
		s.setTransport(in.EffectiveTransport())
		if s.transportNoted {
			s.note.Hide()
		}
		s.transportNoted = false
		s.relayout()
	})
}
