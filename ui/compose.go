package ui

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/mailkey-app/mailkey/app/google"
	"github.com/mailkey-app/mailkey/app/mail"
)

// compose writes and sends one message from one of the accounts. A failed
// send keeps the whole draft and offers the redacted SMTP transcript.
// Each part is a component of its own; compose holds the subject and the
// message, and ties the parts together: what sending reads from each, and
// what each change means for the others.
type compose struct {
	g          *gui
	testToSelf bool

	intro *widget.Label
	// back returns to the account (Escape does the same).
	back *button
	// from chooses the account or alias to send from (compose_from.go).
	from *fromPicker
	// rcpt holds To, Cc and Bcc with their errors (compose_recipients.go).
	rcpt    *recipients
	subject *entry
	body    *entry
	// attach is the attachment list: from a file dialog or from files
	// dropped on the window (compose_attach.go).
	attach *attachmentList
	// sending is Send with its activity, Cancel and outcome (compose_send.go).
	sending *sendArea
	// root is the screen's content, laid out again after each change.
	root fyne.CanvasObject
}

func newCompose(g *gui, from string, testToSelf bool) *compose {
	c := &compose{
		g:          g,
		testToSelf: testToSelf,
		intro:      para(""),
		rcpt:       newRecipients(g),
		subject:    newEntry(g),
		body:       newMultiLineEntry(g),
	}
	c.from = newFromPicker(g, from, testToSelf, c.onFromChanged)
	c.back = newButtonWithIcon(g, tr("nav.back", "Back"), theme.NavigateBackIcon(), g.back)
	c.back.Importance = widget.LowImportance
	c.body.Wrapping = fyne.TextWrapWord
	c.body.SetMinRowsVisible(6)
	c.body.OnChanged = func(string) { c.updateSizeWarning() }
	c.attach = newAttachmentList(g, c.relayout, c.updateSizeWarning)
	c.sending = newSendArea(g, c.onSend, func() string { return c.from.choice.Selected }, c.relayout)
	if testToSelf {
		c.intro.SetText(tr("compose.test.intro", "This message goes from {{.Address}} to itself. Press Send; when it arrives in your inbox, mailkey is set up.", map[string]any{"Address": from}))
		c.rcpt.to.SetText(from)
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

// showErr shows err in the error label l of a field.
func showErr(l *widget.Label, err error) {
	l.SetText(errorText(err))
	l.Show()
}

func (c *compose) content() fyne.CanvasObject {
	title := tr("compose.title", "New message")
	if c.testToSelf {
		title = tr("ap.send_test", "Send a test email to myself")
	}
	items := []*widget.FormItem{widget.NewFormItem(tr("compose.from", "From"), c.from.content())}
	items = append(items, c.rcpt.items()...)
	items = append(items,
		widget.NewFormItem(tr("compose.subject", "Subject"), c.subject),
		widget.NewFormItem(tr("compose.message", "Message"), c.body),
	)
	form := widget.NewForm(items...)
	keys := para(tr("compose.keys", "Keys: Ctrl+Enter sends, Ctrl+O adds a file, Escape goes back, F1 opens Help."))
	// Send stays at the foot of the window, above the fold however long the message.
	// The outcome shows under it, in view too.
	objs := []fyne.CanvasObject{c.intro, form, c.attach.content()}
	objs = append(objs, c.sending.fixes()...)
	objs = append(objs, keys)
	c.root = container.NewBorder(container.NewHBox(c.back, heading(title)), c.sending.bar(), nil, nil, container.NewVScroll(container.NewVBox(objs...)))
	return c.root
}

// firstFocus puts the keyboard in To; a test message to oneself is ready,
// so the focus goes to Send.
func (c *compose) firstFocus() fyne.Focusable {
	if c.testToSelf {
		return c.sending.send
	}
	return c.rcpt.to
}

// texts are the draft's text fields.
func (c *compose) texts() []*entry {
	return append(c.rcpt.entries(), c.subject, c.body)
}

// leaveQuestion asks before a draft is lost.
func (c *compose) leaveQuestion() string {
	if c.testToSelf {
		return ""
	}
	for _, e := range c.texts() {
		if strings.TrimSpace(e.Text) != "" {
			return tr("compose.leave", "The message you are writing will be lost.")
		}
	}
	if len(c.attach.files) > 0 {
		return tr("compose.leave", "The message you are writing will be lost.")
	}
	return ""
}

// onLeave stops a send that is still running.
func (c *compose) onLeave() {
	if c.sending.busy {
		c.sending.op.stop()
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
	if !c.from.set(list, err) {
		return
	}
	// Send can be pressed now: a test message to oneself starts the keyboard there.
	if cv := c.g.win.Canvas(); c.testToSelf && cv.Focused() == nil && c.g.stage.current == screen(c) {
		cv.Focus(c.sending.send)
	}
}

func (c *compose) onFromChanged() {
	if !c.sending.busy && c.from.choice.Selected != "" {
		c.sending.send.Enable()
	}
	c.updateSizeWarning()
}

// onDropped attaches the files dropped on the window, unless a send is
// under way.
func (c *compose) onDropped(uris []fyne.URI) {
	if c.sending.busy {
		return
	}
	c.attach.onDropped(uris)
}

// updateSizeWarning warns when a message from a Gmail account would pass
// Gmail's limit. The engine refuses to send it anyway; this says so early.
func (c *compose) updateSizeWarning() {
	in, ok := c.from.account()
	n := mail.EstimateSize(c.subject.Text, c.body.Text, c.attach.sizes()...)
	c.attach.warnSize(n, ok && google.IsGmailHost(google.SMTPURL(in.SMTP)))
}

// message reads the form. It shows an error next to each field that is wrong
// and reports whether the message can be sent.
func (c *compose) message() (mail.Message, bool) {
	c.from.err.Hide()
	c.rcpt.hideErrors()
	c.attach.err.Hide()
	m := mail.Message{From: c.from.choice.Selected, Subject: c.subject.Text, Body: c.body.Text}
	ok := true
	if m.From == "" {
		c.from.err.SetText(tr("compose.from_missing", "Choose the account to send from."))
		c.from.err.Show()
		ok = false
	}
	ok = c.rcpt.read(&m) && ok
	if err := m.CheckRecipients(); ok && err != nil {
		showErr(c.rcpt.toErr, err)
		ok = false
	}
	m.Attachments = c.attach.paths()
	return m, ok
}

// onSend sends the message off the UI goroutine, with Cancel on offer.
func (c *compose) onSend() {
	if c.sending.busy || c.sending.send.Disabled() {
		return
	}
	m, ok := c.message()
	if !ok {
		c.relayout()
		return
	}
	ctx := c.sending.start()
	c.setBusy(true)
	run(c.g.tasks, func() (mail.Result, error) { return c.g.eng.Send(ctx, m) }, c.onSent)
}

func (c *compose) onSent(res mail.Result, err error) {
	defer c.relayout()
	c.sending.op.stop()
	c.setBusy(false)
	if err != nil {
		field := c.rcpt.errorOf(err, c.from.err)
		if errors.Is(err, mail.ErrAttachment) {
			field = c.attach.err
		}
		c.sending.showFailure(res, err, field)
		return
	}
	text := c.sending.showSent(res)
	if c.testToSelf {
		c.sending.lookForArrival(c.from.choice.Selected, text, res) // compose_arrival.go
	}
	c.clear()
}

// setBusy disables the form while a message is being sent.
func (c *compose) setBusy(busy bool) {
	defer c.relayout()
	for _, w := range []fyne.Disableable{c.from.choice, c.rcpt.to, c.rcpt.cc, c.rcpt.bcc, c.subject, c.body} {
		if busy {
			w.Disable()
		} else {
			w.Enable()
		}
	}
	c.attach.setDisabled(busy)
	c.sending.setBusy(busy, c.from.choice.Selected != "")
}

// clear empties the form after a successful send, keeping From.
func (c *compose) clear() {
	for _, e := range c.texts() {
		e.SetText("")
	}
	c.attach.clear()
}
