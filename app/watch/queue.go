package watch

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/queue"
)

// Kinds of events about queued mail.
const (
	QueueHeld   Kind = "queue-held"   // queued mail waits for the account's new sign-in
	QueueFailed Kind = "queue-failed" // a queued message was refused for good
)

// Queue is what the watcher reads of the mail queue (*queue.Queue).
type Queue interface {
	List() ([]queue.Item, []queue.Damaged, error)
	Dir() string
}

// queueFindings returns the queued mail that needs the user: per account,
// the messages held for a sign-in (one event from the first hold until the
// queue no longer holds any), and each message that failed for good (one
// event per message).
func (w *Watcher) queueFindings() ([]Finding, error) {
	if w.Queue == nil {
		return nil, nil
	}
	items, damaged, err := w.Queue.List()
	if err != nil {
		return nil, err
	}
	for _, d := range damaged { // set aside by this List: say so, as the relay would
		if w.Warn != nil {
			fmt.Fprintln(w.Warn, advice.Sentence(advice.What(d.Explain(w.Queue.Dir()))))
		}
	}
	type held struct {
		n     int
		first time.Time
	}
	holds := map[string]*held{}
	var found []Finding
	for _, it := range items {
		switch it.State {
		case queue.StateHeld:
			addr := strings.ToLower(it.Account)
			h := holds[addr]
			if h == nil {
				h = &held{first: it.HeldAt}
				holds[addr] = h
			}
			h.n++
			if !it.HeldAt.IsZero() && (h.first.IsZero() || it.HeldAt.Before(h.first)) {
				h.first = it.HeldAt
			}
		case queue.StateFailed:
			reason := ""
			if it.LastError != nil {
				reason = it.LastError.What
			}
			found = append(found, Finding{Kind: QueueFailed, Address: it.Account, Screen: ScreenAccount, key: "queue-failed " + it.ID,
				Text: advice.Explain("watch.queue_failed", advice.Data{"Address": it.Account, "To": strings.Join(it.To, ", "), "Reason": reason},
					"a queued message from {{.Address}} to {{.To}} could not be sent: {{.Reason}}",
					"See 'mailkey queue': fix the cause and 'mailkey queue retry', or 'mailkey queue drop' it")})
		}
	}
	addrs := make([]string, 0, len(holds))
	for a := range holds {
		addrs = append(addrs, a)
	}
	sort.Strings(addrs)
	for _, a := range addrs {
		h := holds[a]
		found = append(found, Finding{Kind: QueueHeld, Address: a, Screen: ScreenSignIn, At: h.first,
			key: "queue-held " + a + " " + h.first.UTC().Format(time.RFC3339),
			Text: advice.Explain("watch.queue_held", advice.Data{"Address": a, "Count": h.n},
				"{{.Count}} queued message(s) from {{.Address}} wait for a new sign-in",
				"Sign in again in mailkey: they are sent right after")})
	}
	return found, nil
}
