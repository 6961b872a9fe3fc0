package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mailkey-app/mailkey/app/queue"
)

// relayQueue is the foot of the relay panel: how many of the account's
// messages wait in the queue, each with its state and last failure, and
// "Send now".
type relayQueue struct {
	p      *relayPanel
	queued *widget.Label
	items  *fyne.Container
	flush  *button
}

func newRelayQueue(p *relayPanel) *relayQueue {
	r := &relayQueue{p: p, queued: para(""), items: container.NewVBox()}
	r.flush = newButtonWithIcon(p.g, tr("relay.flush", "Send now"), theme.MailSendIcon(), r.onFlush)
	r.flush.Hide()
	return r
}

// objects are the part's rows in the panel's column.
func (r *relayQueue) objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.queued, r.items, container.NewHBox(r.flush)}
}

// show lists the account's queued messages.
func (r *relayQueue) show(items []queue.Item) {
	r.queued.SetText(trn("relay.queued", "{{.Count}} messages wait in the queue.", len(items)))
	r.items.Objects = nil
	for _, it := range items {
		data := map[string]any{"State": queueState(it.State), "To": strings.Join(it.To, ", ")}
		line := tr("relay.queue_item", "{{.State}}: {{.To}}", data)
		if it.LastError != nil {
			data["Reason"], _ = localText(it.LastError.Text())
			line = tr("relay.queue_item_reason", "{{.State}}: {{.To}} — {{.Reason}}", data)
		}
		l := para(line)
		r.items.Add(l)
	}
	r.items.Refresh()
	r.flush.Hidden = len(items) == 0
	r.flush.Refresh()
}

func (r *relayQueue) onFlush() {
	p := r.p
	r.flush.Disable()
	run(p.g.tasks, func() (queue.Summary, error) {
		q, _, err := queueAndDir()
		if err != nil {
			return queue.Summary{}, err
		}
		return q.Deliver(context.Background(), p.g.eng, true)
	}, func(_ queue.Summary, err error) {
		r.flush.Enable()
		p.load()
		p.showNote(err)
	})
}

// queueState is a queued message's state (queue.StateQueued…) in the
// current language.
func queueState(state string) string {
	switch state {
	case queue.StateQueued:
		return tr("relay.state.queued", "Waiting")
	case queue.StateHeld:
		return tr("relay.state.held", "Held")
	case queue.StateFailed:
		return tr("relay.state.failed", "Failed")
	}
	return state
}
