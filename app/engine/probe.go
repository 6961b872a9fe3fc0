package engine

import (
	"context"

	"github.com/mailkey-app/mailkey/app/account"
)

// Probe checks cheaply, over the network, that an account can send now:
// for OAuth, a refresh of its access token at the token endpoint (a cached
// token proves nothing about the sign-in); for an app password, a login to
// its SMTP server, which sends nothing. It returns nil when the account is
// usable, else the error a send would have met. Each probe is bounded by
// the doctor's timeout.
func (e *Engine) Probe(ctx context.Context, addr string) error {
	a, err := e.accounts.Get(addr)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, doctorTimeout)
	defer cancel()
	if a.Method == account.OAuth {
		cached := ""
		if tok, _ := e.cached(ctx, a); tok != nil {
			cached = tok.AccessToken // refused here, so that the refresh happens
		}
		_, err := e.accessToken(ctx, a, cached)
		return err
	}
	_, err = e.VerifyAccount(ctx, addr)
	return err
}
