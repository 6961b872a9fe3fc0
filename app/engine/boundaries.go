package engine

import (
	"context"
	"crypto/x509"
	"net/http"
	"time"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/internal/trust"
	"github.com/mailkey-app/mailkey/app/mail"
	"github.com/mailkey-app/mailkey/app/secret"
)

// The engine's boundaries: what it needs of the keyring, the accounts file,
// the clock, the browser and HTTP, each as small as the engine uses it. The
// real ones are the defaults of New; tests pass others (package enginetest
// has an in-memory keyring and a fake clock).

// SecretStore is the keyring as the engine uses it. *secret.Store (the
// system keyring, with its timeouts and errors) is the real one; an error
// for a missing item must match secret.ErrNotFound.
type SecretStore interface {
	Get(ctx context.Context, account string, k secret.Kind) (string, error)
	Set(ctx context.Context, account string, k secret.Kind, value string) error
	// Delete removes an item; a missing one is not an error.
	Delete(ctx context.Context, account string, k secret.Kind) error
	// Check reports whether the keyring answers (nil when it does).
	Check(ctx context.Context) error
}

// AccountStore is the accounts file as the engine uses it; *account.Store is
// the real one.
type AccountStore interface {
	// Dir is the configuration directory, which also holds the engine's
	// token refresh lock.
	Dir() string
	List() ([]account.Account, error)
	Get(addr string) (account.Account, error)
	Modify(addr string, fn func(*account.Account)) error
	// Begin holds the file under its lock, for a change made with the
	// keyring's as one unit.
	Begin() (*account.Tx, error)
	// CheckWritable reports whether an account could be saved now.
	CheckWritable() error
}

// Clock tells the engine's time: sign-in dates and their ends, token
// validity, how long an OAuth client has been idle.
type Clock interface{ Now() time.Time }

// ClockFunc is a function used as a Clock (time.Now is the real one).
type ClockFunc func() time.Time

// Now returns f().
func (f ClockFunc) Now() time.Time { return f() }

// Browser opens a link for the user: the OAuth sign-in page.
type Browser interface{ Open(url string) error }

// BrowserFunc is a function used as a Browser (openBrowser is the real one).
type BrowserFunc func(url string) error

// Open calls f(url).
func (f BrowserFunc) Open(url string) error { return f(url) }

// HTTPClient is what the engine needs of an HTTP client to call the Gmail
// API (the doctor's profile check, the Send mail as list); *http.Client has it.
type HTTPClient interface {
	Do(req *http.Request) (*http.Response, error)
}

// HTTPFactory makes the HTTP client for one call: roots, when not nil,
// replace the system's trusted roots (tests), and timeout bounds the whole
// call. The real one is an http.Client over trust.Transport.
type HTTPFactory func(roots *x509.CertPool, timeout time.Duration) HTTPClient

// trustedClient is the real HTTPFactory.
func trustedClient(roots *x509.CertPool, timeout time.Duration) HTTPClient {
	return &http.Client{Transport: trust.Transport(roots), Timeout: timeout}
}

// Option replaces one of the engine's boundaries (see New and Use).
type Option func(*Engine)

// WithSecrets keeps the secrets in s instead of the system keyring.
func WithSecrets(s SecretStore) Option { return func(e *Engine) { e.secrets = s } }

// WithAccounts keeps the accounts in s instead of the accounts file of New's dir.
func WithAccounts(s AccountStore) Option { return func(e *Engine) { e.accounts = s } }

// WithClock sets the engine's clock.
func WithClock(c Clock) Option { return func(e *Engine) { e.clock = c } }

// WithBrowser sets what opens the sign-in page.
func WithBrowser(b Browser) Option { return func(e *Engine) { e.browser = b } }

// WithHTTP sets how the engine makes its HTTP clients.
func WithHTTP(f HTTPFactory) Option { return func(e *Engine) { e.http = f } }

// WithSender sets the mail sender (tests: one that trusts the stand-ins' CA).
// Its RootCAs are also the roots of the engine's HTTP and IMAP calls.
func WithSender(s *mail.Sender) Option { return func(e *Engine) { e.sender = s } }

// WithDefaultServers sets the IMAP URL and the Gmail API base used for
// accounts that set none ("" for Gmail's): tests point them at the stand-ins.
func WithDefaultServers(imapURL, apiBase string) Option {
	return func(e *Engine) { e.defaultIMAP, e.defaultAPI = imapURL, apiBase }
}

var (
	_ SecretStore  = (*secret.Store)(nil)
	_ AccountStore = (*account.Store)(nil)
)
