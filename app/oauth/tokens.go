package oauth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/google"
	"golang.org/x/oauth2"
)

// Saver persists tokens. Save is called with every token that differs from the
// last one seen: a new access token, and a rotated refresh token.
type Saver interface {
	SaveToken(ctx context.Context, tok *oauth2.Token) error
}

// TokenSource hands out valid access tokens for one account, refreshing through
// the token endpoint when needed and saving every refreshed token. It is safe
// for concurrent use; concurrent callers share one refresh.
type TokenSource struct {
	ctx     context.Context
	project string
	mu      sync.Mutex
	base    oauth2.TokenSource
	saver   Saver
	last    *oauth2.Token
	ep      endpoint
}

var _ oauth2.TokenSource = (*TokenSource)(nil)

// NewTokenSource returns a TokenSource for client that starts from tok (which
// must hold the refresh token; its access token may be empty or expired).
func NewTokenSource(ctx context.Context, client google.Client, tok *oauth2.Token, saver Saver) *TokenSource {
	cfg := config(client, "")
	ep := endpointOf(ctx, client.TokenURI)
	return &TokenSource{ctx: ctx, project: client.ProjectID, base: cfg.TokenSource(withClient(ctx, ep), tok), saver: saver, last: tok, ep: ep}
}

// Token returns a valid token. A refresh token that Google no longer accepts
// gives an error wrapping ErrNeedsSignIn.
func (ts *TokenSource) Token() (*oauth2.Token, error) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	tok, err := ts.base.Token()
	if err != nil {
		return nil, refreshError(err, ts.ep, ts.project)
	}
	if ts.last == nil || tok.AccessToken != ts.last.AccessToken || tok.RefreshToken != ts.last.RefreshToken {
		if err := ts.saver.SaveToken(ts.ctx, tok); err != nil {
			return nil, err
		}
		ts.last = tok
	}
	return tok, nil
}

// Sentinels of the token endpoint's answers that signing in again, perhaps
// with a new client or secret, puts right. Each comes wrapped together with
// ErrNeedsSignIn.
var (
	// ErrClientDeleted means Google deleted the OAuth client (deleted_client).
	ErrClientDeleted = advice.Sentinel(advice.Failure, "OAuth client deleted")
	// ErrSecretMissing means the request carried no client secret.
	ErrSecretMissing = advice.Sentinel(advice.Failure, "client secret missing")
	// ErrClientType means Google does not let the client sign in this way
	// (unauthorized_client); it matches ErrInvalidClient too.
	ErrClientType = advice.SentinelUnder(ErrInvalidClient, advice.Auth, "unauthorized_client")
	// ErrSessionControl means the Workspace administrator ends sign-ins
	// after a set time (invalid_grant: invalid_rapt).
	ErrSessionControl = advice.Sentinel(advice.Auth, "invalid_rapt")
)

// maxDescription bounds the token endpoint's error_description shown.
const maxDescription = 200

// refreshError explains a failed refresh; projectID ("" when unknown) makes
// its console links open the client's project. Answers that a new sign-in
// puts right wrap ErrNeedsSignIn.
func refreshError(err error, ep endpoint, projectID string) error {
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		return exchangeError(err, ep)
	}
	r := Refusal{
		Code: clean(re.ErrorCode), Description: advice.Printable(re.ErrorDescription, maxDescription),
		Subtype: clean(errorSubtype(re)), Project: projectID,
	}
	if re.Response != nil {
		r.Status = re.Response.StatusCode
	}
	return withRefusal(explainRefusal(err, re, ep, projectID), r)
}

// Refusal is Google's own answer to a refused refresh, as facts: its error
// code, error_description and error_subtype (made printable and bounded),
// its HTTP status, and the client's project. Explain words it again as the
// refresh's error did; RefusalOf finds it in an error. A record of the
// failure (the accounts file, the queue) keeps these, not sentences.
type Refusal struct {
	Code        string `json:"error"`
	Description string `json:"description,omitempty"`
	Subtype     string `json:"subtype,omitempty"`
	Status      int    `json:"status,omitempty"`
	Project     string `json:"project,omitempty"`
}

// Explain words the refusal as the refresh's error did, with the same
// sentinels, and carries r as that error did.
func (r Refusal) Explain() error {
	re := &oauth2.RetrieveError{ErrorCode: r.Code, ErrorDescription: r.Description, Response: &http.Response{StatusCode: r.Status}}
	if r.Subtype != "" {
		re.Body, _ = json.Marshal(map[string]string{"error_subtype": r.Subtype})
	}
	return withRefusal(explainRefusal(re, re, endpoint{}, r.Project), r)
}

// RefusalOf returns Google's refusal that err, a refresh's error, carries.
func RefusalOf(err error) (Refusal, bool) { return advice.FactsOf[Refusal](err) }

// withRefusal returns explained carrying r, when Google gave an error code.
func withRefusal(explained error, r Refusal) error {
	if r.Code == "" {
		return explained
	}
	return advice.WithFacts(explained, r)
}

// explainRefusal explains the token endpoint's refusal re of a refresh.
func explainRefusal(err error, re *oauth2.RetrieveError, ep endpoint, projectID string) error {
	if e := clientError(re, projectID); e != nil {
		return e
	}
	if re.ErrorCode != "invalid_grant" {
		return exchangeError(err, ep)
	}
	wrapped := fmt.Errorf("%w: %w", ErrNeedsSignIn, err)
	if errorSubtype(re) == "invalid_rapt" {
		return advice.Keyed(fmt.Errorf("%w: %w: %w", ErrNeedsSignIn, ErrSessionControl, err), "oauth.refresh_rejected_rapt", nil,
			"your organisation asks you to sign in again (invalid_grant: invalid_rapt)",
			"Sign in again: your Google Workspace administrator ends sign-ins after a set time (session control)")
	}
	if d := advice.Printable(re.ErrorDescription, maxDescription); d != "" {
		return advice.Keyed(wrapped, "oauth.refresh_rejected_described", advice.Data{"Description": d},
			"Google no longer accepts this account's sign-in (invalid_grant: {{.Description}})",
			"Sign in again. In Testing, Google ends every sign-in after 7 days; only a sign-in made after publishing the app (In production) has no such limit. "+
				"Access also ends when you revoke it, change your password, or leave it unused for 6 months")
	}
	return advice.Keyed(wrapped, "oauth.refresh_rejected", nil,
		"Google no longer accepts this account's sign-in (invalid_grant)",
		"Sign in again. In Testing, Google ends every sign-in after 7 days; only a sign-in made after publishing the app (In production) has no such limit. "+
			"Access also ends when you revoke it, change your password, or leave it unused for 6 months")
}

// clientError explains the answers about the client itself: deleted, its
// secret refused or missing, or a client type that cannot sign in this way. It returns nil for any other answer.
func clientError(re *oauth2.RetrieveError, projectID string) error {
	clients := google.StepLink("client", projectID)
	switch {
	case re.ErrorCode == "deleted_client":
		return advice.Keyed(fmt.Errorf("%w: %w: deleted_client", ErrNeedsSignIn, ErrClientDeleted), "oauth.client_deleted",
			advice.Data{"URL": clients},
			"Google deleted this account's OAuth client (deleted_client); the account and its settings are kept",
			"Google deletes clients left unused for about 6 months. Within 30 days of the deletion you can restore it on the Clients page, {{.URL}}, "+
				"and sign in again; otherwise create a new Desktop app client there and sign in with it")
	case re.ErrorCode == "invalid_client":
		return advice.Keyed(fmt.Errorf("%w: %w: invalid_client", ErrNeedsSignIn, ErrInvalidClient), "oauth.client_secret_refused",
			advice.Data{"Description": advice.Printable(re.ErrorDescription, maxDescription), "URL": clients},
			"Google refused this account's OAuth client ID or secret (invalid_client: {{.Description}})",
			"The secret may be wrong or disabled: open the client on {{.URL}}, click Add secret, copy the new secret (Google shows it only once) "+
				"and sign in again with it")
	case re.ErrorCode == "unauthorized_client":
		return advice.Keyed(fmt.Errorf("%w: %w", ErrNeedsSignIn, ErrClientType), "oauth.client_type_refused",
			advice.Data{"URL": clients},
			"Google does not let this OAuth client sign in this way (unauthorized_client)",
			"Create a client of type Desktop app on {{.URL}} and sign in with it")
	case re.ErrorCode == "invalid_request" && strings.Contains(re.ErrorDescription, "client_secret"):
		return advice.Keyed(fmt.Errorf("%w: %w: invalid_request", ErrNeedsSignIn, ErrSecretMissing), "oauth.client_secret_missing",
			advice.Data{"URL": clients},
			"the client secret of this account is missing from the keyring (invalid_request: client_secret is missing.)",
			"Sign in again and enter the client secret; if you no longer have it, click Add secret on the client's page, {{.URL}}, and use the new one")
	}
	return nil
}

// errorSubtype reads Google's error_subtype from the token endpoint's answer.
func errorSubtype(re *oauth2.RetrieveError) string {
	var body struct {
		Subtype string `json:"error_subtype"`
	}
	if json.Unmarshal(re.Body, &body) != nil {
		return ""
	}
	return body.Subtype
}
