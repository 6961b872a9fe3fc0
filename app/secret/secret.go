// Package secret keeps mailkey's secrets in the operating system's keyring.
//
// It is the one place that knows the keyring service and item names. Every call
// has a timeout, because a Secret Service can hang (a locked collection waiting
// for a prompt, a daemon that never answers). There is no plaintext fallback: when
// no keyring answers, the caller gets ErrUnavailable with advice.
package secret

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"time"

	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/zalando/go-keyring"
)

// Service is the keyring service name under which mailkey stores its items.
const Service = "mailkey"

// MaxBytes is the largest value stored, so that every platform can hold it
// (Windows Credential Manager stops at 2,560 bytes per secret).
const MaxBytes = 2560

// DefaultTimeout bounds every keyring call.
const DefaultTimeout = 15 * time.Second

var (
	// ErrNotFound means the keyring holds no such item.
	ErrNotFound = advice.Sentinel(advice.Auth, "secret not found in the keyring")
	// ErrUnavailable means no keyring answered, or it refused the request.
	ErrUnavailable = advice.Sentinel(advice.Keyring, "the system keyring is not available")
	// ErrTooLarge means a value exceeds MaxBytes.
	ErrTooLarge = advice.Sentinel(advice.Failure, "secret too large for the keyring")
)

// Kind names one of the secrets kept for an account.
type Kind string

// The secrets kept per account.
const (
	RefreshToken Kind = "refresh-token"
	AccessToken  Kind = "access-token"
	ClientSecret Kind = "client-secret"
	AppPassword  Kind = "app-password"
)

// Kinds lists every kind, for removal of an account.
var Kinds = []Kind{RefreshToken, AccessToken, ClientSecret, AppPassword}

// Backend is the keyring API the store needs; go-keyring satisfies it.
type Backend interface {
	Set(service, user, password string) error
	Get(service, user string) (string, error)
	Delete(service, user string) error
}

type goKeyring struct{}

func (goKeyring) Set(s, u, p string) error        { return keyring.Set(s, u, p) }
func (goKeyring) Get(s, u string) (string, error) { return keyring.Get(s, u) }
func (goKeyring) Delete(s, u string) error        { return keyring.Delete(s, u) }

// Store reads and writes account secrets.
type Store struct {
	backend Backend
	service string
	timeout time.Duration
}

// New returns a Store over the system keyring (Secret Service, Keychain or
// Credential Manager). service may be "" for the default Service.
func New(service string) *Store {
	return NewWithBackend(goKeyring{}, service, DefaultTimeout)
}

// NewWithBackend returns a Store over b, for tests and other keyrings.
func NewWithBackend(b Backend, service string, timeout time.Duration) *Store {
	if service == "" {
		service = Service
	}
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	return &Store{backend: b, service: service, timeout: timeout}
}

func item(account string, k Kind) string { return account + "/" + string(k) }

// Get returns the secret of kind k for account.
func (s *Store) Get(ctx context.Context, account string, k Kind) (string, error) {
	var v string
	err := s.do(ctx, reading, account, k, func() (err error) {
		v, err = s.backend.Get(s.service, item(account, k))
		return err
	})
	return v, err
}

// Set stores the secret of kind k for account.
func (s *Store) Set(ctx context.Context, account string, k Kind, value string) error {
	if len(value) > MaxBytes {
		return advice.Keyed(ErrTooLarge, "secret.too_large",
			advice.Data{"Kind": string(k), "Account": account, "Size": len(value), "Max": MaxBytes},
			"the {{.Kind}} for {{.Account}} is {{.Size}} bytes, more than the {{.Max}} a keyring item may hold",
			"This is a bug in mailkey; please report it")
	}
	return s.do(ctx, saving, account, k, func() error { return s.backend.Set(s.service, item(account, k), value) })
}

// Delete removes the secret of kind k for account. A missing item is not an error.
func (s *Store) Delete(ctx context.Context, account string, k Kind) error {
	err := s.do(ctx, deleting, account, k, func() error { return s.backend.Delete(s.service, item(account, k)) })
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

// Check reports whether the keyring answers, by looking up an item mailkey
// never stores: an answer of "not found" means it works. Callers use it
// before a long operation whose result the keyring must then hold (a browser
// sign-in), so that nobody signs in for nothing.
func (s *Store) Check(ctx context.Context) error {
	err := s.do(ctx, checking, "", "", func() error {
		_, err := s.backend.Get(s.service, "mailkey-check")
		return err
	})
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

// DeleteAll removes every secret kept for account, and reports the first failure.
func (s *Store) DeleteAll(ctx context.Context, account string) error {
	var first error
	for _, k := range Kinds {
		if err := s.Delete(ctx, account, k); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// action is what a keyring call does, for its error message: a stable
// name, saved with an Unavailable.
type action string

const (
	reading  action = "read"
	saving   action = "save"
	deleting action = "delete"
	checking action = "check"
)

// do runs op, which does act on the secret of kind k for account, with the
// store's timeout and maps the backend's errors.
func (s *Store) do(ctx context.Context, act action, account string, k Kind, op func() error) error {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- op() }()
	select {
	case err := <-done:
		return mapErr(act, account, k, err)
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.Canceled) {
			return ctx.Err()
		}
		u := Unavailable{Act: string(act), Secret: k, Account: account, Timeout: s.timeout}
		return u.explain(fmt.Errorf("%w: no answer within %s", ErrUnavailable, s.timeout))
	}
}

func mapErr(act action, account string, k Kind, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, keyring.ErrNotFound), errors.Is(err, ErrNotFound):
		return ErrNotFound
	case errors.Is(err, keyring.ErrSetDataTooBig):
		return advice.Keyed(ErrTooLarge, "secret.refused_too_large", nil,
			"the keyring refused the secret as too large", "This is a bug in mailkey; please report it")
	}
	u := Unavailable{Act: string(act), Secret: k, Account: account, Cause: causeOf(err)}
	return u.explain(fmt.Errorf("%w: %v", ErrUnavailable, err))
}

// The functions below return pieces of a message as advice.Text values, to
// fill advice.Data: their English text is their What, and the GUI shows them
// in its own language.

// The likely reasons a keyring call failed (Unavailable.Cause): stable
// names, saved in files.
const (
	causeNoService = "no_service"
	causeNoBus     = "no_bus"
	causeLocked    = "locked"
	causeRefused   = "refused"
)

// causeOf names the likely reason a keyring call failed, without details
// that could hold data.
func causeOf(err error) string {
	s := err.Error()
	switch {
	case strings.Contains(s, "ServiceUnknown"), strings.Contains(s, "org.freedesktop.secrets"):
		return causeNoService
	case strings.Contains(s, "dbus"), strings.Contains(s, "D-Bus"), strings.Contains(s, "connect"), strings.Contains(s, "no such file"):
		return causeNoBus
	case strings.Contains(s, "ocked"), strings.Contains(s, "ismissed"), strings.Contains(s, "rompt"):
		return causeLocked
	}
	return causeRefused
}

// cause words a reason named by causeOf.
func cause(name string) advice.Text {
	switch name {
	case causeNoService:
		return advice.Explain("secret.cause_no_service", nil, "no Secret Service is running", "")
	case causeNoBus:
		return advice.Explain("secret.cause_no_bus", nil, "no session bus to reach it", "")
	case causeLocked:
		return advice.Explain("secret.cause_locked", nil, "it is locked or the unlock prompt was dismissed", "")
	}
	return advice.Explain("secret.cause_refused", nil, "it refused the request", "")
}

// unlockAdvice says what to install or unlock on this platform.
func unlockAdvice() advice.Text {
	switch runtime.GOOS {
	case "darwin":
		return advice.Explain("secret.unlock_macos", nil, "Unlock your login keychain (Keychain Access) and try again", "")
	case "windows":
		return advice.Explain("secret.unlock_windows", nil, "Check that Windows Credential Manager is running and try again", "")
	}
	return advice.Explain("secret.unlock_secret_service", nil,
		"mailkey keeps secrets only in a Secret Service keyring. Install and start one "+
			"(GNOME Keyring: apt install gnome-keyring; or KeePassXC with Secret Service integration, or KWallet 5.97+), "+
			"make sure it is unlocked, and try again", "")
}

// words names the kind in plain words ("refresh token").
func (k Kind) words() advice.Text {
	switch k {
	case RefreshToken:
		return advice.Explain("secret.kind_refresh_token", nil, "refresh token", "")
	case AccessToken:
		return advice.Explain("secret.kind_access_token", nil, "access token", "")
	case ClientSecret:
		return advice.Explain("secret.kind_client_secret", nil, "client secret", "")
	case AppPassword:
		return advice.Explain("secret.kind_app_password", nil, "app password", "")
	}
	return advice.Text{What: strings.ReplaceAll(string(k), "-", " ")} // no other kind is stored
}
