// Package watch keeps an eye on every account so that none dies silently:
// it finds sign-ins about to end or ended, refreshes Google refused, and
// OAuth clients left unused long enough for Google to delete them; it posts
// each such event once as a desktop notification, and refreshes every OAuth
// token at least every 30 days while it runs, which Google counts as use.
package watch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/gofrs/flock"
	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/mailkey-app/mailkey/app/internal/atomicfile"
	"github.com/mailkey-app/mailkey/app/notify"
	"github.com/mailkey-app/mailkey/app/oauth"
)

// Kind is the kind of event a Finding reports.
type Kind string

// Kinds of events.
const (
	EndsSoon Kind = "ends-soon"       // a Testing sign-in ends within 24 hours
	Ended    Kind = "ended"           // a Testing sign-in has ended
	Refused  Kind = "refresh-refused" // Google refused a refresh: invalid_grant, deleted_client, invalid_client
	Unused   Kind = "client-unused"   // the OAuth client has not been used for 150 days
)

// Timings of the events and of the keep-alive.
const (
	warnBefore     = 24 * time.Hour
	unusedAfter    = 150 * 24 * time.Hour
	keepAliveEvery = 30 * 24 * time.Hour
	// DefaultEvery is how often Run checks.
	DefaultEvery = time.Hour
)

// Screens a notification's action opens.
const (
	ScreenSignIn  = "sign-in"
	ScreenAccount = "account"
)

// Finding is one account that needs attention.
type Finding struct {
	Kind    Kind   `json:"kind"`
	Address string `json:"address"`
	// Screen is where mailkey should open: ScreenSignIn or ScreenAccount.
	Screen string `json:"screen"`
	// At is when the event happens or happened (the end of a sign-in, the
	// last use of the client); zero for a refused refresh.
	At   time.Time   `json:"at,omitzero"`
	Text advice.Text `json:"-"`
	// Action is the label of the notification's button, which opens Screen
	// ("Sign in again", "Replace app password", "Open mailkey"): its What.
	Action advice.Text `json:"-"`
	// key identifies the event, so that it is notified once.
	key string
}

// Engine is what the watcher needs of the engine.
type Engine interface {
	List() ([]engine.Info, error)
	Refresh(ctx context.Context, addr string) error
}

// Notifier posts desktop notifications (*notify.Bus).
type Notifier interface {
	Notify(ctx context.Context, n notify.Note) (uint32, error)
}

// Watcher checks the accounts. Set the fields before the first Check.
type Watcher struct {
	Engine Engine
	// Notifier, when nil, means no notification service: findings are only returned.
	Notifier Notifier
	// StatePath is the file that remembers the events notified and the
	// keep-alive refreshes (no secret); see DefaultStatePath.
	StatePath string
	// Now is the clock.
	Now func() time.Time
	// Warn receives one line when notifications stop working; nil discards it.
	Warn io.Writer
	// Queue, when set, is the mail queue: messages held for a sign-in and
	// messages failed for good are findings too.
	Queue Queue
	// Local, when set, words a text in the user's language (the GUI's
	// translations); nil keeps the English of the text.
	Local func(advice.Text) (what, next string)

	mu     sync.Mutex
	posted map[uint32]Finding
	warned bool
}

// state is the content of the state file.
type state struct {
	// Sent maps an event's key to when it was notified.
	Sent map[string]time.Time `json:"sent"`
	// Refreshed maps an address to the last keep-alive refresh.
	Refreshed map[string]time.Time `json:"refreshed"`
}

// DefaultStatePath is $XDG_STATE_HOME/mailkey/watch.json, or
// ~/.local/state/mailkey/watch.json.
func DefaultStatePath() (string, error) {
	if d := os.Getenv("XDG_STATE_HOME"); filepath.IsAbs(d) {
		return filepath.Join(d, "mailkey", "watch.json"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("no state directory: %w", err)
	}
	return filepath.Join(home, ".local", "state", "mailkey", "watch.json"), nil
}

// maxState bounds the state file read.
const maxState = 1 << 20

func (w *Watcher) load() (state, error) {
	st := state{Sent: map[string]time.Time{}, Refreshed: map[string]time.Time{}}
	f, err := os.Open(w.StatePath)
	if errors.Is(err, os.ErrNotExist) {
		return st, nil
	}
	if err != nil {
		return st, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxState))
	if err != nil {
		return st, err
	}
	if json.Unmarshal(data, &st) != nil {
		// A damaged state file only costs repeated notifications: start afresh.
		st = state{}
	}
	if st.Sent == nil {
		st.Sent = map[string]time.Time{}
	}
	if st.Refreshed == nil {
		st.Refreshed = map[string]time.Time{}
	}
	return st, nil
}

func (w *Watcher) save(st state) error {
	// Forget events older than a year: they cannot come back.
	for k, t := range st.Sent {
		if w.Now().Sub(t) > 365*24*time.Hour {
			delete(st.Sent, k)
		}
	}
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(w.StatePath), 0o700); err != nil {
		return err
	}
	return atomicfile.Write(w.StatePath, data, 0o600)
}

// keepAlive refreshes the account's token when its client went unused for
// keepAliveEvery, noting the refresh in st, and returns the client's last
// use with the refresh's error.
func (w *Watcher) keepAlive(ctx context.Context, info engine.Info, st state, now time.Time) (time.Time, error) {
	a := info.Account
	lastUse := a.SignedInAt
	if t := st.Refreshed[strings.ToLower(a.Address)]; t.After(lastUse) {
		lastUse = t
	}
	if a.NeedsSignIn || info.Status.State == account.StateNeedsSignIn || now.Sub(lastUse) < keepAliveEvery {
		return lastUse, nil
	}
	if err := w.Engine.Refresh(ctx, a.Address); err != nil {
		return lastUse, err
	}
	st.Refreshed[strings.ToLower(a.Address)] = now
	return now, nil
}

// Check refreshes the OAuth tokens due for a keep-alive, returns every
// account that needs attention now, and posts a notification for each event
// not notified before.
func (w *Watcher) Check(ctx context.Context) ([]Finding, error) {
	// The app and 'mailkey watch' may both run: one check at a time, so
	// that each event is notified once between them.
	if err := os.MkdirAll(filepath.Dir(w.StatePath), 0o700); err != nil {
		return nil, err
	}
	lock := flock.New(w.StatePath + ".lock")
	lctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	if ok, err := lock.TryLockContext(lctx, 50*time.Millisecond); err != nil || !ok {
		return nil, fmt.Errorf("another mailkey keeps %s locked: %v", w.StatePath, err)
	}
	defer func() { _ = lock.Unlock() }()
	st, err := w.load()
	if err != nil {
		return nil, err
	}
	list, err := w.Engine.List()
	if err != nil {
		return nil, err
	}
	now := w.Now()
	var found []Finding
	methods := map[string]account.Method{}
	for _, info := range list {
		methods[strings.ToLower(info.Account.Address)] = info.Account.Method
		if info.Account.Method != account.OAuth {
			continue
		}
		lastUse, refreshErr := w.keepAlive(ctx, info, st, now)
		if f, ok := w.finding(info, now, lastUse, refreshErr); ok {
			found = append(found, f)
		}
	}
	queued, err := w.queueFindings(methods)
	if err != nil {
		return nil, err
	}
	found = append(found, queued...)
	sort.SliceStable(found, func(i, j int) bool { return found[i].Address < found[j].Address })
	for _, f := range found {
		if _, done := st.Sent[f.key]; done {
			continue
		}
		if w.post(ctx, f) {
			st.Sent[f.key] = now
		}
	}
	return found, w.save(st)
}

// finding returns the most pressing event of one account, if any.
func (w *Watcher) finding(info engine.Info, now, lastUse time.Time, refreshErr error) (Finding, bool) {
	a := info.Account
	signedIn := a.SignedInAt.UTC().Format(time.RFC3339)
	data := advice.Data{"Address": a.Address}
	switch {
	case refreshErr != nil && refusal(refreshErr) != "", a.NeedsSignIn:
		data["Reason"] = a.SignInText()
		if refreshErr != nil {
			data["Reason"] = advice.What(refreshErr)
		}
		return Finding{
			Kind: Refused, Address: a.Address, Screen: ScreenSignIn, Action: actionSignIn(), key: "refused " + a.Address + " " + signedIn,
			Text: advice.Explain("watch.refused", data, "Google refused to renew the sign-in of {{.Address}}: {{.Reason}}",
				"Sign in again in mailkey. If the OAuth client was deleted, restore it within 30 days on the Clients page of Google Cloud, or create a new one"),
		}, true
	case !info.Status.ExpiresAt.IsZero() && !now.Before(info.Status.ExpiresAt):
		data["When"] = info.Status.ExpiresAt.Local().Format("Mon 2 Jan 15:04")
		return Finding{
			Kind: Ended, Address: a.Address, Screen: ScreenSignIn, Action: actionSignIn(), At: info.Status.ExpiresAt, key: "ended " + a.Address + " " + signedIn,
			Text: advice.Explain("watch.ended", data, "the sign-in of {{.Address}} ended on {{.When}}: while the Google Cloud app is in Testing, Google ends every sign-in after 7 days",
				"Sign in again in mailkey; publishing the app (In production) removes the limit"),
		}, true
	case !info.Status.ExpiresAt.IsZero() && info.Status.ExpiresAt.Sub(now) <= warnBefore:
		data["When"] = info.Status.ExpiresAt.Local().Format("Mon 2 Jan 15:04")
		return Finding{
			Kind: EndsSoon, Address: a.Address, Screen: ScreenSignIn, Action: actionSignIn(), At: info.Status.ExpiresAt, key: "ends " + a.Address + " " + signedIn,
			Text: advice.Explain("watch.ends_soon", data, "the sign-in of {{.Address}} ends on {{.When}}",
				"Sign in again before then so that nothing stops sending; publishing the app (In production) removes the 7-day limit"),
		}, true
	case now.Sub(lastUse) >= unusedAfter:
		data["Days"] = int(now.Sub(lastUse) / (24 * time.Hour))
		return Finding{
			Kind: Unused, Address: a.Address, Screen: ScreenAccount, Action: actionOpen(), At: lastUse, key: "unused " + a.Address + " " + lastUse.UTC().Format(time.RFC3339),
			Text: advice.Explain("watch.unused", data, "the OAuth client of {{.Address}} has not been used for {{.Days}} days",
				"Google deletes OAuth clients unused for about 6 months: send a message, or keep mailkey's watcher running, which refreshes the sign-in every 30 days").Then(advice.ActionKeepRefreshing),
		}, true
	}
	return Finding{}, false
}

// The labels of a notification's button.
func actionSignIn() advice.Text {
	return advice.Explain("watch.action_sign_in", nil, "Sign in again", "")
}

func actionReplaceAppPassword() advice.Text {
	return advice.Explain("watch.action_replace_app_password", nil, "Replace app password", "")
}

func actionOpen() advice.Text { return advice.Explain("watch.action_open", nil, "Open mailkey", "") }

// refusal names Google's refusal in a failed refresh ("" for none: a
// network trouble or a keyring error is no event).
func refusal(err error) string {
	switch {
	case errors.Is(err, oauth.ErrClientDeleted):
		return "deleted_client"
	case errors.Is(err, oauth.ErrInvalidClient):
		return "invalid_client"
	case errors.Is(err, oauth.ErrNeedsSignIn):
		return "invalid_grant"
	}
	return ""
}

// post notifies f and reports whether the notification was posted; an
// event not posted (no notification service) is posted by a later check
// once a service answers.
func (w *Watcher) post(ctx context.Context, f Finding) bool {
	w.mu.Lock()
	n := w.Notifier
	w.mu.Unlock()
	if n == nil {
		return false
	}
	local := w.Local
	if local == nil {
		local = func(t advice.Text) (string, string) { return t.What, t.Next }
	}
	what, next := local(f.Text)
	label, _ := local(f.Action)
	if label == "" {
		label, _ = local(actionOpen())
	}
	id, err := n.Notify(ctx, notify.Note{
		Summary: "mailkey: " + f.Address, Body: advice.Sentence(what) + "\n" + advice.Sentence(next),
		Actions: []notify.Action{{Key: "default", Label: label}, {Key: "open", Label: label}},
	})
	w.mu.Lock()
	defer w.mu.Unlock()
	if err != nil {
		if !w.warned && w.Warn != nil {
			fmt.Fprintln(w.Warn, advice.Sentence(advice.What(err))+" "+advice.Sentence(advice.Next(err)))
		}
		w.warned = true
		w.Notifier = nil // say it once, and go on without
		return false
	}
	if w.posted == nil {
		w.posted = map[uint32]Finding{}
	}
	w.posted[id] = f
	return true
}

// Posted returns the finding of a notification this watcher posted.
func (w *Watcher) Posted(id uint32) (Finding, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	f, ok := w.posted[id]
	return f, ok
}
