package engine

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/google"
	"github.com/mailkey-app/mailkey/app/oauth"
	"github.com/mailkey-app/mailkey/app/secret"
	"golang.org/x/oauth2"
)

// ErrNotOAuth means a token was asked for an app-password account.
var ErrNotOAuth = errors.New("not an OAuth account")

// minValidity is how long a cached access token must still live to be used.
const minValidity = 2 * time.Minute

type cachedAccess struct {
	AccessToken string    `json:"access_token"`
	Expiry      time.Time `json:"expiry"`
}

func encodeAccess(tok *oauth2.Token) (string, error) {
	b, err := json.Marshal(cachedAccess{AccessToken: tok.AccessToken, Expiry: tok.Expiry.UTC()})
	return string(b), err
}

// Token returns a valid access token for an OAuth account, refreshing it if
// needed. A cached token that is still valid costs one keyring read.
func (e *Engine) Token(ctx context.Context, addr string) (string, error) {
	a, err := e.Accounts.Get(addr)
	if err != nil {
		return "", err
	}
	if a.Method != account.OAuth {
		return "", advice.New(ErrNotOAuth, a.Address+" uses an app password, which has no access token",
			"Use the app password itself, or add the account with 'mailkey login --client-secret FILE'")
	}
	return e.accessToken(ctx, a, false)
}

func (e *Engine) cached(ctx context.Context, a account.Account) (*oauth2.Token, bool) {
	raw, err := e.Secrets.Get(ctx, a.Address, secret.AccessToken)
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

// accessToken returns a cached token while it is valid, or refreshes. With
// force, the cached token is ignored (the server refused it).
func (e *Engine) accessToken(ctx context.Context, a account.Account, force bool) (string, error) {
	if !force {
		if tok, ok := e.cached(ctx, a); ok {
			return tok.AccessToken, nil
		}
	}
	e.tokenMu.Lock()
	defer e.tokenMu.Unlock()
	if !force { // another caller may have refreshed while we waited
		if tok, ok := e.cached(ctx, a); ok {
			return tok.AccessToken, nil
		}
	}
	refresh, err := e.Secrets.Get(ctx, a.Address, secret.RefreshToken)
	if errors.Is(err, secret.ErrNotFound) {
		return "", e.needsSignIn(a, advice.New(oauth.ErrNeedsSignIn, "the keyring holds no sign-in for "+a.Address, "Sign in again"))
	}
	if err != nil {
		return "", err
	}
	clientSecret, err := e.Secrets.Get(ctx, a.Address, secret.ClientSecret)
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
	if a.NeedsSignIn {
		_ = e.Accounts.Modify(a.Address, func(x *account.Account) { x.NeedsSignIn, x.Reason = false, "" })
	}
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
		if err := s.e.Secrets.Set(ctx, s.addr, secret.RefreshToken, tok.RefreshToken); err != nil {
			return err
		}
	}
	access, err := encodeAccess(tok)
	if err != nil {
		return err
	}
	return s.e.Secrets.Set(ctx, s.addr, secret.AccessToken, access)
}
