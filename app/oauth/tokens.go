package oauth

import (
	"context"
	"errors"
	"fmt"
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
	ctx   context.Context
	mu    sync.Mutex
	base  oauth2.TokenSource
	saver Saver
	last  *oauth2.Token
}

var _ oauth2.TokenSource = (*TokenSource)(nil)

// NewTokenSource returns a TokenSource for client that starts from tok (which
// must hold the refresh token; its access token may be empty or expired).
func NewTokenSource(ctx context.Context, client google.Client, tok *oauth2.Token, saver Saver) *TokenSource {
	cfg := Config(client, "")
	return &TokenSource{ctx: ctx, base: cfg.TokenSource(ctx, tok), saver: saver, last: tok}
}

// Token returns a valid token. A refresh token that Google no longer accepts
// gives an error wrapping ErrNeedsSignIn.
func (ts *TokenSource) Token() (*oauth2.Token, error) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	tok, err := ts.base.Token()
	if err != nil {
		return nil, refreshError(err)
	}
	if ts.last == nil || tok.AccessToken != ts.last.AccessToken || tok.RefreshToken != ts.last.RefreshToken {
		if err := ts.saver.SaveToken(ts.ctx, tok); err != nil {
			return nil, err
		}
		ts.last = tok
	}
	return tok, nil
}

// refreshError explains a failed refresh.
func refreshError(err error) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) && re.ErrorCode == "invalid_grant" {
		wrapped := fmt.Errorf("%w: %w", ErrNeedsSignIn, err)
		if re.ErrorDescription != "" {
			return advice.Keyed(wrapped, "oauth.refresh_rejected_described", advice.Data{"Description": re.ErrorDescription},
				"Google no longer accepts this account's sign-in (invalid_grant: {{.Description}})",
				"Sign in again. In Testing, Google ends every sign-in after 7 days; publishing the app (In production) removes that limit. "+
					"Access also ends when you revoke it, change your password, or leave it unused for 6 months")
		}
		return advice.Keyed(wrapped, "oauth.refresh_rejected", nil,
			"Google no longer accepts this account's sign-in (invalid_grant)",
			"Sign in again. In Testing, Google ends every sign-in after 7 days; publishing the app (In production) removes that limit. "+
				"Access also ends when you revoke it, change your password, or leave it unused for 6 months")
	}
	return exchangeError(err)
}

func stepLink(id, projectID string) string {
	for _, s := range google.ConsoleSteps {
		if s.ID == id {
			return s.Link(projectID)
		}
	}
	return google.ConsoleURL
}
