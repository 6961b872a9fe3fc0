// Package oauth signs a user in with their own Google Cloud OAuth client, the way
// RFC 8252 asks of a native app: the system browser, a loopback redirect on
// 127.0.0.1 at a random port, PKCE (S256) and a random state. It also keeps the
// tokens fresh afterwards and saves every refreshed token.
package oauth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/google"
	"golang.org/x/oauth2"
)

// DefaultTimeout is how long Login waits for the browser by default.
const DefaultTimeout = 5 * time.Minute

var (
	// ErrStateMismatch means a callback carried a state that is not ours.
	ErrStateMismatch = errors.New("state mismatch")
	// ErrAccessDenied means the user (or Google) refused the consent.
	ErrAccessDenied = errors.New("access denied")
	// ErrAuthorization is any other error= answer from the authorization server.
	ErrAuthorization = errors.New("authorization failed")
	// ErrTimeout means no callback arrived in time.
	ErrTimeout = errors.New("sign-in timed out")
	// ErrExchange means the token endpoint refused or could not be reached.
	ErrExchange = errors.New("token exchange failed")
	// ErrNoRefreshToken means Google returned no refresh token.
	ErrNoRefreshToken = errors.New("no refresh token")
	// ErrNoEmail means the ID token carried no address.
	ErrNoEmail = errors.New("no email in the ID token")
	// ErrScopeNotGranted means the user unticked the Gmail permission.
	ErrScopeNotGranted = errors.New("mail scope not granted")
	// ErrNeedsSignIn means the refresh token is no longer accepted (invalid_grant).
	ErrNeedsSignIn = errors.New("needs sign-in")
	// ErrInvalidClient means the token endpoint does not know the client.
	ErrInvalidClient = errors.New("invalid client")
)

// Result is a successful sign-in.
type Result struct {
	// Email is the address that signed in, from the ID token.
	Email string
	// Token holds the access and refresh tokens.
	Token *oauth2.Token
	// Scope is the space-separated list of granted scopes, when the server said.
	Scope string
}

// Opener opens a URL in the system browser.
type Opener func(url string) error

// Login runs one sign-in. It listens on 127.0.0.1 at a random port, calls open
// with the authorization URL, and waits for the browser to come back, for ctx to
// end, or for timeout (DefaultTimeout when zero). The listener is closed when it
// returns. Requests with a wrong or missing state, or on another path, are
// answered 4xx and do not end the wait.
func Login(ctx context.Context, client google.Client, open Opener, timeout time.Duration) (Result, error) {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return Result{}, advice.Keyed(err, "oauth.listen_failed", nil,
			"cannot listen on 127.0.0.1 for Google's answer",
			"Check that the loopback interface is up and try again")
	}
	f := &flow{
		cfg:      Config(client, "http://"+ln.Addr().String()+"/"),
		state:    randomString(),
		verifier: oauth2.GenerateVerifier(),
		ctx:      ctx,
		done:     make(chan outcome, 1),
		projID:   client.ProjectID,
	}
	var pending pendingConns
	srv := &http.Server{Handler: f, ReadHeaderTimeout: 10 * time.Second, MaxHeaderBytes: 64 << 10, ConnState: pending.track}
	// Shutdown waits for every connection to go idle, and one that sent half a
	// request (a stalled or hostile client) never does: drop those at once.
	srv.RegisterOnShutdown(pending.closeAll)
	go func() { _ = srv.Serve(ln) }()
	defer func() {
		shut, c := context.WithTimeout(context.Background(), 2*time.Second)
		defer c()
		_ = srv.Shutdown(shut) // lets the final page reach the browser
		_ = srv.Close()        // whatever is still open after that
	}()

	authURL := f.cfg.AuthCodeURL(f.state, oauth2.AccessTypeOffline, oauth2.ApprovalForce, oauth2.S256ChallengeOption(f.verifier))
	if err := open(authURL); err != nil {
		return Result{}, advice.Keyed(err, "oauth.browser_failed", nil,
			"could not open the browser",
			"Copy the sign-in link into your browser by hand")
	}
	select {
	case o := <-f.done:
		return o.res, o.err
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return Result{}, advice.Keyed(ErrTimeout, "oauth.timeout", advice.Data{"Timeout": timeout},
				"no answer came back from the browser within {{.Timeout}}",
				"Start the sign-in again and finish it in the browser; if no browser opened, copy the sign-in link into one")
		}
		return Result{}, ctx.Err()
	}
}

// pendingConns tracks the loopback connections that have not yet delivered a
// whole request (http.StateNew), so that Login can close them when it ends
// instead of waiting for their header timeout.
type pendingConns struct {
	mu    sync.Mutex
	conns map[net.Conn]struct{}
}

func (p *pendingConns) track(c net.Conn, s http.ConnState) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if s != http.StateNew {
		delete(p.conns, c)
		return
	}
	if p.conns == nil {
		p.conns = make(map[net.Conn]struct{})
	}
	p.conns[c] = struct{}{}
}

func (p *pendingConns) closeAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for c := range p.conns {
		_ = c.Close()
	}
	clear(p.conns)
}

// Config returns the oauth2 configuration for client with mailkey's scopes.
func Config(client google.Client, redirect string) *oauth2.Config {
	return &oauth2.Config{
		ClientID:     client.ClientID,
		ClientSecret: client.ClientSecret,
		Endpoint:     oauth2.Endpoint{AuthURL: client.AuthURI, TokenURL: client.TokenURI, AuthStyle: oauth2.AuthStyleInParams},
		RedirectURL:  redirect,
		Scopes:       google.SignInScopes,
	}
}

type outcome struct {
	res Result
	err error
}

type flow struct {
	cfg      *oauth2.Config
	state    string
	verifier string
	projID   string
	ctx      context.Context
	done     chan outcome

	mu      sync.Mutex
	claimed bool
}

// ServeHTTP answers the browser's redirect.
func (f *flow) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/" || r.Method != http.MethodGet {
		http.NotFound(w, r)
		return
	}
	q := r.URL.Query()
	if subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(f.state)) != 1 {
		page(w, http.StatusBadRequest, false, "This answer does not belong to the sign-in mailkey is waiting for.",
			"If you started several sign-ins, use the browser tab of the latest one.")
		return
	}
	if q.Get("code") == "" && q.Get("error") == "" {
		page(w, http.StatusBadRequest, false, "Google's answer carried neither a code nor an error.", "Go back to mailkey and start the sign-in again.")
		return
	}
	f.mu.Lock()
	if f.claimed {
		f.mu.Unlock()
		page(w, http.StatusGone, false, "This sign-in has already been used.", "Go back to mailkey.")
		return
	}
	f.claimed = true
	f.mu.Unlock()

	o := f.complete(q.Get("code"), q.Get("error"), q.Get("error_description"))
	if o.err != nil {
		page(w, http.StatusOK, false, advice.What(o.err)+".", advice.Next(o.err))
	} else {
		page(w, http.StatusOK, true, "You are signed in as "+o.res.Email+".", "You can close this tab and go back to mailkey.")
	}
	f.done <- o
}

func (f *flow) complete(code, errCode, errDesc string) outcome {
	if errCode != "" {
		return outcome{err: authError(errCode, errDesc, f.projID)}
	}
	tok, err := f.cfg.Exchange(f.ctx, code, oauth2.VerifierOption(f.verifier))
	if err != nil {
		return outcome{err: exchangeError(err)}
	}
	res, err := resultOf(tok)
	return outcome{res: res, err: err}
}

func resultOf(tok *oauth2.Token) (Result, error) {
	res := Result{Token: tok}
	if s, ok := tok.Extra("scope").(string); ok {
		res.Scope = s
	}
	if tok.RefreshToken == "" {
		return res, advice.Keyed(ErrNoRefreshToken, "oauth.no_refresh_token", nil,
			"Google returned no refresh token",
			"Remove mailkey's access at https://myaccount.google.com/permissions and sign in again")
	}
	if res.Scope != "" && !hasScope(res.Scope, google.ScopeMail) {
		return res, advice.Keyed(ErrScopeNotGranted, "oauth.scope_not_granted", nil,
			"you did not allow mailkey to send mail: the Gmail permission was unticked on Google's consent screen",
			"Sign in again and tick \"Read, compose, send and permanently delete all your email from Gmail\"")
	}
	email, err := EmailFromIDToken(tok)
	if err != nil {
		return res, err
	}
	res.Email = email
	return res, nil
}

func hasScope(list, want string) bool {
	for _, s := range strings.Fields(list) {
		if s == want {
			return true
		}
	}
	return false
}

// EmailFromIDToken reads the email claim of the ID token that came with tok.
// The signature is not checked: the token came straight from the token endpoint
// over TLS, which OpenID Connect Core §3.1.3.7 allows.
func EmailFromIDToken(tok *oauth2.Token) (string, error) {
	noEmail := advice.Keyed(ErrNoEmail, "oauth.no_email", nil,
		"Google did not say which address signed in",
		"Sign in again and allow mailkey to see your email address")
	raw, _ := tok.Extra("id_token").(string)
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		return "", noEmail
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return "", noEmail
	}
	var claims struct {
		Email string `json:"email"`
	}
	if json.Unmarshal(payload, &claims) != nil || claims.Email == "" {
		return "", noEmail
	}
	return claims.Email, nil
}

func authError(code, desc, projectID string) error {
	if code == "access_denied" {
		url := stepLink("audience", projectID)
		if desc != "" {
			return advice.Keyed(ErrAccessDenied, "oauth.access_denied_described", advice.Data{"Description": desc, "URL": url},
				"Google refused the sign-in (access_denied): {{.Description}}",
				"If you clicked Cancel, sign in again and click Continue. Otherwise your project is in Testing and this address is not a test user: "+
					"add it under Test users at {{.URL}}, then sign in again")
		}
		return advice.Keyed(ErrAccessDenied, "oauth.access_denied", advice.Data{"URL": url},
			"Google refused the sign-in (access_denied)",
			"If you clicked Cancel, sign in again and click Continue. Otherwise your project is in Testing and this address is not a test user: "+
				"add it under Test users at {{.URL}}, then sign in again")
	}
	err := fmt.Errorf("%w: %s", ErrAuthorization, code)
	if desc != "" {
		return advice.Keyed(err, "oauth.authorization_refused_described", advice.Data{"Code": code, "Description": desc},
			"Google refused the sign-in ({{.Code}}): {{.Description}}",
			"Check the client JSON (it must be a Desktop app client) and sign in again")
	}
	return advice.Keyed(err, "oauth.authorization_refused", advice.Data{"Code": code},
		"Google refused the sign-in ({{.Code}})",
		"Check the client JSON (it must be a Desktop app client) and sign in again")
}

// exchangeError explains a failed token request.
func exchangeError(err error) error {
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		return advice.Keyed(fmt.Errorf("%w: %v", ErrExchange, err), "oauth.token_endpoint_unreachable", nil,
			"could not reach Google's token endpoint",
			"Check your internet connection and try again")
	}
	switch re.ErrorCode {
	case "invalid_client", "unauthorized_client":
		return advice.Keyed(fmt.Errorf("%w: %s", ErrInvalidClient, re.ErrorCode), "oauth.invalid_client",
			advice.Data{"Code": re.ErrorCode, "URL": stepLink("client", "")},
			"Google does not accept this OAuth client ({{.Code}})",
			"The client may have been deleted or its secret reset: download the client JSON again from {{.URL}} and sign in again")
	case "invalid_grant":
		return advice.Keyed(fmt.Errorf("%w: %w", ErrNeedsSignIn, ErrExchange), "oauth.invalid_grant", nil,
			"Google no longer accepts this sign-in (invalid_grant)",
			"Sign in again")
	case "redirect_uri_mismatch":
		return advice.Keyed(fmt.Errorf("%w: %s", ErrInvalidClient, re.ErrorCode), "oauth.redirect_uri_mismatch",
			advice.Data{"URL": stepLink("client", "")},
			"Google refused the redirect address (redirect_uri_mismatch): this is a Web application client",
			"Create a client of type Desktop app at {{.URL}}, download its JSON and use that")
	}
	code := re.ErrorCode
	if code == "" && re.Response != nil {
		code = re.Response.Status
	}
	return advice.Keyed(fmt.Errorf("%w: %s", ErrExchange, code), "oauth.token_endpoint_error", advice.Data{"Code": code},
		"Google's token endpoint answered with an error ({{.Code}})",
		"Try again in a minute")
}

func randomString() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
