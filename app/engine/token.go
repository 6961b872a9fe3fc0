package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/gofrs/flock"
	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/google"
	"github.com/mailkey-app/mailkey/app/oauth"
	"github.com/mailkey-app/mailkey/app/secret"
	"golang.org/x/oauth2"
)

// ErrNotOAuth means a token was asked for an app-password account.
var ErrNotOAuth = advice.Sentinel(advice.Failure, "not an OAuth account")

// minValidity is how long a cached access token must still live to be used.
const minValidity = 2 * time.Minute

type cachedAccess struct {
	AccessToken string    `json:"access_token"`
	Expiry      time.Time `json:"expiry"`
}

// encodeAccess serialises tok for the keyring cache. oauth2 computes Expiry
// on the wall clock; the cache keeps it on the engine's clock (the same thing
// outside tests), so that validity checks and expiries agree.
func (e *Engine) encodeAccess(tok *oauth2.Token) (string, error) {
	expiry := tok.Expiry
	if !expiry.IsZero() {
		expiry = e.Now().Add(time.Until(expiry))
	}
	b, err := json.Marshal(cachedAccess{AccessToken: tok.AccessToken, Expiry: expiry.UTC()})
	return string(b), err
}

// tokensLockFile is the name of the lock file, in the config dir, that
// serialises token refreshes between mailkey processes (the CLI and the GUI).
const tokensLockFile = "tokens.lock"

// lockTokens takes the cross-process refresh lock. Holding it around the
// re-check of the cache, the refresh and the save means that two processes
// finding an expired token refresh it once: the second finds the first's token
// in the keyring. tokenMu does the same between goroutines of one process
// (flock alone would too, but it costs a file per waiter).
func (e *Engine) lockTokens(ctx context.Context) (func(), error) {
	dir := e.accounts.Dir()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, TokenLock{Kind: LockNoDir, Dir: dir}.explain(err)
	}
	l := flock.New(filepath.Join(dir, tokensLockFile))
	// The holder's refresh ends within the token timeout and its save within
	// the keyring's: wait a little longer than both before giving up.
	wait := oauth.TokenTimeout() + secret.DefaultTimeout
	if e.lockWait > 0 {
		wait = e.lockWait
	}
	lctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	ok, err := l.TryLockContext(lctx, 20*time.Millisecond)
	if err != nil && ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if err != nil || !ok {
		return nil, TokenLock{Kind: LockBusy, Timeout: wait}.explain(fmt.Errorf("lock %s: %v", l.Path(), err))
	}
	return func() { _ = l.Unlock() }, nil
}

// Token returns a valid access token for an OAuth account, refreshing it if
// needed. A cached token that is still valid costs one keyring read.
func (e *Engine) Token(ctx context.Context, addr string) (string, error) {
	a, err := e.accounts.Get(addr)
	if err != nil {
		return "", err
	}
	if a.Method != account.OAuth {
		return "", advice.Keyed(ErrNotOAuth, "engine.no_access_token", advice.Data{"Address": a.Address},
			"{{.Address}} uses an app password, which has no access token",
			"Use the app password itself, or add the account again with an OAuth client").Then(advice.ActionSignInOAuth)
	}
	return e.accessToken(ctx, a, "")
}

func (e *Engine) cached(ctx context.Context, a account.Account) (*oauth2.Token, bool) {
	raw, err := e.secrets.Get(ctx, a.Address, secret.AccessToken)
	if err != nil {
		return nil, false
	}
	var c cachedAccess
	if json.Unmarshal([]byte(raw), &c) != nil || c.AccessToken == "" {
		return nil, false
	}
	tok := &oauth2.Token{AccessToken: c.AccessToken, TokenType: "Bearer", Expiry: c.Expiry}
	return tok, c.Expiry.Sub(e.Now()) > minValidity
}

// accessToken returns a cached token while it is valid, or refreshes.
// rejected, when not empty, is an access token the server refused: it is not
// used again, but a different valid one that another caller or process saved
// meanwhile is, so that a refused token is refreshed once, not once per caller.
func (e *Engine) accessToken(ctx context.Context, a account.Account, rejected string) (string, error) {
	usable := func() (string, bool) {
		tok, ok := e.cached(ctx, a)
		if !ok || tok.AccessToken == rejected {
			return "", false
		}
		return tok.AccessToken, true
	}
	if rejected == "" {
		if tok, ok := usable(); ok {
			return tok, nil
		}
	}
	e.tokenMu.Lock()
	defer e.tokenMu.Unlock()
	unlock, err := e.lockTokens(ctx)
	if err != nil {
		return "", err
	}
	defer unlock()
	// Another caller or process may have refreshed while we waited: read the
	// keyring again now that the lock is ours.
	if tok, ok := usable(); ok {
		return tok, nil
	}
	refresh, err := e.secrets.Get(ctx, a.Address, secret.RefreshToken)
	if errors.Is(err, secret.ErrNotFound) {
		return "", e.needsSignIn(a, noSignIn(a))
	}
	if err != nil {
		return "", err
	}
	clientSecret, err := e.secrets.Get(ctx, a.Address, secret.ClientSecret)
	if err != nil && !errors.Is(err, secret.ErrNotFound) {
		return "", err
	}
	client := google.Client{ClientID: a.ClientID, ClientSecret: clientSecret, ProjectID: a.ProjectID, AuthURI: a.AuthURI, TokenURI: a.TokenURI}
	start := &oauth2.Token{RefreshToken: refresh} // empty access token: forces a refresh
	ts := oauth.NewTokenSource(ctx, client, start, saver{e: e, addr: a.Address, refresh: refresh})
	tok, err := ts.Token()
	if errors.Is(err, oauth.ErrNeedsSignIn) {
		return "", e.needsSignIn(a, err)
	}
	if err != nil {
		return "", err
	}
	// A refresh is use of the OAuth client in Google's eyes: record it, so that
	// a client left idle can be flagged before Google deletes it.
	now := e.Now()
	_ = e.accounts.Modify(a.Address, func(x *account.Account) {
		x.LastRefresh = now
		if x.NeedsSignIn {
			x.NeedsSignIn, x.SignInCause, x.SignInDetail = false, "", nil
		}
	})
	return tok.AccessToken, nil
}

// saver writes refreshed tokens to the keyring: the access token always, the
// refresh token when Google rotated it.
type saver struct {
	e       *Engine
	addr    string
	refresh string
}

func (s saver) SaveToken(ctx context.Context, tok *oauth2.Token) error {
	if tok.RefreshToken != "" && tok.RefreshToken != s.refresh {
		if err := s.e.secrets.Set(ctx, s.addr, secret.RefreshToken, tok.RefreshToken); err != nil {
			return err
		}
	}
	access, err := s.e.encodeAccess(tok)
	if err != nil {
		return err
	}
	return s.e.secrets.Set(ctx, s.addr, secret.AccessToken, access)
}

// errNoSignIn is a missing refresh token: it matches oauth.ErrNeedsSignIn.
var errNoSignIn = advice.SentinelUnder(oauth.ErrNeedsSignIn, advice.Auth, "no refresh token in the keyring")

// noSignIn is the error of an OAuth account whose refresh token is missing
// from the keyring.
func noSignIn(a account.Account) error {
	return advice.WithFacts(advice.Keyed(errNoSignIn, "engine.no_sign_in", advice.Data{"Address": a.Address},
		"the keyring holds no sign-in for {{.Address}}", "Sign in again"), Missing{Kind: MissingSignIn, Address: a.Address})
}
