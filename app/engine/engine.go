// Package engine is mailkey's account engine: it ties the accounts file, the
// keyring, the OAuth sign-in and SMTP sending into the operations that the CLI
// and the GUI both offer. It never imports Fyne.
package engine

import (
	"context"
	"errors"
	"fmt"
	netmail "net/mail"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/google"
	"github.com/mailkey-app/mailkey/app/mail"
	"github.com/mailkey-app/mailkey/app/oauth"
	"github.com/mailkey-app/mailkey/app/secret"
)

// Engine runs mailkey's operations. Create it with New; the fields may be
// replaced before first use (tests swap the browser opener and the clock).
type Engine struct {
	Accounts *account.Store
	Secrets  *secret.Store
	Sender   *mail.Sender
	// Open opens the system browser for the OAuth sign-in.
	Open oauth.Opener
	// Now is the clock.
	Now func() time.Time

	tokenMu sync.Mutex // one refresh at a time; the others then find it cached
}

// New returns an engine over the accounts in dir and the system keyring.
func New(dir string) *Engine {
	return &Engine{
		Accounts: account.NewStore(dir),
		Secrets:  secret.New(""),
		Sender:   &mail.Sender{},
		Open:     OpenBrowser,
		Now:      time.Now,
	}
}

// Info is an account with its status at the time it was listed.
type Info struct {
	account.Account
	Status account.Status
}

// List returns every account with its status.
func (e *Engine) List() ([]Info, error) {
	list, err := e.Accounts.List()
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
	a, err := e.Accounts.Get(addr)
	if err != nil {
		return Info{}, err
	}
	return Info{Account: a, Status: a.Status(e.Now())}, nil
}

// Remove deletes the account's keyring entries, then the account. When the
// keyring cannot be reached, the account is kept so that removal can be retried.
func (e *Engine) Remove(ctx context.Context, addr string) error {
	a, err := e.Accounts.Get(addr)
	if err != nil {
		return err
	}
	if err := e.Secrets.DeleteAll(ctx, a.Address); err != nil {
		return err
	}
	return e.Accounts.Remove(a.Address)
}

// save stores the secrets first and the account last, so that a failure leaves
// nothing half-saved: for a new account, the secrets already written are
// deleted again. stale lists secrets of a previous method to drop on success.
func (e *Engine) save(ctx context.Context, a account.Account, secrets map[secret.Kind]string, stale ...secret.Kind) error {
	_, getErr := e.Accounts.Get(a.Address)
	existed := getErr == nil
	if getErr != nil && !errors.Is(getErr, account.ErrNotFound) {
		return getErr
	}
	var written []secret.Kind
	undo := func() {
		if existed {
			return
		}
		for _, k := range written {
			_ = e.Secrets.Delete(context.WithoutCancel(ctx), a.Address, k)
		}
	}
	for _, k := range secret.Kinds {
		v, ok := secrets[k]
		if !ok {
			continue
		}
		if err := e.Secrets.Set(ctx, a.Address, k, v); err != nil {
			undo()
			return err
		}
		written = append(written, k)
	}
	if err := e.Accounts.Put(a); err != nil {
		undo()
		return err
	}
	for _, k := range stale {
		_ = e.Secrets.Delete(ctx, a.Address, k)
	}
	return nil
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
