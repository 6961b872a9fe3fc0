// Package engine is mailkey's account engine: it ties the accounts file, the
// keyring, the OAuth sign-in and SMTP sending into the operations that the CLI
// and the GUI both offer. It never imports Fyne.
package engine

import (
	"context"
	"errors"
	"fmt"
	netmail "net/mail"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/google"
	"github.com/mailkey-app/mailkey/app/mail"
	"github.com/mailkey-app/mailkey/app/secret"
)

// Engine runs mailkey's operations. It owns every access to the accounts
// file and the keyring: the GUI and the CLI go through its methods. Create it
// with New; its boundaries (the keyring, the accounts file, the clock, the
// browser, the HTTP client, the mail sender) are options, with the real ones
// as defaults.
type Engine struct {
	accounts AccountStore
	secrets  SecretStore
	sender   *mail.Sender
	http     HTTPFactory
	// swapMu guards the browser and the clock, which Use may swap while
	// operations run (the screenshot hooks, tests): read them through Open
	// and Now.
	swapMu  sync.RWMutex
	browser Browser
	clock   Clock
	// defaultIMAP and defaultAPI are the IMAP URL and the Gmail API base of
	// accounts that set none ("" for Gmail's), for the arrival check and the
	// Send mail as list; tests point them at the stand-ins (arrival.go).
	defaultIMAP, defaultAPI string

	tokenMu sync.Mutex // one refresh at a time; the others then find it cached
	// lockWait is how long lockTokens waits for another process's refresh
	// (0: the token timeout and the keyring's, see lockTokens); tests
	// shorten it.
	lockWait time.Duration
}

// New returns an engine over the accounts in dir and the system keyring,
// with the options applied on top of the real boundaries (see Option).
func New(dir string, opts ...Option) *Engine {
	e := &Engine{
		accounts: account.NewStore(dir),
		secrets:  secret.New(""),
		sender:   &mail.Sender{},
		browser:  BrowserFunc(openBrowser),
		clock:    ClockFunc(time.Now),
		http:     trustedClient,
	}
	e.Use(opts...)
	return e
}

// Use applies options to an engine after New, which is where they normally
// go. Tests and the screenshot hooks use it to swap the browser or the clock
// of an engine that a window already holds: those two are safe to swap while
// other goroutines run operations, which see the new ones from their next
// call. The other boundaries may only be swapped while no operation runs.
func (e *Engine) Use(opts ...Option) {
	e.swapMu.Lock()
	defer e.swapMu.Unlock()
	for _, o := range opts {
		o(e)
	}
}

// Now returns the engine's time.
func (e *Engine) Now() time.Time {
	e.swapMu.RLock()
	c := e.clock
	e.swapMu.RUnlock()
	return c.Now()
}

// Open opens url in the engine's browser (the system browser outside tests).
func (e *Engine) Open(url string) error {
	e.swapMu.RLock()
	b := e.browser
	e.swapMu.RUnlock()
	return b.Open(url)
}

// Dir returns the configuration directory that holds the accounts file,
// where other parts of mailkey keep their files beside it.
func (e *Engine) Dir() string { return e.accounts.Dir() }

// SideKeyring is a part of the engine's keyring where another part of app/
// keeps secrets of its own beside the accounts' (the relay's passwords,
// through relay.PasswordsOf): its items are named part/name, and no
// account's secret has a slash in its kind, so it reaches none of them.
type SideKeyring struct {
	secrets SecretStore
	part    string
}

// SideKeyring returns the part of the keyring named part: lower-case
// letters and dashes, such as "relay-password". Another part panics: it is
// a constant of the caller's code.
func (e *Engine) SideKeyring(part string) SideKeyring {
	if part == "" || strings.Trim(part, "abcdefghijklmnopqrstuvwxyz-") != "" {
		panic("engine: bad keyring part " + strconv.Quote(part))
	}
	return SideKeyring{secrets: e.secrets, part: part}
}

func (k SideKeyring) kind(name string) secret.Kind { return secret.Kind(k.part + "/" + name) }

// Get returns the secret name of account (secret.ErrNotFound when none).
func (k SideKeyring) Get(ctx context.Context, account, name string) (string, error) {
	return k.secrets.Get(ctx, account, k.kind(name))
}

// Set keeps value as the secret name of account.
func (k SideKeyring) Set(ctx context.Context, account, name, value string) error {
	return k.secrets.Set(ctx, account, k.kind(name), value)
}

// Delete removes the secret name of account; a missing one is not an error.
func (k SideKeyring) Delete(ctx context.Context, account, name string) error {
	return k.secrets.Delete(ctx, account, k.kind(name))
}

// AppPassword returns the app password of addr from the keyring, for an
// export that shows or copies it (secret.ErrNotFound when there is none).
func (e *Engine) AppPassword(ctx context.Context, addr string) (string, error) {
	return e.secrets.Get(ctx, addr, secret.AppPassword)
}

// Info is an account with its status at the time it was listed.
type Info struct {
	account.Account
	Status account.Status
}

// List returns every account with its status.
func (e *Engine) List() ([]Info, error) {
	list, err := e.accounts.List()
	if err != nil {
		return nil, err
	}
	out := make([]Info, len(list))
	now := e.Now()
	for i, a := range list {
		out[i] = Info{Account: a, Status: a.Status(now)}
	}
	return out, nil
}

// Account returns one account with its status.
func (e *Engine) Account(addr string) (Info, error) {
	a, err := e.accounts.Get(addr)
	if err != nil {
		return Info{}, err
	}
	return Info{Account: a, Status: a.Status(e.Now())}, nil
}

// Remove deletes the account and its keyring entries as one unit, under the
// accounts file's lock: it reads the account's secrets, deletes them, then
// writes the file without the account. When the file cannot be written (a
// read-only directory, a full disk), the secrets are put back, so a failed
// removal changes nothing; when the keyring fails, the file is not touched.
//
// Over a damaged accounts file, which cannot say whether it holds addr,
// Remove deletes addr's keyring entries, keeps the damaged file aside and
// starts a new one, as the damaged file's advice promised (the context's
// Notifier hears where).
func (e *Engine) Remove(ctx context.Context, addr string) error {
	tx, err := e.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Close()
	a, found := tx.Find(addr)
	if !found && tx.Damaged() == nil {
		return account.NotFound(addr)
	}
	names := []string{a.Address}
	if !found {
		names = keyringNames(addr)
	}
	list := slices.DeleteFunc(tx.Accounts(), func(b account.Account) bool { return account.Same(b.Address, addr) })
	var undo []func() error
	for _, name := range names {
		u, err := e.replaceSecrets(ctx, name, nil, secret.Kinds)
		undo = append(undo, u)
		if err != nil {
			return e.undone(err, addr, undo)
		}
	}
	if err := tx.Commit(list); err != nil {
		return e.undone(err, addr, undo)
	}
	tx.Close() // before telling anyone: a notifier may wait for a person
	noteBackup(ctx, tx)
	return nil
}

// unit is the accounts file held under its lock (account.Tx), with the token
// refresh lock held too, so that a refresh running in another mailkey
// cannot save tokens in the middle of a save or after a removal.
type unit struct {
	*account.Tx
	unlockTokens func()
}

// Close releases both locks. It may be called more than once.
func (u *unit) Close() {
	u.Tx.Close()
	if u.unlockTokens != nil {
		u.unlockTokens()
		u.unlockTokens = nil
	}
}

// begin checks that the keyring answers, then takes the token refresh lock,
// then the accounts file's, in the order a refresh takes them. A directory mailkey may not write in is
// reported as such (by account.Store.Begin), whichever lock meets it first.
func (e *Engine) begin(ctx context.Context) (*unit, error) {
	// Without a keyring nothing can be done: say so before taking the locks
	// (which would create their files).
	if err := e.secrets.Check(ctx); err != nil {
		return nil, err
	}
	unlockTokens, terr := e.lockTokens(ctx)
	tx, err := e.accounts.Begin()
	if err == nil && terr != nil {
		tx.Close()
		err = terr
	}
	if err != nil {
		if terr == nil {
			unlockTokens()
		}
		return nil, err
	}
	return &unit{Tx: tx, unlockTokens: unlockTokens}, nil
}

// keyringNames returns the names under which the keyring may hold the
// secrets of addr when the accounts file cannot tell: as typed, and in lower
// case as app-password sign-ins save it.
func keyringNames(addr string) []string {
	addr = strings.TrimSpace(addr)
	if l := strings.ToLower(addr); l != addr {
		return []string{addr, l}
	}
	return []string{addr}
}

// save stores an account and its secrets as one unit, under the accounts
// file's lock, so that two sign-ins at once cannot mix one's client ID with
// the other's secret: it writes the secrets, then the account. When either
// fails, the secrets are put back as they were (a new account's deleted), so
// nothing is half-saved. stale lists secrets of a previous method to drop
// once the account is saved. Over a damaged accounts file, the file is kept
// aside and a new one started (the context's Notifier hears where).
func (e *Engine) save(ctx context.Context, a account.Account, secrets map[secret.Kind]string, stale ...secret.Kind) error {
	tx, err := e.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Close()
	undo, err := e.replaceSecrets(ctx, a.Address, secrets, nil)
	if err != nil {
		return e.undone(err, a.Address, []func() error{undo})
	}
	list := slices.DeleteFunc(tx.Accounts(), func(b account.Account) bool { return account.Same(b.Address, a.Address) })
	if err := tx.Commit(append(list, a)); err != nil {
		return e.undone(err, a.Address, []func() error{undo})
	}
	for _, k := range stale {
		_ = e.secrets.Delete(ctx, a.Address, k)
	}
	tx.Close() // before telling anyone: a notifier may wait for a person
	noteBackup(ctx, tx)
	return nil
}

// replaceSecrets sets the secrets in set and deletes the kinds in del for
// name, after reading what the keyring held before. The returned undo puts
// back what was there before (it is never nil). On failure, what was done
// is left for the caller to undo.
func (e *Engine) replaceSecrets(ctx context.Context, name string, set map[secret.Kind]string, del []secret.Kind) (undo func() error, err error) {
	type prior struct {
		kind  secret.Kind
		value string
		had   bool
	}
	var before, changed []prior
	for _, k := range secret.Kinds {
		_, setting := set[k]
		if !setting && !slices.Contains(del, k) {
			continue
		}
		v, err := e.secrets.Get(ctx, name, k)
		if err != nil && !errors.Is(err, secret.ErrNotFound) {
			return func() error { return nil }, err
		}
		before = append(before, prior{kind: k, value: v, had: err == nil})
	}
	undo = func() error {
		ctx := context.WithoutCancel(ctx)
		var first error
		for _, p := range changed {
			var err error
			if p.had {
				err = e.secrets.Set(ctx, name, p.kind, p.value)
			} else {
				err = e.secrets.Delete(ctx, name, p.kind)
			}
			if first == nil {
				first = err
			}
		}
		return first
	}
	for _, p := range before {
		if v, ok := set[p.kind]; ok {
			err = e.secrets.Set(ctx, name, p.kind, v)
		} else if p.had {
			err = e.secrets.Delete(ctx, name, p.kind)
		}
		if err != nil {
			return undo, err
		}
		changed = append(changed, p)
	}
	return undo, nil
}

// undone runs the undo steps of a failed save or removal and returns err,
// or, when the keyring could not be put back, an error that says so.
func (e *Engine) undone(err error, addr string, undo []func() error) error {
	var failed error
	for _, u := range undo {
		if uerr := u(); uerr != nil && failed == nil {
			failed = uerr
		}
	}
	if failed == nil {
		return err
	}
	return advice.Keyed(fmt.Errorf("%w (and restoring the keyring failed: %v)", err, failed), "engine.restore_failed",
		advice.Data{"Address": addr, "Cause": advice.TextOf(err)},
		"{{.Cause}}; and mailkey could not put the keyring entries of {{.Address}} back as they were",
		"Fix the cause, then sign in to {{.Address}} again (or remove it)")
}

// Notifier hears what an operation did beside what was asked, such as a
// damaged accounts file kept aside before a new one was started. The engine
// calls it on the operation's goroutine.
type Notifier func(advice.Text)

type notifierKey struct{}

// WithNotifier returns a context under which the engine's operations tell n
// what they did beside what was asked (see Notifier).
func WithNotifier(ctx context.Context, n Notifier) context.Context {
	return context.WithValue(ctx, notifierKey{}, n)
}

// noteBackup tells the context's Notifier where a damaged accounts file was kept.
func noteBackup(ctx context.Context, tx *unit) {
	n, _ := ctx.Value(notifierKey{}).(Notifier)
	if tx.Backup() == "" || n == nil {
		return
	}
	n(advice.Explain("engine.damaged_kept", advice.Data{"Path": tx.Path(), "Backup": tx.Backup()},
		"the accounts file {{.Path}} was damaged: mailkey kept it as {{.Backup}} and started a new one",
		"Add your other accounts again; their secrets are still in the keyring"))
}

// addressOf returns the bare address of "Name <addr>" or "addr".
func addressOf(s string) (string, error) {
	a, err := netmail.ParseAddress(strings.TrimSpace(s))
	if err != nil {
		return "", advice.Keyed(fmt.Errorf("%w: %v", mail.ErrInvalidAddress, err), "engine.bad_address",
			advice.Data{"Address": strconv.Quote(s)},
			"{{.Address}} is not a valid email address", "Enter an address like ann@gmail.com")
	}
	return a.Address, nil
}

// endpoint parses an account's SMTP URL, defaulting to Gmail's.
func endpoint(raw string) (mail.Endpoint, error) {
	return mail.ParseEndpoint(google.SMTPURL(raw))
}
