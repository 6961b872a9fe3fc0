package engine

import (
	"context"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/advice"
)

// Refresh asks Google for a new access token now, even when the cached one
// is still valid: Google counts a refresh as use of the OAuth client, which
// keeps an otherwise idle client from being deleted. A refused refresh marks
// the account as needing a sign-in, as any refresh does.
func (e *Engine) Refresh(ctx context.Context, addr string) error {
	a, err := e.accounts.Get(addr)
	if err != nil {
		return err
	}
	if a.Method != account.OAuth {
		return advice.Keyed(ErrNotOAuth, "engine.no_access_token", advice.Data{"Address": a.Address},
			"{{.Address}} uses an app password, which has no access token",
			"Use the app password itself, or add the account again with an OAuth client").Then(advice.ActionSignInOAuth)
	}
	current := ""
	if tok, _ := e.cached(ctx, a); tok != nil {
		current = tok.AccessToken
	}
	_, err = e.accessToken(ctx, a, current)
	return err
}
