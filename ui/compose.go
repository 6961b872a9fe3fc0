package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mailkey-app/mailkey/app/engine"
)

// compose writes and sends one message from one of the accounts. A failed
// send keeps the whole draft and offers the redacted SMTP transcript.
// Attachments (compose_attach.go) come from a file dialog or from files
// dropped on the window.
type compose struct {
	g          *gui
	initial    string // the account to preselect
	testToSelf bool
	sending    cancellable
	busy       bool
	accounts   []engine.Info
	files      []composeFile

	intro    *widget.Label
	from     *widget.Select
	fromErr  *widget.Label
	fromNote *widget.Label // compose_aliases.go
	to       *entry
	toErr    *widget.Label
	cc       *entry
	ccErr    *widget.Label
	bcc      *entry
	bccErr   *widget.Label
	subject  *entry
	body     *entry
	// back returns to the account (Escape does the same).
	back *button

	addFile  *button
	fileRows *fyne.Container
	rows     []*composeFileRow
	fileErr  *widget.Label
	sizeWarn *widget.Label

	send     *button
	cancel   *button
	activity *widget.Activity
	// result shows "Sent…" or what went wrong.
	result *widget.Label
	// signIn and replace fix a refused sign-in, for the matching method.
	signIn  *button
	replace *button
	// transcript holds the redacted SMTP dialogue of a failed send.
	transcript     *widget.Accordion
	transcriptText *widget.Label
	// root is the screen's content, laid out again after each change.
	root fyne.CanvasObject
}

func newCompose(g *gui, from string, testToSelf bool) *compose {
	c := &compose{
		g:              g,
		initial:        from,
		testToSelf:     testToSelf,
		intro:          para(""),
		fromErr:        composeErrLabel(),
		to:             newEntry(g),
		toErr:          composeErrLabel(),
		cc:             newEntry(g),
		ccErr:          composeErrLabel(),
		bcc:            newEntry(g),
		bccErr:         composeErrLabel(),
		subject:        newEntry(g),
		body:           newMultiLineEntry(g),
		fileRows:       container.NewVBox(),
		fileErr:        composeErrLabel(),
		sizeWarn:       para(""),
		activity:       widget.NewActivity(),
		result:         para(""),
		transcriptText: widget.NewLabel(""),
	}
	c.fromNote = para("")
	c.fromNote.Hide()
	c.from = widget.NewSelect(nil, func(string) { c.onFromChanged() })
	c.from.PlaceHolder = tr("compose.loading_accounts", "Loading the accounts…")
	for _, e := range []*entry{c.to, c.cc, c.bcc} {
		e.SetPlaceHolder("ann@example.com, Bob <bob@example.com>")
	}
	c.back = newButtonWithIcon(g, tr("nav.back", "Back"), theme.NavigateBackIcon(), g.back)
	c.back.Importance = widget.LowImportance
	c.body.Wrapping = fyne.TextWrapWord
	c.body.SetMinRowsVisible(6)
	c.body.OnChanged = func(string) { c.updateSizeWarning() }
	c.sizeWarn.Importance = widget.WarningImportance
	c.result.Selectable = true // the Message-ID can be copied
	c.transcriptText.Selectable = true
	c.transcriptText.TextStyle = fyne.TextStyle{Monospace: true}
	c.addFile = newButtonWithIcon(g, tr("compose.add_file", "Add file…"), theme.MailAttachmentIcon(), c.onAddFile)
	c.send = newButtonWithIcon(g, tr("compose.send", "Send"), theme.MailSendIcon(), c.onSend)
	c.send.Importance = widget.HighImportance
	c.send.Disable()
	c.cancel = newButtonWithIcon(g, tr("compose.cancel", "Cancel"), theme.CancelIcon(), c.onCancel)
	c.signIn = newButtonWithIcon(g, tr("compose.sign_in_again", "Sign in again"), theme.LoginIcon(), func() { c.g.showSignIn(c.from.Selected) })
	c.signIn.Importance = widget.HighImportance
	c.replace = newButtonWithIcon(g, tr("compose.replace_app_password", "Replace app password"), theme.AccountIcon(), func() { c.g.showAppPassword(c.from.Selected) })
	c.replace.Importance = widget.HighImportance
	// Both ways: a long line of the transcript scrolls sideways instead of
	// widening the window (issue 11, defect 8).
	scroll := container.NewScroll(c.transcriptText)
	scroll.SetMinSize(fyne.NewSize(0, 200))
	c.transcript = widget.NewAccordion(widget.NewAccordionItem(tr("compose.transcript", "Conversation with the server (passwords and tokens hidden)"), scroll))
	for _, o := range []fyne.CanvasObject{c.sizeWarn, c.cancel, c.activity, c.result, c.signIn, c.replace, c.transcript} {
		o.Hide()
	}
	if testToSelf {
		c.intro.SetText(tr("compose.test.intro", "This message goes from {{.Address}} to itself. Press Send; when it arrives in your inbox, mailkey is set up.", map[string]any{"Address": from}))
		c.to.SetText(from)
		c.subject.SetText(tr("compose.test.subject", "mailkey test"))
		c.body.SetText(tr("compose.test.body", "This message proves that mailkey can send mail as {{.Address}}.\n\nYou can delete it.", map[string]any{"Address": from}))
	} else {
		c.intro.Hide()
	}
	return c
}

// composeErrLabel is a hidden label for an error shown next to a field.
func composeErrLabel() *widget.Label {
	l := para("")
	l.Importance = widget.DangerImportance
	l.Hide()
	return l
}

func (c *compose) content() fyne.CanvasObject {
	title := tr("compose.title", "New message")
	if c.testToSelf {
		title = tr("ap.send_test", "Send a test email to myself")
	}
	form := widget.NewForm(
		widget.NewFormItem(tr("compose.from", "From"), container.NewVBox(c.from, c.fromErr, c.fromNote)),
		widget.NewFormItem(tr("compose.to", "To"), container.NewVBox(c.to, c.toErr)),
		widget.NewFormItem(tr("compose.cc", "Cc"), container.NewVBox(c.cc, c.ccErr)),
		widget.NewFormItem(tr("compose.bcc", "Bcc"), container.NewVBox(c.bcc, c.bccErr)),
		widget.NewFormItem(tr("compose.subject", "Subject"), c.subject),
		widget.NewFormItem(tr("compose.message", "Message"), c.body),
	)
	dropHint := para(tr("compose.drop_hint", "You can also drop files on this window."))
	keys := para(tr("compose.keys", "Keys: Ctrl+Enter sends, Ctrl+O adds a file, Escape goes back, F1 opens Help."))
	attach := container.NewVBox(
		container.NewHBox(widget.NewLabelWithStyle(tr("compose.attachments", "Attachments"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), c.addFile),
		dropHint, c.fileRows, c.fileErr, c.sizeWarn,
	)
	// Send stays at the foot of the window, above the fold however long the message.
	// The outcome shows under it, in view too.
	bar := container.NewVBox(widget.NewSeparator(), container.NewHBox(c.send, c.cancel, c.activity), c.result)
	c.root = container.NewBorder(container.NewHBox(c.back, heading(title)), bar, nil, nil, container.NewVScroll(container.NewVBox(
		c.intro, form, attach,
		container.NewHBox(c.signIn, c.replace), c.transcript, keys,
	)))
	return c.root
}

// firstFocus puts the keyboard in To; a test message to oneself is ready,
// so the focus goes to Send.
func (c *compose) firstFocus() fyne.Focusable {
	if c.testToSelf {
		return c.send
	}
	return c.to
}

// leaveQuestion asks before a draft is lost.
func (c *compose) leaveQuestion() string {
	if c.testToSelf {
		return ""
	}
	for _, e := range []*entry{c.to, c.cc, c.bcc, c.subject, c.body} {
		if strings.TrimSpace(e.Text) != "" {
			return tr("compose.leave", "The message you are writing will be lost.")
		}
	}
	if len(c.files) > 0 {
		return tr("compose.leave", "The message you are writing will be lost.")
	}
	return ""
}

// onLeave stops a send that is still running.
func (c *compose) onLeave() {
	if c.busy {
		c.sending.stop()
	}
}

// onShown loads the accounts for From once the screen is in the window.
func (c *compose) onShown() { c.loadAccounts() }

// relayout lays the screen out again after widgets were shown, hidden or changed.
func (c *compose) relayout() {
	if c.root != nil {
		c.root.Refresh()
	}
}

// loadAccounts fills From off the UI goroutine, since it reads the accounts
// file; the screen starts it once shown.
func (c *compose) loadAccounts() {
	run(c.g.tasks, c.g.eng.List, c.onAccounts)
}

func (c *compose) onAccounts(list []engine.Info, err error) {
	defer c.relayout()
	c.from.PlaceHolder = tr("compose.choose_account", "Choose an account")
	if err != nil {
		c.showErr(c.fromErr, err)
		c.from.Refresh()
		return
	}
	c.accounts = list
	opts := make([]string, len(list))
	for i, in := range list {
		opts[i] = in.Address
	}
	opts = append(opts, aliasOptions(list)...) // compose_aliases.go
	c.from.SetOptions(opts)
	if len(opts) == 0 {
		c.fromErr.SetText(tr("compose.no_account", "There is no account to send from yet. Add one first."))
		c.fromErr.Show()
		return
	}
	c.from.SetSelected(opts[0])
	for _, o := range opts {
		if strings.EqualFold(o, c.initial) {
			c.from.SetSelected(o)
		}
	}
	// Send can be pressed now: a test message to oneself starts the keyboard there.
	if cv := c.g.win.Canvas(); c.testToSelf && cv.Focused() == nil && c.g.current == screen(c) {
		cv.Focus(c.send)
	}
}

func (c *compose) onFromChanged() {
	c.showFromNote()
	if !c.busy && c.from.Selected != "" {
		c.send.Enable()
	}
	c.updateSizeWarning()
}

// account returns the selected account.
func (c *compose) account() (engine.Info, bool) {
	for _, in := range c.accounts {
		if in.Address == c.from.Selected {
			return in, true
		}
	}
	return engine.Info{}, false
}

func (c *compose) showErr(l *widget.Label, err error) {
	l.SetText(errorText(err))
	l.Show()
}
