package ui

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/mailkey-app/mailkey/app/google"
	"github.com/mailkey-app/mailkey/app/mail"
)

// accountScreen shows one account: how it signs in, where it sends, its status
// and, for an OAuth app in Testing, when Google ends the sign-in. It offers the
// test email, compose, the fix for its method, a connection check and removal.
type accountScreen struct {
	g     *gui
	addr  string
	info  engine.Info
	ready bool // info is loaded
	check cancellable

	title  *widget.Label
	method *widget.Label
	server *widget.Label
	status *widget.Label
	// sending chooses how an OAuth account's mail leaves (account_transport.go);
	// an app-password account shows smtpOnly instead.
	sending   *fyne.Container
	transport *widget.RadioGroup
	smtpOnly  *widget.Label
	// settingTransport is true while the choice is set from the account.
	settingTransport bool
	// transportNoted is true while the note says that the transport's save
	// failed.
	transportNoted bool
	// expiry tells when a Testing sign-in ends and why; publish opens the
	// console page where the app is published.
	expiry  *widget.Label
	publish *button
	// problem holds the reason and the one-click fix of a "Needs sign-in" account.
	problem *fyne.Container
	reason  *widget.Label
	fix     *fyne.Container
	// note shows a failure to load or to remove the account.
	note *widget.Label

	sendTest, compose, signIn, replace, checkConn, cancelCheck, remove *button
	actions                                                            *fyne.Container
	activity                                                           *widget.Activity
	// checkResult shows the outcome of "Check connection".
	checkResult *widget.Label
	// confirm is the removal dialog while it is (or was last) on show.
	confirm *dialog.ConfirmDialog
	health  *healthCard // the Health card (account_health.go)
	// checkNow runs the health checks when the screen opens (after a sign-in).
	checkNow bool
	// export is the "Use this account elsewhere" panel (account_export.go).
	export *exportPanel
	// relay is the "Let other programs send as this account" panel (account_relay.go).
	relay *relayPanel
	// smtp changes the SMTP server (account_smtp.go).
	smtp *smtpEditor
	// root is the screen's content, laid out again after each change.
	root fyne.CanvasObject
}

func newAccountScreen(g *gui, addr string) *accountScreen {
	s := &accountScreen{
		g:           g,
		addr:        addr,
		title:       heading(addr),
		method:      widget.NewLabel(""),
		server:      widget.NewLabel(""),
		status:      widget.NewLabel(tr("account.loading", "Loading…")),
		expiry:      para(""),
		reason:      para(""),
		fix:         container.NewHBox(),
		note:        para(""),
		activity:    widget.NewActivity(),
		checkResult: para(""),
		export:      newExportPanel(g),
		relay:       newRelayPanel(g),
		actions:     container.New(layout.NewRowWrapLayout()),
	}
	s.title.Wrapping = fyne.TextWrapBreak
	s.newTransport()
	s.smtp = newSMTPEditor(s)
	s.note.Importance = widget.DangerImportance
	s.reason.Importance = widget.WarningImportance
	s.sendTest = newButtonWithIcon(g, tr("account.send_test", "Send test email"), theme.MailSendIcon(), func() { s.g.showCompose(s.addr, true) })
	s.sendTest.Importance = widget.HighImportance
	s.compose = newButtonWithIcon(g, tr("account.compose", "Compose"), theme.MailComposeIcon(), func() { s.g.showCompose(s.addr, false) })
	s.signIn = newButtonWithIcon(g, tr("compose.sign_in_again", "Sign in again"), theme.LoginIcon(), func() { s.g.showSignIn(s.addr) })
	s.replace = newButtonWithIcon(g, tr("compose.replace_app_password", "Replace app password"), theme.AccountIcon(), func() { s.g.showAppPassword(s.addr) })
	s.checkConn = newButtonWithIcon(g, tr("account.check", "Check connection"), theme.ViewRefreshIcon(), s.onCheck)
	s.cancelCheck = newButtonWithIcon(g, tr("compose.cancel", "Cancel"), theme.CancelIcon(), s.onCancelCheck)
	s.remove = newButtonWithIcon(g, tr("account.remove", "Remove"), theme.DeleteIcon(), s.onRemove)
	s.remove.Importance = widget.DangerImportance
	s.publish = newButtonWithIcon(g, tr("account.open_audience", "Open Audience in the console"), theme.ComputerIcon(), s.onPublish)
	s.problem = container.NewVBox(s.reason, s.fix)
	for _, o := range []fyne.CanvasObject{s.expiry, s.publish, s.problem, s.note, s.activity, s.cancelCheck, s.checkResult} {
		o.Hide()
	}
	for _, b := range []*button{s.sendTest, s.compose, s.checkConn, s.remove} {
		b.Disable()
	}
	return s
}

func (s *accountScreen) content() fyne.CanvasObject {
	details := widget.NewForm(
		widget.NewFormItem(tr("account.method", "Method"), s.method),
		widget.NewFormItem(tr("account.server", "SMTP server"), container.NewHBox(s.server, s.smtp.change)),
		widget.NewFormItem(tr("account.sending", "Sending"), s.sending),
		widget.NewFormItem(tr("account.status", "Status"), s.status),
	)
	check := container.NewHBox(s.activity, s.cancelCheck)
	s.root = container.NewVScroll(container.NewVBox(
		s.title, details, s.smtp.box, s.smtp.result, s.expiry, container.NewHBox(s.publish), s.problem, s.note,
		widget.NewSeparator(), s.actions, check, s.checkResult,
		s.healthCard(),
		s.export.content(),
		s.relay.content(),
	))
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
		s.status.SetText("")
		s.showNote(errorText(err))
		return
	}
	s.info, s.ready = in, true
	s.title.SetText(in.Address)
	s.method.SetText(accountMethodText(in.Method))
	s.server.SetText(accountServerText(in.SMTP))
	s.showTransport(in)
	s.status.SetText(statusText(in))
	s.showExpiry(in)
	s.showProblem(in)
	if s.health != nil {
		s.health.showAccount(in, s.g.eng.Now())
	}
	s.layoutActions(in)
	s.export.set(in.Account)
	s.relay.set(in.Address)
	for _, b := range []*button{s.sendTest, s.compose, s.checkConn, s.remove, s.smtp.change} {
		b.Enable()
	}
	// The keyboard starts on the primary action, once it can be pressed.
	if c := s.g.win.Canvas(); c.Focused() == nil && s.g.current == screen(s) {
		c.Focus(s.sendTest)
	}
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

// accountDate renders a time in local time for a person.
func accountDate(t time.Time) string {
	return longDate(t)
}

func (s *accountScreen) showExpiry(in engine.Info) {
	if in.Method != account.OAuth || in.Status.ExpiresAt.IsZero() {
		s.expiry.Hide()
		s.publish.Hide()
		return
	}
	date := accountDate(in.Status.ExpiresAt)
	when := tr("account.expiry.ends", "Google ends this sign-in on {{.Date}}.", map[string]any{"Date": date})
	if in.Status.State == account.StateNeedsSignIn {
		when = tr("account.expiry.ended", "Google ended this sign-in on {{.Date}}.", map[string]any{"Date": date})
	}
	why := tr("account.expiry.why",
		"While your Google Cloud project is in Testing, Google ends every sign-in 7 days after it, and you sign in again with one click. "+
			"Publishing the app (Audience, Publish app) lifts the limit for sign-ins made after it, once Google has a home page, "+
			"a privacy policy link and an authorised domain on the Branding page; you then click through a “Google hasn't verified this app” warning when you sign in.")
	if in.Publishing == account.Production {
		why = tr("account.expiry.why_published", "This sign-in was made while your app was in Testing, so Google ends it 7 days after it "+
			"even though the app is now published. Sign in again to get a sign-in without an end date.")
	}
	s.expiry.SetText(when + "\n" + why)
	s.expiry.Show()
	s.publish.Show()
}

// onPublish opens the console page where the app leaves Testing, in the
// account's project.
func (s *accountScreen) onPublish() {
	s.g.open(google.StepLink("audience", s.info.ProjectID))
}

func (s *accountScreen) showProblem(in engine.Info) {
	if in.Status.State != account.StateNeedsSignIn {
		s.problem.Hide()
		return
	}
	reason := sentence(localReason(in.Account))
	if reason == "" && !in.Status.ExpiresAt.IsZero() {
		reason = tr("account.reason.testing", "Google ends the sign-in 7 days after it while the project is in Testing.")
	}
	if reason == "" {
		reason = tr("account.reason.refused", "Google no longer accepts the saved sign-in.")
	}
	s.reason.SetText(reason)
	fix := s.signIn
	if in.Method == account.AppPassword {
		fix = s.replace
	}
	fix.Importance = widget.HighImportance
	fix.Refresh()
	s.fix.Objects = []fyne.CanvasObject{fix}
	s.fix.Refresh()
	s.problem.Show()
}

// layoutActions shows the buttons that apply to the account's method; the
// fix of a "Needs sign-in" account stays up in the problem box.
func (s *accountScreen) layoutActions(in engine.Info) {
	objs := []fyne.CanvasObject{s.sendTest, s.compose}
	renew := s.signIn
	if in.Method == account.AppPassword {
		renew = s.replace
	}
	if in.Status.State != account.StateNeedsSignIn {
		objs = append(objs, renew)
	}
	objs = append(objs, s.checkConn, s.remove)
	s.actions.Objects = objs
	s.actions.Refresh()
}

func (s *accountScreen) showNote(text string) {
	s.transportNoted = false
	s.note.SetText(text)
	s.note.Show()
}

// localReason is why an account needs signing in again, in the chosen language.
func localReason(a account.Account) string {
	what, _ := localText(a.SignInText())
	return what
}
