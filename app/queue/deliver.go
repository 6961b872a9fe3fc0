package queue

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/gofrs/flock"
	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/mailkey-app/mailkey/app/mail"
)

// Sender is what delivery needs from the engine; *engine.Engine has it.
type Sender interface {
	SendRaw(ctx context.Context, addr string, r mail.Raw) (mail.Result, error)
	Account(addr string) (engine.Info, error)
}

var _ Sender = (*engine.Engine)(nil)

// errGone is a message dropped while a pass was under way.
var errGone = advice.Sentinel(advice.Failure, "dropped meanwhile")

// sendTimeout bounds one message's delivery.
const sendTimeout = 10 * time.Minute

// lockFile serialises delivery between processes (the relay, 'queue flush',
// sendmail), so that no message is sent by two at once.
const lockFile = ".deliver.lock"

// Classify says what becomes of a message whose send failed with err:
// StateQueued for a temporary failure (tried again later), StateHeld when the
// account needs a new sign-in, StateFailed when the server or the message
// rules out any later success. What is not known to be permanent is retried:
// a message is never given up on by guess.
//
// The error's category decides (advice.CategoryOf): Auth is held; Usage (the
// message as given) and NoAccount are failed; the rest (Temporary, Keyring,
// Storage and Failure) is queued, except the failures known to be for good
// (failedForGood), which a category cannot tell from a passing failure.
func Classify(err error) string {
	switch advice.CategoryOf(err) {
	case advice.Auth:
		return StateHeld
	case advice.Usage, advice.NoAccount:
		return StateFailed
	}
	if advice.IsAny(err, failedForGood...) {
		return StateFailed
	}
	return StateQueued
}

// failedForGood are the failures, of category advice.Failure, that no later
// try can cure: the server refused the message for good, the account has no
// Gmail mailbox or its project has the Gmail API disabled (a change only the
// person can make, after which 'mailkey queue retry' sends it), or the
// message's file in the queue is damaged.
var failedForGood = []error{mail.ErrRejected, mail.ErrNoMailbox, mail.ErrAPIDisabled, ErrDamaged}

// backoff is the wait before try n+1 after n failed tries: 30 seconds,
// doubling, at most an hour.
func backoff(n int) time.Duration {
	d := 30 * time.Second
	for i := 1; i < n && d < time.Hour; i++ {
		d *= 2
	}
	return min(d, time.Hour)
}

// Summary counts what a delivery pass did.
type Summary struct {
	Sent, Queued, Held, Failed int
	Damaged                    []Damaged
	// Next is when the earliest waiting message is due (zero: none waits).
	Next time.Time
}

// lock takes the delivery lock, waiting while ctx allows.
func (q *Queue) lock(ctx context.Context) (func(), error) {
	if err := q.ensureDir(); err != nil {
		return nil, err
	}
	l := flock.New(filepath.Join(q.dir, lockFile))
	ok, err := l.TryLockContext(ctx, 50*time.Millisecond)
	if err != nil && ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if err != nil || !ok {
		return nil, q.unusable(fmt.Errorf("lock %s: %v", l.Path(), err))
	}
	return func() { _ = l.Unlock() }, nil
}

// DeliverUnlessBusy is Deliver of every message not failed, for sendmail
// after one of its sends went through (the network is back): when another
// process holds the delivery lock (the relay), it leaves the queue to it
// and returns at once.
func (q *Queue) DeliverUnlessBusy(ctx context.Context, s Sender) (Summary, error) {
	return q.deliverUnlessBusy(ctx, s, true)
}

// heldSendTime bounds DeliverHeld: what is left waits for the next pass.
const heldSendTime = 2 * time.Minute

// DeliverHeld is a pass right after a sign-in, for the CLI's login and the
// app: the messages held for it go out (with any other that is due), even
// when no relay runs. When another process holds the delivery lock (the
// relay, which notices the sign-in itself), it returns at once; it takes
// two minutes (heldSendTime) at most.
func (q *Queue) DeliverHeld(ctx context.Context, s Sender) (Summary, error) {
	ctx, cancel := context.WithTimeout(ctx, heldSendTime)
	defer cancel()
	return q.deliverUnlessBusy(ctx, s, false)
}

func (q *Queue) deliverUnlessBusy(ctx context.Context, s Sender, all bool) (Summary, error) {
	items, _, err := q.List()
	if err != nil || len(items) == 0 {
		return Summary{}, err
	}
	l := flock.New(filepath.Join(q.dir, lockFile))
	if ok, err := l.TryLock(); err != nil || !ok {
		return Summary{}, err
	}
	_ = l.Unlock() // free now: Deliver takes it again, at worst after a short wait
	return q.Deliver(ctx, s, all)
}

// Deliver tries every due message once: queued ones whose time has come,
// held ones whose account was signed in again since (or whose time has
// come). With all, every message that is not failed is due now. A message
// is removed only after the server accepted it.
func (q *Queue) Deliver(ctx context.Context, s Sender, all bool) (Summary, error) {
	unlock, err := q.lock(ctx)
	if err != nil {
		return Summary{}, err
	}
	defer unlock()
	items, damaged, err := q.List()
	sum := Summary{Damaged: damaged}
	if err != nil {
		return sum, err
	}
	for _, it := range items {
		if ctx.Err() != nil {
			return sum, ctx.Err()
		}
		if !all && !q.due(s, it) {
			q.count(&sum, it)
			continue
		}
		if _, err := os.Stat(q.path(it.ID, ".json")); errors.Is(err, os.ErrNotExist) {
			continue // dropped or sent by now
		}
		it, err = q.try(ctx, s, it)
		if errors.Is(err, errGone) {
			continue
		}
		if err != nil {
			return sum, err
		}
		if it.ID == "" {
			sum.Sent++
			continue
		}
		q.count(&sum, it)
	}
	return sum, nil
}

func (q *Queue) count(sum *Summary, it Item) {
	switch it.State {
	case StateFailed:
		sum.Failed++
		return
	case StateHeld:
		sum.Held++
	default:
		sum.Queued++
	}
	if sum.Next.IsZero() || it.NextTry.Before(sum.Next) {
		sum.Next = it.NextTry
	}
}

func (q *Queue) due(s Sender, it Item) bool {
	switch it.State {
	case StateFailed:
		return false
	case StateHeld:
		if a, err := s.Account(it.Account); err == nil && !a.NeedsSignIn && !a.SignedInAt.Before(it.HeldAt.Truncate(time.Second)) {
			return true
		}
	}
	return !q.Now().Before(it.NextTry)
}

// try sends one message. It returns the item as saved, or a zero Item when
// the message was sent and removed. Its error is only for a queue that can
// no longer be written.
func (q *Queue) try(ctx context.Context, s Sender, it Item) (Item, error) {
	data, err := q.Data(it)
	if _, serr := os.Stat(q.path(it.ID, ".json")); err != nil && errors.Is(serr, os.ErrNotExist) {
		return it, errGone
	}
	if err == nil {
		sctx, cancel := context.WithTimeout(ctx, sendTimeout)
		_, err = s.SendRaw(sctx, it.Account, mail.Raw{From: it.From, To: it.To, Data: data, MessageID: it.MessageID})
		cancel()
		if err == nil {
			if err := q.Remove(it.ID); err != nil && !errors.Is(err, ErrNotFound) { // dropped meanwhile: fine
				return Item{}, err
			}
			return Item{}, nil
		}
		if ctx.Err() != nil { // stopped: the message stays as it was
			return it, ctx.Err()
		}
	}
	it = q.failed(it, err)
	if errors.Is(err, ErrDamaged) {
		q.setAside(it.ID)
		return it, nil
	}
	return it, q.save(it)
}

// failed records a failed try of it.
func (q *Queue) failed(it Item, err error) Item {
	now := q.Now().UTC()
	it.Attempts++
	it.LastError = failureOf(err, it.Account)
	it.State = Classify(err)
	it.NextTry = now.Add(backoff(it.Attempts))
	if it.State == StateHeld && it.HeldAt.IsZero() {
		it.HeldAt = now
	}
	return it
}

// Run delivers the queue until ctx ends: a pass at once that tries every
// message not failed (the relay may start because the network is back),
// then whenever a message is due, kick receives, or poll passes (to notice
// a sign-in made by another process). report, when set, sees every pass.
func (q *Queue) Run(ctx context.Context, s Sender, kick <-chan struct{}, poll time.Duration, report func(Summary, error)) {
	for first := true; ; first = false {
		sum, err := q.Deliver(ctx, s, first)
		if ctx.Err() != nil {
			return
		}
		if report != nil {
			report(sum, err)
		}
		wait := poll
		if !sum.Next.IsZero() {
			wait = max(min(wait, sum.Next.Sub(q.Now())), time.Second)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-kick:
		case <-t.C:
		}
		t.Stop()
	}
}

// Explain words a damaged file for a person.
func (d Damaged) Explain(dir string) error {
	return advice.Keyed(fmt.Errorf("%w: %v", ErrDamaged, d.Err), "queue.damaged",
		advice.Data{"File": filepath.Join(dir, d.Name)},
		"a queued message could not be read and was set aside as {{.File}}",
		"Look at it, resend it if needed, then delete it")
}
