package watch

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/mailkey-app/mailkey/app/account"
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
// the messages held for a sign-in or a new app password (one event from the
// first hold until the queue no longer holds any), and each message that
// failed for good (one event per message). methods gives each account's
// method by lower-case address: a hold of an app-password account points to
// its account screen (Replace app password), not to the OAuth sign-in.
func (w *Watcher) queueFindings(methods map[string]account.Method) ([]Finding, error) {
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
	holds := map[string]*heldMail{}
	var found []Finding
	for _, it := range items {
		switch it.State {
		case queue.StateHeld:
			holds[strings.ToLower(it.Account)] = holds[strings.ToLower(it.Account)].add(it.HeldAt)
		case queue.StateFailed:
			found = append(found, failedFinding(it))
		}
	}
	return append(found, heldFindings(holds, methods)...), nil
}

// heldMail counts one account's held messages and the earliest hold.
type heldMail struct {
	n     int
	first time.Time
}

// add counts one more held message, held since at (nil h starts a count).
func (h *heldMail) add(at time.Time) *heldMail {
	if h == nil {
		h = &heldMail{first: at}
	}
	h.n++
	if !at.IsZero() && (h.first.IsZero() || at.Before(h.first)) {
		h.first = at
	}
	return h
}

// failedFinding is the event of one message that failed for good.
func failedFinding(it queue.Item) Finding {
	reason := ""
	if it.LastError != nil {
		reason = it.LastError.Text().What
	}
	return Finding{
		Kind: QueueFailed, Address: it.Account, Screen: ScreenAccount, Action: actionOpen(), key: "queue-failed " + it.ID,
		Text: advice.Explain("watch.queue_failed", advice.Data{"Address": it.Account, "To": strings.Join(it.To, ", "), "Reason": reason},
			"a queued message from {{.Address}} to {{.To}} could not be sent: {{.Reason}}",
			"Fix the cause, then send it again or drop it").Then(advice.ActionSeeQueue),
	}
}

// heldFindings is one event per account with held mail, in address order,
// worded by the account's method.
func heldFindings(holds map[string]*heldMail, methods map[string]account.Method) []Finding {
	addrs := make([]string, 0, len(holds))
	for a := range holds {
		addrs = append(addrs, a)
	}
	sort.Strings(addrs)
	var found []Finding
	for _, a := range addrs {
		h := holds[a]
		f := Finding{
			Kind: QueueHeld, Address: a, Screen: ScreenSignIn, Action: actionSignIn(), At: h.first,
			key: "queue-held " + a + " " + h.first.UTC().Format(time.RFC3339),
		}
		data := advice.Data{"Address": a, "Count": h.n}
		if methods[a] == account.AppPassword {
			f.Screen, f.Action = ScreenAccount, actionReplaceAppPassword()
			f.Text = advice.Explain("watch.queue_held_app_password", data,
				"{{.Count}} queued message(s) from {{.Address}} wait for a new app password",
				"Replace the app password in mailkey (Replace app password on the account's screen): they are sent right after")
		} else {
			f.Text = advice.Explain("watch.queue_held", data,
				"{{.Count}} queued message(s) from {{.Address}} wait for a new sign-in",
				"Sign in again in mailkey: they are sent right after")
		}
		found = append(found, f)
	}
	return found
}
