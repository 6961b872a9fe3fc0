// Package account describes mailkey's accounts and keeps their non-secret part in
// one JSON file in the user's config directory.
//
// The file never holds a secret: app passwords, client secrets and tokens live
// in the keyring (package secret). It is written atomically (temporary file,
// fsync, rename, mode 0600) under a file lock, so the CLI and the GUI can write at
// the same time and a crash leaves either the old file or the new one.
package account

import (
	"fmt"
	"strings"
	"time"
)

// Method is how an account authenticates to the SMTP server.
type Method string

// The two methods Gmail accepts.
const (
	OAuth       Method = "oauth"
	AppPassword Method = "app-password"
)

// Publishing is the publishing status the user declared for their Google Cloud
// project's OAuth app.
type Publishing string

// Publishing statuses. In Testing, Google's refresh tokens die 7 days after sign-in.
const (
	Testing    Publishing = "testing"
	Production Publishing = "production"
)

// TestingLifetime is how long a refresh token lives while the app is in Testing.
const TestingLifetime = 7 * 24 * time.Hour

// Account is one sending identity. It holds no secret.
type Account struct {
	Address    string     `json:"address"`
	Method     Method     `json:"method"`
	SMTP       string     `json:"smtp"`
	ClientID   string     `json:"client_id,omitempty"`
	ProjectID  string     `json:"project_id,omitempty"`
	AuthURI    string     `json:"auth_uri,omitempty"`
	TokenURI   string     `json:"token_uri,omitempty"`
	Publishing Publishing `json:"publishing,omitempty"`
	SignedInAt time.Time  `json:"signed_in_at"`
	// SignInEndsAt is when Google ends this sign-in (zero: no end known). A
	// sign-in made in Testing keeps its end when the app is published later:
	// Google ends it 7 days after consent all the same.
	SignInEndsAt time.Time `json:"sign_in_ends_at,omitzero"`
	// EndFromGoogle is set when SignInEndsAt came from the token response's
	// refresh_token_expires_in rather than from mailkey's 7-day rule.
	EndFromGoogle bool `json:"end_from_google,omitempty"`
	// HostedDomain is the Google Workspace domain of the address (the ID
	// token's hd claim), or "" for a consumer Google account.
	HostedDomain string `json:"hd,omitempty"`
	// LastRefresh is when Google last gave this account an access token for
	// its refresh token. Google counts that as use of the OAuth client and
	// deletes clients unused for about 6 months (see ClientIdle).
	LastRefresh time.Time `json:"last_refresh,omitempty"`
	// Scopes is the space-separated list of scopes Google granted at sign-in.
	Scopes string `json:"scopes,omitempty"`
	// APIBase is the Gmail API's base URL; "" means google.DefaultAPIBase.
	APIBase string `json:"api_base,omitempty"`
	// Transport is how mail leaves: TransportSMTP, TransportAPI or
	// TransportAuto; "" is the default (see EffectiveTransport).
	Transport string `json:"transport,omitempty"`
	// IMAP is the IMAP URL that 'mailkey test' reads the mailbox at, for
	// app-password accounts ("" means imaps://imap.gmail.com:993).
	IMAP string `json:"imap,omitempty"`
	// SendAs lists the verified "Send mail as" addresses Gmail reported
	// (users.settings.sendAs), the account's own excluded; OAuth only.
	SendAs []string `json:"send_as,omitempty"`
	// NeedsSignIn is set when Google refused the refresh token; the account is
	// kept and the user is asked to sign in again.
	NeedsSignIn bool `json:"needs_sign_in,omitempty"`
	// SignInCause says why, as a stable code that each front end words
	// (see SignInCause.Text): the file holds no sentence.
	SignInCause SignInCause `json:"sign_in_cause,omitempty"`
	// SignInDetail is Google's own answer that ended the sign-in, when it
	// gave one: its data, not a sentence of mailkey's (see SignInText).
	SignInDetail *SignInDetail `json:"sign_in_detail,omitempty"`
}

// Transports: SMTP only, the Gmail API (HTTPS) only, or SMTP with the API as a
// fallback when the SMTP server cannot be reached.
const (
	TransportSMTP = "smtp"
	TransportAPI  = "api"
	TransportAuto = "auto"
)

// ValidTransport reports whether t names a transport ("" included: the default).
func ValidTransport(t string) bool {
	switch t {
	case "", TransportSMTP, TransportAPI, TransportAuto:
		return true
	}
	return false
}

// EffectiveTransport returns the transport in use: the one set, else auto for
// OAuth accounts. App passwords cannot use the Gmail API, so they always use
// SMTP.
func (a Account) EffectiveTransport() string {
	if a.Method != OAuth {
		return TransportSMTP
	}
	if a.Transport == "" || !ValidTransport(a.Transport) {
		return TransportAuto
	}
	return a.Transport
}

// State is an account's health as shown to the user.
type State string

// States.
const (
	StateOK          State = "ok"
	StateNeedsSignIn State = "needs sign-in"
	StateExpiring    State = "expiring"
)

// Status is an account's state at a given time.
type Status struct {
	State State
	// ExpiresAt is when a Testing-mode refresh token dies (zero otherwise).
	ExpiresAt time.Time
	// DaysLeft counts whole days until ExpiresAt, rounded up.
	DaysLeft int
}

// String renders the status as the CLI and the sidebar show it.
func (s Status) String() string {
	switch s.State {
	case StateNeedsSignIn:
		return "needs sign-in"
	case StateExpiring:
		if s.DaysLeft == 1 {
			return "expires in 1 day"
		}
		return fmt.Sprintf("expires in %d days", s.DaysLeft)
	}
	return "ok"
}

// Status reports the account's state at now.
func (a Account) Status(now time.Time) Status {
	if a.NeedsSignIn {
		return Status{State: StateNeedsSignIn}
	}
	if a.Method != OAuth || a.SignedInAt.IsZero() {
		return Status{State: StateOK}
	}
	exp := a.SignInEndsAt
	if exp.IsZero() {
		if a.Publishing == Production {
			return Status{State: StateOK}
		}
		exp = a.SignedInAt.Add(TestingLifetime)
	}
	left := exp.Sub(now)
	if left <= 0 {
		return Status{State: StateNeedsSignIn, ExpiresAt: exp}
	}
	days := int((left + 24*time.Hour - 1) / (24 * time.Hour))
	return Status{State: StateExpiring, ExpiresAt: exp, DaysLeft: days}
}

// clientIdleWarning is how long an OAuth client may go unused before mailkey
// warns: Google deletes clients unused for about 6 months (180 days).
const clientIdleWarning = 150 * 24 * time.Hour

// LastClientUse is the last time the account used its OAuth client that
// mailkey knows of: the later of the sign-in and the last refresh. It is zero
// for an app password.
func (a Account) LastClientUse() time.Time {
	if a.Method != OAuth {
		return time.Time{}
	}
	if a.LastRefresh.After(a.SignedInAt) {
		return a.LastRefresh
	}
	return a.SignedInAt
}

// ClientIdle reports whether the account's OAuth client has gone unused
// longer than clientIdleWarning at now, so that Google may soon delete it.
func (a Account) ClientIdle(now time.Time) bool {
	last := a.LastClientUse()
	return !last.IsZero() && now.Sub(last) > clientIdleWarning
}

// Same reports whether two addresses name the same mailbox (case-insensitively).
func Same(a, b string) bool { return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b)) }
