package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/engine"
)

// accountScreen shows one account: how it signs in, where it sends, its status
// and, for an OAuth app in Testing, when Google ends the sign-in. It offers the
// test email, compose, the fix for its method, a connection check and removal.
// Each part is a component of its own; the screen holds what ties them
// together: the account, once loaded, and the note of a failure.
type accountScreen struct {
	g     *gui
	addr  string
	info  engine.Info
	ready bool // info is loaded

	// details shows the address, method, server and status (account_details.go).
	details *accountDetails
	// transport chooses how an OAuth account's mail leaves (account_transport.go).
	transport *transportPicker
	// smtp changes the SMTP server (account_smtp.go).
	smtp *smtpEditor
	// renewal tells when Google ends the sign-in, or why it ended, with the fix (account_renewal.go).
	renewal *renewalNotice
	// note shows a failure to load or to remove the account, or to save the transport.
	note *widget.Label
	// actions are the buttons under the details, with the connection check and removal (account_actions.go).
	actions *actionBar
	health  *healthCard // the Health card (account_health.go)
	// export is the "Use this account elsewhere" panel (account_export.go).
	export *exportPanel
	// relay is the "Let other programs send as this account" panel (account_relay.go).
	relay *relayPanel
	// root is the screen's content, laid out again after each change.
	root fyne.CanvasObject
}

func newAccountScreen(g *gui, addr string) *accountScreen {
	s := &accountScreen{
		g:       g,
		addr:    addr,
		details: newAccountDetails(addr),
		renewal: newRenewalNotice(g, addr),
		note:    para(""),
		health:  newHealthCard(g, addr),
		export:  newExportPanel(g),
		relay:   newRelayPanel(g),
	}
	s.transport = newTransportPicker(s)
	s.smtp = newSMTPEditor(s)
	s.actions = newActionBar(s)
	s.note.Importance = widget.DangerImportance
	s.note.Hide()
	return s
}

// content lays the components out, top to bottom. The Health card's checks
// run on request: they log in to Gmail and call its API, which opening the
// screen should not do every time (Gmail limits login attempts).
func (s *accountScreen) content() fyne.CanvasObject {
	objs := []fyne.CanvasObject{s.details.title, s.details.form(s.smtp.change, s.transport.box), s.smtp.box, s.smtp.result}
	objs = append(objs, s.renewal.objects()...)
	objs = append(objs, s.note, widget.NewSeparator())
	objs = append(objs, s.actions.objects()...)
	objs = append(objs, s.health.card, s.export.content(), s.relay.content())
	s.root = container.NewVScroll(container.NewVBox(objs...))
	return s.root
}

// onShown loads the account once the screen is in the window.
func (s *accountScreen) onShown() { s.load() }

// relayout lays the screen out again after widgets were shown, hidden or changed.
func (s *accountScreen) relayout() {
	if s.root != nil {
		s.root.Refresh()
	}
}

// load reads the account off the UI goroutine; the screen starts it once shown.
func (s *accountScreen) load() { s.reload(false) }

// reload reads the account again; with sidebar, the sidebar reloads after it.
func (s *accountScreen) reload(sidebar bool) {
	run(s.g.tasks, func() (engine.Info, error) { return s.g.eng.Account(s.addr) }, func(in engine.Info, err error) {
		s.onLoaded(in, err)
		if sidebar {
			s.g.accountsChanged()
		}
	})
}

func (s *accountScreen) onLoaded(in engine.Info, err error) {
	defer s.relayout()
	if err != nil {
		s.details.status.SetText("")
		s.showNote(errorText(err))
		return
	}
	s.info, s.ready = in, true
	s.details.show(in)
	s.transport.show(in)
	s.renewal.show(in)
	s.health.showAccount(in, s.g.eng.Now())
	s.actions.layout(in, s.renewal.renew(in))
	s.export.set(in.Account)
	s.relay.set(in.Address)
	s.actions.enable()
	s.smtp.change.Enable()
	// The keyboard starts on the primary action, once it can be pressed.
	if c := s.g.win.Canvas(); c.Focused() == nil && s.g.stage.current == screen(s) {
		c.Focus(s.actions.sendTest)
	}
}

// accountDate renders a time in local time for a person.
func accountDate(t time.Time) string {
	return longDate(t)
}

func (s *accountScreen) showNote(text string) {
	s.transport.noted = false
	s.note.SetText(text)
	s.note.Show()
}

// localReason is why an account needs signing in again, in the chosen language.
func localReason(a account.Account) string {
	what, _ := localText(a.SignInText())
	return what
}
