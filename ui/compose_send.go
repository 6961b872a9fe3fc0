package ui

import (
	"context"
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/mail"
	"github.com/mailkey-app/mailkey/app/oauth"
)

// message reads the form. It shows an error next to each field that is wrong
// and reports whether the message can be sent.
func (c *compose) message() (mail.Message, bool) {
	for _, l := range []*widget.Label{c.fromErr, c.toErr, c.ccErr, c.bccErr, c.fileErr} {
		l.Hide()
	}
	m := mail.Message{From: c.from.Selected, Subject: c.subject.Text, Body: c.body.Text}
	ok := true
	if m.From == "" {
		c.fromErr.SetText(tr("compose.from_missing", "Choose the account to send from."))
		c.fromErr.Show()
		ok = false
	}
	for _, f := range []struct {
		name  string
		entry *entry
		err   *widget.Label
		list  *[]string
	}{{"To", c.to, c.toErr, &m.To}, {"Cc", c.cc, c.ccErr, &m.Cc}, {"Bcc", c.bcc, c.bccErr, &m.Bcc}} {
		list, err := mail.ParseList(f.name, f.entry.Text)
		if err != nil {
			c.showErr(f.err, err)
			ok = false
			continue
		}
		*f.list = list
	}
	if err := m.CheckRecipients(); ok && err != nil {
		c.showErr(c.toErr, err)
		ok = false
	}
	for _, f := range c.files {
		m.Attachments = append(m.Attachments, f.path)
	}
	return m, ok
}

// onSend sends the message off the UI goroutine, with Cancel on offer.
func (c *compose) onSend() {
	if c.busy || c.send.Disabled() {
		return
	}
	m, ok := c.message()
	if !ok {
		c.relayout()
		return
	}
	for _, o := range []fyne.CanvasObject{c.result, c.signIn, c.replace, c.transcript} {
		o.Hide()
	}
	c.setBusy(true)
	ctx := c.sending.start()
	run(c.g.tasks, func() (mail.Result, error) { return c.g.eng.Send(ctx, m) }, c.onSent)
}

func (c *compose) onCancel() { c.sending.stop() }

func (c *compose) onSent(res mail.Result, err error) {
	defer c.relayout()
	c.sending.stop()
	c.setBusy(false)
	if err != nil {
		c.showFailure(res, err)
		return
	}
	c.result.Importance = widget.SuccessImportance
	lines := []string{tr("compose.sent", "Sent. Message-ID: {{.MessageID}}", map[string]any{"MessageID": res.MessageID})}
	if res.Fallback.What != "" {
		lines = append(lines, composeFallback(res))
	} else if res.Transport != "" {
		lines = append(lines, tr("compose.transport", "Transport: {{.Transport}}", map[string]any{"Transport": transportName(res.Transport)}))
	}
	text := strings.Join(lines, "\n")
	c.result.SetText(text)
	c.result.Show()
	if c.testToSelf {
		c.lookForArrival(text, res) // compose_arrival.go
	}
	c.clear()
}

// showFailure explains err, next to the field it concerns when there is one,
// and keeps the whole draft.
func (c *compose) showFailure(res mail.Result, err error) {
	c.result.Importance = widget.DangerImportance
	switch {
	case errors.Is(err, context.Canceled):
		c.result.Importance = widget.MediumImportance
		c.result.SetText(tr("compose.cancelled", "Sending was cancelled. Your draft is kept."))
	case errors.Is(err, mail.ErrAttachment):
		c.showErr(c.fileErr, err)
		c.result.SetText(tr("compose.not_sent", "The message was not sent. Your draft is kept."))
	default:
		if l := c.fieldOf(err); l != nil {
			c.showErr(l, err)
			c.result.SetText(tr("compose.not_sent", "The message was not sent. Your draft is kept."))
		} else {
			c.result.SetText(tr("compose.failed", "{{.Error}}\nYour draft is kept; press Send to try again.", map[string]any{"Error": errorText(err)}))
		}
	}
	c.result.Show()
	if errors.Is(err, mail.ErrAuthRejected) || errors.Is(err, mail.ErrAppPasswordRequired) {
		c.replace.Show()
	}
	if res.Transcript != "" {
		c.transcriptText.SetText(res.Transcript)
		c.transcript.CloseAll()
		c.transcript.Show()
	}
	if errors.Is(err, oauth.ErrNeedsSignIn) || errors.Is(err, mail.ErrTokenRejected) {
		c.signIn.Show()
		// The engine marked the account; the sidebar shows it. Last, since
		// it starts a task of its own.
		c.g.accountsChanged()
	}
}

// composeFallback says which transport sent the message, and why the first one was not used.
func composeFallback(res mail.Result) string {
	why, _ := localText(res.Fallback)
	return tr("compose.fallback", "Sent through the {{.Transport}} because {{.Reason}}.",
		map[string]any{"Transport": transportName(res.Transport), "Reason": strings.TrimRight(why, ". ")})
}

// transportName is the name of a transport, as mail.Result names it, in the current language.
func transportName(t string) string {
	if t == mail.TransportAPI {
		return tr("transport.api", mail.TransportAPI)
	}
	return t
}

// fieldOf returns the error label of the address field that err names, if any.
func (c *compose) fieldOf(err error) *widget.Label {
	if errors.Is(err, mail.ErrNoRecipient) {
		return c.toErr
	}
	if !errors.Is(err, mail.ErrInvalidAddress) && !errors.Is(err, mail.ErrHeaderInjection) {
		return nil
	}
	// app/mail names the field in the error's data.
	switch advice.TextOf(err).Data["Field"] {
	case advice.Label("Bcc"):
		return c.bccErr
	case advice.Label("Cc"):
		return c.ccErr
	case advice.Label("To"):
		return c.toErr
	case advice.Label("From"):
		return c.fromErr
	}
	return nil
}

// setBusy disables the form while a message is being sent.
func (c *compose) setBusy(busy bool) {
	c.busy = busy
	set := func(w fyne.Disableable) {
		if busy {
			w.Disable()
		} else {
			w.Enable()
		}
	}
	for _, w := range []fyne.Disableable{c.from, c.to, c.cc, c.bcc, c.subject, c.body, c.addFile, c.send} {
		set(w)
	}
	for _, r := range c.rows {
		set(r.remove)
	}
	defer c.relayout()
	if busy {
		c.cancel.Show()
		c.activity.Show()
		c.activity.Start()
		return
	}
	c.cancel.Hide()
	c.activity.Stop()
	c.activity.Hide()
	if c.from.Selected == "" {
		c.send.Disable()
	}
}

// clear empties the form after a successful send, keeping From.
func (c *compose) clear() {
	for _, e := range []*entry{c.to, c.cc, c.bcc, c.subject, c.body} {
		e.SetText("")
	}
	c.files = nil
	c.showFiles()
}
