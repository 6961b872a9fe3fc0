package ui

import (
	"context"
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mailkey-app/mailkey/app/mail"
	"github.com/mailkey-app/mailkey/app/oauth"
)

// sendArea is Compose's Send with its activity and Cancel at the foot of
// the window, the outcome under them, and, after a failure, the fix for a
// refused sign-in and the redacted conversation with the server.
type sendArea struct {
	g  *gui
	op cancellable
	// busy is set while a message is being sent.
	busy     bool
	send     *button
	cancel   *button
	activity *widget.Activity
	// result shows "Sent…" or what went wrong.
	result *widget.Label
	// links opens or copies the long URLs of a failure, shown shortened.
	links *linkBar
	// signIn and replace fix a refused sign-in, for the matching method.
	signIn  *button
	replace *button
	// transcript holds the redacted SMTP dialogue of a failed send.
	transcript     *widget.Accordion
	transcriptText *widget.Label
	// relayout lays the screen out again.
	relayout func()
}

// newSendArea makes the area; Send runs onSend, the fixes of a refused
// sign-in open for the address from returns, and relayout lays the screen
// out again.
func newSendArea(g *gui, onSend func(), from func() string, relayout func()) *sendArea {
	a := &sendArea{g: g, relayout: relayout, activity: widget.NewActivity(), result: para(""), links: newLinkBar(g), transcriptText: widget.NewLabel("")}
	a.result.Selectable = true // the Message-ID can be copied
	a.transcriptText.Selectable = true
	a.transcriptText.TextStyle = fyne.TextStyle{Monospace: true}
	a.send = newButtonWithIcon(g, tr("compose.send", "Send"), theme.MailSendIcon(), onSend)
	a.send.Importance = widget.HighImportance
	a.send.Disable()
	a.cancel = newButtonWithIcon(g, tr("compose.cancel", "Cancel"), theme.CancelIcon(), a.onCancel)
	a.signIn = newButtonWithIcon(g, tr("compose.sign_in_again", "Sign in again"), theme.LoginIcon(), func() { g.showSignIn(from()) })
	a.signIn.Importance = widget.HighImportance
	a.replace = newButtonWithIcon(g, tr("compose.replace_app_password", "Replace app password"), theme.AccountIcon(), func() { g.showAppPassword(from()) })
	a.replace.Importance = widget.HighImportance
	// Both ways: a long line of the transcript scrolls sideways instead of
	// widening the window (issue 11, defect 8).
	scroll := container.NewScroll(a.transcriptText)
	scroll.SetMinSize(fyne.NewSize(0, 200))
	a.transcript = widget.NewAccordion(widget.NewAccordionItem(tr("compose.transcript", "Conversation with the server (passwords and tokens hidden)"), scroll))
	for _, o := range []fyne.CanvasObject{a.cancel, a.activity, a.result, a.signIn, a.replace, a.transcript} {
		o.Hide()
	}
	return a
}

// bar is the foot of the window: Send, Cancel, the activity and the outcome.
func (a *sendArea) bar() fyne.CanvasObject {
	return container.NewVBox(widget.NewSeparator(), container.NewHBox(a.send, a.cancel, a.activity), a.result, a.links.box)
}

// fixes are the rows a failure adds under the form: the fix of a refused
// sign-in and the transcript.
func (a *sendArea) fixes() []fyne.CanvasObject {
	return []fyne.CanvasObject{container.NewHBox(a.signIn, a.replace), a.transcript}
}

func (a *sendArea) onCancel() { a.op.stop() }

// start hides the outcome of the last send and returns the context of a new one.
func (a *sendArea) start() context.Context {
	for _, o := range []fyne.CanvasObject{a.result, a.signIn, a.replace, a.transcript} {
		o.Hide()
	}
	return a.op.start()
}

// setBusy shows Cancel and the activity while a message is being sent; Send
// can be pressed when it is not and an address is chosen (canSend).
func (a *sendArea) setBusy(busy, canSend bool) {
	a.busy = busy
	if busy {
		a.send.Disable()
		a.cancel.Show()
		a.activity.Show()
		a.activity.Start()
		return
	}
	a.send.Enable()
	a.cancel.Hide()
	a.activity.Stop()
	a.activity.Hide()
	if !canSend {
		a.send.Disable()
	}
}

// showSent shows that res went out and returns the text shown.
func (a *sendArea) showSent(res mail.Result) string {
	a.result.Importance = widget.SuccessImportance
	lines := []string{tr("compose.sent", "Sent. Message-ID: {{.MessageID}}", map[string]any{"MessageID": res.MessageID})}
	if res.Fallback.What != "" {
		lines = append(lines, composeFallback(res))
	} else if res.Transport != "" {
		lines = append(lines, tr("compose.transport", "Transport: {{.Transport}}", map[string]any{"Transport": transportName(res.Transport)}))
	}
	text := strings.Join(lines, "\n")
	a.result.SetText(text)
	a.result.Show()
	a.links.set("")
	return text
}

// showFailure explains err: next to the field it concerns when there is
// one (field), else in the result; it offers the fix of a refused sign-in
// and the transcript.
func (a *sendArea) showFailure(res mail.Result, err error, field *widget.Label) {
	a.result.Importance = widget.DangerImportance
	a.links.set("")
	switch {
	case errors.Is(err, context.Canceled):
		a.result.Importance = widget.MediumImportance
		a.result.SetText(tr("compose.cancelled", "Sending was cancelled. Your draft is kept."))
	case field != nil:
		showErr(field, err)
		a.result.SetText(tr("compose.not_sent", "The message was not sent. Your draft is kept."))
	default:
		a.result.SetText(tr("compose.failed", "{{.Error}}\nYour draft is kept; press Send to try again.", map[string]any{"Error": errorTextShort(err)}))
		a.links.set(errorText(err))
	}
	a.result.Show()
	if errors.Is(err, mail.ErrAuthRejected) || errors.Is(err, mail.ErrAppPasswordRequired) {
		a.replace.Show()
	}
	if res.Transcript != "" {
		a.transcriptText.SetText(res.Transcript)
		a.transcript.CloseAll()
		a.transcript.Show()
	}
	if errors.Is(err, oauth.ErrNeedsSignIn) || errors.Is(err, mail.ErrTokenRejected) {
		a.signIn.Show()
		// The engine marked the account; the sidebar shows it. Last, since
		// it starts a task of its own.
		a.g.accountsChanged()
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
