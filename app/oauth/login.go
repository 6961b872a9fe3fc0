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

// defaultTimeout is how long LoginThen waits for the browser by default.
const defaultTimeout = 5 * time.Minute

var (
	// ErrAccessDenied means the user (or Google) refused the consent.
	ErrAccessDenied = advice.Sentinel(advice.Auth, "access denied")
	// ErrAuthorization is any other error= answer from the authorization server.
	ErrAuthorization = advice.Sentinel(advice.Failure, "authorization failed")
	// ErrTimeout means no callback arrived in time.
	ErrTimeout = advice.Sentinel(advice.Temporary, "sign-in timed out")
	// ErrExchange means the token endpoint refused or could not be reached.
	ErrExchange = advice.Sentinel(advice.Temporary, "token exchange failed")
	// ErrNoRefreshToken means Google returned no refresh token.
	ErrNoRefreshToken = advice.Sentinel(advice.Failure, "no refresh token")
	// ErrNoEmail means the ID token carried no address.
	ErrNoEmail = advice.Sentinel(advice.Failure, "no email in the ID token")
	// ErrScopeNotGranted means the user unticked the Gmail permission.
	ErrScopeNotGranted = advice.Sentinel(advice.Auth, "mail scope not granted")
	// ErrNeedsSignIn means the refresh token is no longer accepted (invalid_grant).
	ErrNeedsSignIn = advice.Sentinel(advice.Auth, "needs sign-in")
	// ErrInvalidClient means the token endpoint does not know the client.
	ErrInvalidClient = advice.Sentinel(advice.Auth, "invalid client")
	// ErrStalled means the token endpoint did not answer in time; it comes
	// with ErrExchange.
	ErrStalled = advice.Sentinel(advice.Failure, "token endpoint did not answer in time")
	// ErrUnavailable means Google's authorization server was busy
	// (temporarily_unavailable, server_error): try again later.
	ErrUnavailable = advice.Sentinel(advice.Temporary, "authorization server temporarily unavailable")
	// ErrBadIDToken means the ID token's claims are not acceptable: another
	// audience or issuer, expired, or an email that is not one verified address.
	ErrBadIDToken = advice.Sentinel(advice.Failure, "unacceptable ID token")
)

// Result is a successful sign-in.
type Result struct {
	// Identity is who signed in, from the ID token; Email is the address.
	Identity
	// Token holds the access and refresh tokens.
	Token *oauth2.Token
	// Scope is the space-separated list of granted scopes, when the server said.
	Scope string
}

// Opener opens a URL in the system browser.
type Opener func(url string) error

// Finish completes a sign-in before the browser gets its page: it is called
// with the result of a sign-in that Google accepted, and saves it. When it
// fails, the browser's page says so, and LoginThen returns its error unchanged.
type Finish func(ctx context.Context, res Result) error

// LoginThen runs one sign-in. It listens on 127.0.0.1 at a random port, calls
// open with the authorization URL, and waits for the browser to come back, for
// ctx to end, or for timeout (5 minutes when zero: defaultTimeout). The
// listener is closed when it returns. Requests with a wrong or missing state,
// under another Host, or on another path, are answered 4xx and do not end the
// wait. On a successful sign-in it runs finish (when not nil) before answering
// the browser, so that the page tells the real outcome, in the words of page
// (EnglishPage when nil).
// Once the browser has come back, the wait no longer counts: the code
// exchange is bounded by TokenTimeout, and finish by its own deadlines.
func LoginThen(ctx context.Context, client google.Client, open Opener, timeout time.Duration, finish Finish, page Page) (Result, error) {
	if timeout <= 0 {
		timeout = defaultTimeout
	}
	wait, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return Result{}, advice.Keyed(err, "oauth.listen_failed", nil,
			"cannot listen on 127.0.0.1 for Google's answer",
			"Check that the loopback interface is up and try again")
	}
	f := &flow{
		cfg:      config(client, "http://"+ln.Addr().String()+"/"),
		state:    randomString(),
		verifier: oauth2.GenerateVerifier(),
		ctx:      ctx,
		done:     make(chan outcome, 1),
		projID:   client.ProjectID,
		finish:   finish,
		page:     page,
		hosts:    []string{ln.Addr().String(), "localhost:" + portOf(ln.Addr())},
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
	case <-wait.Done():
	}
	if f.stopWaiting() { // the browser came back: the exchange and the save end on their own
		o := <-f.done
		return o.res, o.err
	}
	if ctx.Err() != nil {
		return Result{}, ctx.Err()
	}
	return Result{}, advice.Keyed(ErrTimeout, "oauth.timeout", advice.Data{"Timeout": timeout},
		"no answer came back from the browser within {{.Timeout}}",
		"Start the sign-in again and finish it in the browser; if no browser opened, copy the sign-in link into one")
}

func portOf(a net.Addr) string {
	_, port, _ := net.SplitHostPort(a.String())
	return port
}

// pendingConns tracks the loopback connections that have not yet delivered a
// whole request (http.StateNew), so that LoginThen can close them when it ends
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

// config returns the oauth2 configuration for client with mailkey's scopes.
func config(client google.Client, redirect string) *oauth2.Config {
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
	finish   Finish
	page     Page
	// hosts are the Host headers the callback may carry: 127.0.0.1:PORT and
	// localhost:PORT. Any other is a DNS-rebinding page or a stray request.
	hosts []string

	mu      sync.Mutex
	claimed bool
	ended   bool // LoginThen stopped waiting: a late callback is refused
}

// stopWaiting ends the wait for the browser unless a callback already
// claimed the sign-in, and reports whether one did. After it, a callback
// is refused, so that nothing is saved once LoginThen has returned.
func (f *flow) stopWaiting() (claimed bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.ended = !f.claimed
	return f.claimed
}

func (f *flow) hostOK(host string) bool {
	for _, h := range f.hosts {
		if strings.EqualFold(host, h) {
			return true
		}
	}
	return false
}

// ServeHTTP answers the browser's redirect.
func (f *flow) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !f.hostOK(r.Host) {
		http.Error(w, "This is not mailkey's sign-in address.", http.StatusMisdirectedRequest)
		return
	}
	if r.URL.Path != "/" || r.Method != http.MethodGet {
		http.NotFound(w, r)
		return
	}
	q := r.URL.Query()
	if subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(f.state)) != 1 {
		writePage(w, http.StatusBadRequest, f.page, PageOutcome{Kind: PageWrongState})
		return
	}
	if q.Get("code") == "" && q.Get("error") == "" {
		writePage(w, http.StatusBadRequest, f.page, PageOutcome{Kind: PageNoAnswer})
		return
	}
	f.mu.Lock()
	if f.claimed {
		f.mu.Unlock()
		writePage(w, http.StatusGone, f.page, PageOutcome{Kind: PageUsed})
		return
	}
	if f.ended {
		f.mu.Unlock()
		writePage(w, http.StatusGone, f.page, PageOutcome{Kind: PageEnded})
		return
	}
	f.claimed = true
	f.mu.Unlock()

	o := f.complete(q.Get("code"), q.Get("error"), q.Get("error_description"))
	saved := true
	if o.err == nil && f.finish != nil {
		if err := f.finish(f.ctx, o.res); err != nil {
			o.err, saved = err, false
		}
	}
	writePage(w, http.StatusOK, f.page, pageOutcome(o, saved))
	f.done <- o
}

// pageOutcome is the real outcome of the sign-in, after the save.
func pageOutcome(o outcome, saved bool) PageOutcome {
	switch {
	case o.err == nil:
		return PageOutcome{Kind: PageSignedIn, Email: o.res.Email}
	case !saved && errors.Is(o.err, ErrNotSaved):
		return PageOutcome{Kind: PageNotSaved, Err: o.err}
	case !saved:
		return PageOutcome{Kind: PageSaveFailed, Err: o.err}
	}
	return PageOutcome{Kind: PageFailed, Err: o.err}
}

func (f *flow) complete(code, errCode, errDesc string) outcome {
	if errCode != "" {
		return outcome{err: authError(errCode, errDesc, f.projID)}
	}
	ep := endpointOf(f.ctx, f.cfg.Endpoint.TokenURL)
	tok, err := f.cfg.Exchange(withClient(f.ctx, ep), code, oauth2.VerifierOption(f.verifier))
	if err != nil {
		return outcome{err: exchangeError(err, ep)}
	}
	res, err := resultOf(tok, f.cfg.ClientID, f.cfg.Endpoint.TokenURL)
	return outcome{res: res, err: err}
}

func resultOf(tok *oauth2.Token, clientID, tokenURI string) (Result, error) {
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
	id, err := identityFromIDToken(tok, clientID, tokenURI, time.Now())
	if err != nil {
		return res, err
	}
	res.Identity = id
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

func authError(code, desc, projectID string) error {
	code, desc = clean(code), clean(desc)
	switch code {
	case "access_denied":
		url := google.StepLink("audience", projectID)
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
	case "temporarily_unavailable", "server_error": // RFC 6749 §4.1.2.1: the server is busy or failed
		return advice.Keyed(fmt.Errorf("%w: %w: %s", ErrAuthorization, ErrUnavailable, code), "oauth.authorization_unavailable",
			advice.Data{"Code": code},
			"Google's sign-in is not available at the moment ({{.Code}})",
			"This is on Google's side: try again later")
	}
	err := fmt.Errorf("%w: %s", ErrAuthorization, code)
	if desc != "" {
		return advice.Keyed(err, "oauth.authorization_refused_described", advice.Data{"Code": code, "Description": desc},
			"Google refused the sign-in ({{.Code}}): {{.Description}}",
			"Check that the client is a Desktop app client (step 6 of the checklist) and sign in again")
	}
	return advice.Keyed(err, "oauth.authorization_refused", advice.Data{"Code": code},
		"Google refused the sign-in ({{.Code}})",
		"Check that the client is a Desktop app client (step 6 of the checklist) and sign in again")
}

// exchangeError explains a failed request to the token endpoint ep.
func exchangeError(err error, ep endpoint) error {
	if errors.Is(err, context.Canceled) {
		return fmt.Errorf("token request: %w", context.Canceled)
	}
	var re *oauth2.RetrieveError
	if u, ok := unreachedOf(err, ep); ok || !errors.As(err, &re) {
		return advice.WithFacts(explainUnreached(u, err), u)
	}
	if e := clientError(re, ""); e != nil {
		return e
	}
	switch re.ErrorCode {
	case "invalid_grant":
		return advice.Keyed(fmt.Errorf("%w: %w", ErrNeedsSignIn, ErrExchange), "oauth.invalid_grant", nil,
			"Google no longer accepts this sign-in (invalid_grant)",
			"Sign in again")
	case "redirect_uri_mismatch":
		return advice.Keyed(fmt.Errorf("%w: %s", ErrInvalidClient, re.ErrorCode), "oauth.redirect_uri_mismatch",
			advice.Data{"URL": google.StepLink("client", "")},
			"Google refused the redirect address (redirect_uri_mismatch): this is a Web application client",
			"Create a client of type Desktop app at {{.URL}}, download its JSON and use that")
	}
	code := clean(re.ErrorCode)
	if code == "" && re.Response != nil {
		code = statusText(re.Response.StatusCode)
	}
	return advice.Keyed(fmt.Errorf("%w: %s", ErrExchange, code), "oauth.token_endpoint_error", advice.Data{"Code": code},
		"Google's token endpoint answered with an error ({{.Code}})",
		"Try again in a minute")
}

// statusText is an HTTP status as "502 Bad Gateway", from the code alone: the
// reason phrase a server sends is its own text.
func statusText(code int) string {
	return strings.TrimSpace(fmt.Sprintf("%d %s", code, http.StatusText(code)))
}

// clean makes server text safe to show (advice.Printable), at most 200
// characters.
func clean(s string) string { return advice.Printable(s, 200) }

func randomString() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// The kinds of a token request that got no answer in Google's JSON
// (Unreached.Kind): stable names, saved in files.
const (
	// AnswerTooLarge: the answer was longer than mailkey reads.
	AnswerTooLarge = "answer_too_large"
	// AnswerNotJSON: the answer was not Google's JSON.
	AnswerNotJSON = "answer_not_json"
	// AnswerStalled: no answer came within the timeout.
	AnswerStalled = "stalled"
	// NoAnswer: the endpoint could not be reached.
	NoAnswer = "unreachable"
)

// Unreached is a token request that got no answer in Google's JSON, as
// facts: which failure, the endpoint's host, the timeout, and the HTTP
// status of an answer that was not Google's (made printable). Explain
// words it again as the request's error did; UnreachedOf finds it in one.
type Unreached struct {
	Kind    string        `json:"kind"`
	Host    string        `json:"host,omitempty"`
	Timeout time.Duration `json:"timeout,omitempty"`
	Status  string        `json:"status,omitempty"`
}

// unreachedOf returns the facts of err when it is not Google's answer:
// a bad or missing one. It reports false for an answer in Google's JSON.
func unreachedOf(err error, ep endpoint) (Unreached, bool) {
	var bad *badReplyError
	var re *oauth2.RetrieveError
	u := Unreached{Host: ep.host}
	switch {
	case errors.As(err, &bad):
		u.Kind, u.Status = AnswerNotJSON, clean(bad.Status)
		if bad.TooLarge {
			u.Kind = AnswerTooLarge
		}
	case errors.As(err, &re):
		return Unreached{}, false
	case stalled(err):
		u.Kind, u.Timeout = AnswerStalled, ep.timeout
	default:
		u.Kind = NoAnswer
	}
	return u, true
}

// explainUnreached words u; err is the request's error.
func explainUnreached(u Unreached, err error) error {
	data := advice.Data{"Host": u.Host, "Status": u.Status}
	switch u.Kind {
	case AnswerTooLarge:
		data["Limit"] = "64 KB"
		return advice.Keyed(fmt.Errorf("%w: %w", ErrExchange, err), "oauth.token_endpoint_too_large", data,
			"Google's token endpoint ({{.Host}}) answered something that is not Google's JSON: more than {{.Limit}} (HTTP {{.Status}})",
			"Try again later. If it keeps happening, check the token_uri in the client JSON, "+
				"and whether a proxy or a Wi-Fi login page stands between you and Google")
	case AnswerNotJSON:
		return advice.Keyed(fmt.Errorf("%w: %w", ErrExchange, err), "oauth.token_endpoint_not_json", data,
			"Google's token endpoint ({{.Host}}) answered something that is not Google's JSON (HTTP {{.Status}})",
			"Try again later. If it keeps happening, check the token_uri in the client JSON, "+
				"and whether a proxy or a Wi-Fi login page stands between you and Google")
	case AnswerStalled:
		return advice.Keyed(fmt.Errorf("%w: %w", ErrExchange, ErrStalled), "oauth.token_endpoint_stalled",
			advice.Data{"Host": u.Host, "Timeout": u.Timeout},
			"Google's token endpoint ({{.Host}}) did not answer within {{.Timeout}}",
			"Check your internet connection, or try again later")
	}
	return advice.Keyed(fmt.Errorf("%w: %v", ErrExchange, err), "oauth.token_endpoint_unreachable", advice.Data{"Host": u.Host},
		"could not reach Google's token endpoint ({{.Host}})",
		"Check your internet connection and try again")
}

// Explain words the failure as the request's error did, with the same
// sentinels, and carries u as that error did.
func (u Unreached) Explain() error {
	return advice.WithFacts(explainUnreached(u, errors.New(u.Kind)), u)
}

// UnreachedOf returns the facts of a token request that err, its error,
// carries.
func UnreachedOf(err error) (Unreached, bool) { return advice.FactsOf[Unreached](err) }
