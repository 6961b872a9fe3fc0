package ui

import (
	"strings"
	"time"

	"fyne.io/fyne/v2/widget"

	"github.com/mailkey-app/mailkey/app/arrival"
	"github.com/mailkey-app/mailkey/app/mail"
)

// lookForArrival follows a test message to self: it shows sent (the text
// already on screen) with a line saying mailkey is looking for the message,
// then, off the UI goroutine, looks for it in the mailbox (Gmail API or
// IMAP) and replaces that line with where it landed. The time counts from
// the end of the send, when the server accepted the message, as
// engine.TestArrival ('mailkey test') counts it. Sending again cancels the look.
func (a *sendArea) lookForArrival(from, sent string, res mail.Result) {
	a.result.SetText(sent + "\n" + tr("compose.arrival_looking", "Looking for it in the mailbox of {{.Address}} (up to a minute)…",
		map[string]any{"Address": from}))
	ctx := a.op.start()
	start := time.Now()
	run(a.g.tasks, func() (arrival.Result, error) {
		return a.g.eng.WaitArrival(ctx, from, res.MessageID, start, arrival.DefaultTimeout)
	}, func(r arrival.Result, err error) {
		if ctx.Err() != nil && err != nil {
			return // cancelled: a new send took over the result
		}
		a.showArrival(sent, r, err)
	})
}

// showArrival shows where the test message landed.
func (a *sendArea) showArrival(sent string, r arrival.Result, err error) {
	defer a.relayout()
	if err != nil {
		a.result.Importance = widget.WarningImportance
		a.result.SetText(sent + "\n" + tr("compose.arrival_unknown", "Sent, but the mailbox could not be read to confirm the arrival:") + "\n" + errorText(err))
		return
	}
	lines := []string{sent}
	what, next := localText(r.Text(arrival.DefaultTimeout))
	lines = append(lines, sentence(what))
	if auth := r.AuthText(); auth.What != "" {
		w, _ := localText(auth)
		lines = append(lines, sentence(w))
	}
	if next != "" {
		lines = append(lines, sentence(next))
	}
	a.result.Importance = widget.SuccessImportance
	if r.Place != arrival.Inbox {
		a.result.Importance = widget.WarningImportance
	}
	a.result.SetText(strings.Join(lines, "\n"))
}
