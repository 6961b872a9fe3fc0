package testpeer

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Default values of OAuthOptions.
const (
	// defaultClientID is the OAuth client ID used when OAuthOptions.ClientID is empty.
	defaultClientID = "1234-test.apps.googleusercontent.com"
	// defaultClientSecret is the OAuth client secret used when OAuthOptions.ClientSecret is empty.
	defaultClientSecret = "GOCSPX-test-secret"
	// defaultAccessTTL is the access token lifetime used when OAuthOptions.AccessTTL is zero.
	defaultAccessTTL = time.Hour
)

// appName is the application name shown in Google-style error texts.
const appName = "mailkey"

// codeTTL is how long an authorization code may be redeemed.
const codeTTL = 5 * time.Minute

// OAuthOptions configures the OAuth 2.0 provider started by StartOAuth.
type OAuthOptions struct {
	// ClientID is the only OAuth client known to the provider; empty means
	// defaultClientID, 1234-test.apps.googleusercontent.com.
	ClientID string
	// ClientSecret is the secret of that client; empty means
	// defaultClientSecret, GOCSPX-test-secret.
	ClientSecret string
	// TestUsers lists the addresses allowed to sign in, like the "Test
	// users" of a Google Cloud project in testing mode; any other user gets
	// access_denied.
	TestUsers []string
	// AccessTTL is the lifetime of issued access tokens; zero means
	// defaultAccessTTL, one hour.
	AccessTTL time.Duration
	// Addr is the listen address; empty means 127.0.0.1 with a random port.
	Addr string
}

// OAuth is a minimal Google-like OAuth 2.0 authorization server listening on
// 127.0.0.1. It implements the authorization-code grant with PKCE for
// loopback redirect URIs, the refresh-token grant and token revocation.
//
// The authorization endpoint plays both the server and "the browser": it
// never shows a page but immediately redirects as if the signed-in user (see
// SetSignInAs) had clicked Allow (or Cancel, see SetDenyConsent).
type OAuth struct {
	// URL is the base URL of the server, for example http://127.0.0.1:PORT.
	URL string
	// ClientID is the OAuth client ID the server accepts.
	ClientID string
	// ClientSecret is the OAuth client secret the server accepts.
	ClientSecret string

	srv       *http.Server
	done      chan struct{}
	serveDone chan struct{}
	closeOnce sync.Once

	now       func() time.Time
	idKey     []byte
	accessTTL time.Duration
	testUsers map[string]bool

	mu          sync.Mutex
	signInAs    string
	denyConsent bool
	production  bool            // the app is "In production": anyone may sign in, with no 7-day limit
	internal    string          // the organisation of an Internal app, or "" for External
	workspace   map[string]bool // Google Workspace domains: their users' ID tokens carry hd
	authErr     [2]string
	rotate      bool
	granted     string
	tokenFault  func(grantType string) (status int, delay time.Duration)
	idClaims    map[string]any
	tokenAnswer string
	tokenHits   int
	lastAuth    url.Values
	nextGrant   int
	codes       map[string]*authCode
	access      map[string]*accessGrant
	refresh     map[string]*refreshGrant
}

// authCode is an issued authorization code and what it is bound to.
type authCode struct {
	clientID, redirectURI, challenge string
	user, scope                      string
	offline                          bool
	timeLimited                      bool // consent given while the app was in Testing
	expires                          time.Time
	used                             bool
}

// accessGrant is an issued access token.
type accessGrant struct {
	grant   int
	user    string
	scope   string
	expires time.Time
	expired bool
}

// refreshGrant is an issued refresh token.
type refreshGrant struct {
	grant    int
	clientID string
	user     string
	scope    string
}

// StartOAuth starts an OAuth 2.0 provider on 127.0.0.1 with a random port.
// Call Close when done.
func StartOAuth(opts OAuthOptions) (*OAuth, error) {
	if opts.ClientID == "" {
		opts.ClientID = defaultClientID
	}
	if opts.ClientSecret == "" {
		opts.ClientSecret = defaultClientSecret
	}
	if opts.AccessTTL <= 0 {
		opts.AccessTTL = defaultAccessTTL
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("testpeer: id_token key: %w", err)
	}
	p := &OAuth{
		ClientID:     opts.ClientID,
		ClientSecret: opts.ClientSecret,
		done:         make(chan struct{}),
		serveDone:    make(chan struct{}),
		now:          time.Now,
		idKey:        key,
		accessTTL:    opts.AccessTTL,
		testUsers:    make(map[string]bool),
		codes:        make(map[string]*authCode),
		access:       make(map[string]*accessGrant),
		refresh:      make(map[string]*refreshGrant),
	}
	for _, u := range opts.TestUsers {
		p.testUsers[strings.ToLower(u)] = true
	}
	if len(opts.TestUsers) > 0 {
		p.signInAs = opts.TestUsers[0]
	}

	ln, err := net.Listen("tcp", orLoopback(opts.Addr))
	if err != nil {
		return nil, fmt.Errorf("testpeer: oauth listen: %w", err)
	}
	p.URL = "http://" + ln.Addr().String()

	mux := http.NewServeMux()
	mux.HandleFunc("GET /o/oauth2/auth", p.handleAuth)
	mux.HandleFunc("POST /token", p.handleToken)
	mux.HandleFunc("POST /revoke", p.handleRevoke)
	p.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 30 * time.Second}
	go func() {
		defer close(p.serveDone)
		_ = p.srv.Serve(ln)
	}()
	return p, nil
}

// Close stops the server, aborting requests in progress. It is safe to call
// more than once.
func (p *OAuth) Close() {
	p.closeOnce.Do(func() {
		close(p.done)
		_ = p.srv.Close()
		<-p.serveDone
	})
}

// AuthURI returns the URL of the authorization endpoint.
func (p *OAuth) AuthURI() string { return p.URL + "/o/oauth2/auth" }

// TokenURI returns the URL of the token endpoint.
func (p *OAuth) TokenURI() string { return p.URL + "/token" }

// RevokeURI returns the URL of the token revocation endpoint, which like
// Google's accepts a POSTed form with a token parameter and revokes the whole
// grant that token belongs to.
func (p *OAuth) RevokeURI() string { return p.URL + "/revoke" }

// ClientJSON returns the client credentials in the shape of the JSON file
// Google Cloud Console lets you download; kind is "installed" (Desktop app)
// or "web".
func (p *OAuth) ClientJSON(kind string) []byte {
	type client struct {
		ClientID                string   `json:"client_id"`
		ProjectID               string   `json:"project_id"`
		AuthURI                 string   `json:"auth_uri"`
		TokenURI                string   `json:"token_uri"`
		AuthProviderX509CertURL string   `json:"auth_provider_x509_cert_url"`
		ClientSecret            string   `json:"client_secret"`
		RedirectURIs            []string `json:"redirect_uris"`
	}
	b, err := json.Marshal(map[string]client{kind: {
		ClientID:                p.ClientID,
		ProjectID:               "mailkey-test",
		AuthURI:                 p.AuthURI(),
		TokenURI:                p.TokenURI(),
		AuthProviderX509CertURL: "https://www.googleapis.com/oauth2/v1/certs",
		ClientSecret:            p.ClientSecret,
		RedirectURIs:            []string{"http://localhost"},
	}})
	if err != nil {
		panic(err) // cannot happen: only strings
	}
	return b
}

// AddTestUser adds an address to the Test users list, as the console's
// Audience page does.
func (p *OAuth) AddTestUser(email string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.testUsers[strings.ToLower(email)] = true
}

// SetSignInAs sets which user "the browser" is signed in as when it visits
// the authorization endpoint; the default is the first test user.
func (p *OAuth) SetSignInAs(email string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.signInAs = email
}

// SetDenyConsent makes the user click Cancel on the consent screen, so that
// the authorization endpoint redirects with error=access_denied. That is the
// only access_denied that reaches the app: a user who is not a test user gets
// Google's "Access blocked" page instead, with no redirect.
func (p *OAuth) SetDenyConsent(deny bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.denyConsent = deny
}

// SetInProduction sets the app's publishing status: false (the default) is
// Testing, where only test users may sign in and their sign-ins end 7 days
// after consent (the token response carries refresh_token_expires_in); true is
// In production, where any account may sign in with no end.
func (p *OAuth) SetInProduction(on bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.production = on
}

// SetInternal makes the app's user type Internal to the Google Workspace
// organisation of domain: only its addresses may sign in (anyone else gets
// Google's "Error 403: org_internal" page), with no test users and no 7-day
// limit. "" restores the user type External.
func (p *OAuth) SetInternal(domain string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.internal = strings.ToLower(domain)
	p.setWorkspaceLocked(domain)
}

// SetWorkspace makes the addresses of domain Google Workspace accounts: their
// ID tokens carry Google's hd claim naming the domain. Other addresses are
// consumer accounts, without hd, as a Gmail address or an address of another
// provider registered as a Google account is.
func (p *OAuth) SetWorkspace(domain string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.setWorkspaceLocked(domain)
}

func (p *OAuth) setWorkspaceLocked(domain string) {
	if domain == "" {
		return
	}
	if p.workspace == nil {
		p.workspace = map[string]bool{}
	}
	p.workspace[strings.ToLower(domain)] = true
}

// SetAuthorizationError makes the authorization endpoint redirect with
// error=code (and error_description, when not empty), as Google's does with
// temporarily_unavailable or server_error when it is overloaded (RFC 6749
// §4.1.2.1). An empty code restores normal answers.
func (p *OAuth) SetAuthorizationError(code, description string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.authErr = [2]string{code, description}
}

// SetRotateRefreshTokens makes the refresh grant return a new refresh token
// and invalidate the one that was used.
func (p *OAuth) SetRotateRefreshTokens(on bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.rotate = on
}

// SetGrantedScope overrides the space-separated scope granted by subsequent
// authorizations, for example to simulate a user unticking
// https://mail.google.com/ on the consent screen; empty restores the default
// of granting the requested scope.
func (p *OAuth) SetGrantedScope(scope string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.granted = strings.Join(strings.Fields(scope), " ")
}

// SetTokenFault installs a fault injector for the token endpoint, called
// with the grant_type of each request. When it returns a non-zero status the
// endpoint waits delay (or until the request is cancelled) and then answers
// that status with {"error":"server_error"}; when status is zero but delay is
// positive it only waits and then proceeds normally. nil removes the fault.
func (p *OAuth) SetTokenFault(f func(grantType string) (status int, delay time.Duration)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.tokenFault = f
}

// SetIDTokenClaims overrides claims of the ID tokens issued from now on, to
// play a hostile or broken provider: each entry replaces the claim of that
// name, and a nil value removes it. nil restores the genuine claims.
func (p *OAuth) SetIDTokenClaims(claims map[string]any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.idClaims = claims
}

// SetClientDeleted makes the token endpoint answer as Google does for a
// client it deleted (unused for about 6 months): 401 deleted_client, "The
// OAuth client was deleted.". false restores the client.
func (p *OAuth) SetClientDeleted(deleted bool) {
	name := ""
	if deleted {
		name = "token/deleted-client"
	}
	p.SetTokenAnswer(name)
}

// SetTokenAnswer makes every token request get the corpus entry name (for
// example "token/invalid-grant-rapt") with its status, as Google sends it;
// "" restores normal answers.
func (p *OAuth) SetTokenAnswer(name string) {
	if name != "" {
		saysStatus(name) // panics on an unknown name
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.tokenAnswer = name
}

// TokenHits returns the number of requests received by the token endpoint so
// far, including failed ones.
func (p *OAuth) TokenHits() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.tokenHits
}

// RevokeUser invalidates all authorization codes, refresh tokens and access
// tokens issued to the user so far, as if the user had removed the app's
// access in their Google account; later sign-ins get fresh valid tokens.
func (p *OAuth) RevokeUser(email string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for k, c := range p.codes {
		if strings.EqualFold(c.user, email) {
			delete(p.codes, k)
		}
	}
	for k, a := range p.access {
		if strings.EqualFold(a.user, email) {
			delete(p.access, k)
		}
	}
	for k, r := range p.refresh {
		if strings.EqualFold(r.user, email) {
			delete(p.refresh, k)
		}
	}
}

// ExpireAccessTokens marks every access token issued so far as expired;
// refresh tokens stay valid.
func (p *OAuth) ExpireAccessTokens() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, a := range p.access {
		a.expired = true
	}
}

// Validate reports the user and granted scope of an access token, and ok
// false if the token is unknown, expired or revoked. It implements
// TokenValidator for the SMTP peer.
func (p *OAuth) Validate(accessToken string) (email, scope string, ok bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	a := p.access[accessToken]
	if a == nil || a.expired || !p.now().Before(a.expires) {
		return "", "", false
	}
	return a.user, a.scope, true
}

// LastAuthRequest returns a copy of the query of the most recent request to
// the authorization endpoint, or nil if there was none.
func (p *OAuth) LastAuthRequest() url.Values {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.lastAuth == nil {
		return nil
	}
	c := make(url.Values, len(p.lastAuth))
	for k, v := range p.lastAuth {
		c[k] = append([]string(nil), v...)
	}
	return c
}

// handleAuth implements GET /o/oauth2/auth.
func (p *OAuth) handleAuth(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p.mu.Lock()
	p.lastAuth = q
	p.mu.Unlock()
	q = r.URL.Query() // keep the stored copy private

	target, ok := p.checkAuthRequest(w, q)
	if !ok {
		return
	}
	reply := target.Query()
	reply.Set("state", q.Get("state"))
	if !p.decideAuth(w, q, reply) {
		return
	}
	target.RawQuery = reply.Encode()
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, target.String(), http.StatusFound)
}

// checkAuthRequest answers a request Google would refuse with its error page
// and returns false; else it returns the redirect URI.
func (p *OAuth) checkAuthRequest(w http.ResponseWriter, q url.Values) (*url.URL, bool) {
	if q.Get("client_id") != p.ClientID {
		errorPage(w, http.StatusUnauthorized, "invalid_client", "The OAuth client was not found.")
		return nil, false
	}
	redirectURI := q.Get("redirect_uri")
	target, ok := loopbackRedirect(redirectURI)
	if !ok {
		errorPage(w, http.StatusBadRequest, "redirect_uri_mismatch",
			"You can't sign in to this app because it doesn't comply with Google's OAuth 2.0 policy. "+
				"If you're the app developer, register the redirect URI in the Google Cloud Console. "+
				"Request details: redirect_uri="+redirectURI)
		return nil, false
	}
	if q.Get("response_type") != "code" {
		errorPage(w, http.StatusBadRequest, "invalid_request", "Required parameter is missing or invalid: response_type")
		return nil, false
	}
	if q.Get("code_challenge") == "" || q.Get("code_challenge_method") != "S256" {
		errorPage(w, http.StatusBadRequest, "invalid_request", "code_challenge and code_challenge_method=S256 are required for this client.")
		return nil, false
	}
	if authScope(q) == "" {
		errorPage(w, http.StatusBadRequest, "invalid_request", "Missing required parameter: scope")
		return nil, false
	}
	return target, true
}

// authScope is the scope parameter of an authorization request, its spaces
// normalised.
func authScope(q url.Values) string { return strings.Join(strings.Fields(q.Get("scope")), " ") }

// decideAuth plays the user and Google's consent screen: it puts the code or
// the error into reply, or answers with a page that stays in the browser
// and returns false.
func (p *OAuth) decideAuth(w http.ResponseWriter, q, reply url.Values) bool {
	p.mu.Lock()
	user, deny, granted, authErr := p.signInAs, p.denyConsent, p.granted, p.authErr
	testUser := user != "" && p.testUsers[strings.ToLower(user)]
	internal, production := p.internal, p.production
	switch {
	case authErr[0] != "":
		reply.Set("error", authErr[0])
		if authErr[1] != "" {
			reply.Set("error_description", authErr[1])
		}
	case internal != "" && p.hostedDomainLocked(user) != internal:
		p.mu.Unlock()
		// Google's page for an Internal app and an outside account.
		errorPage(w, http.StatusForbidden, "org_internal",
			"This client is restricted to users within its organization.")
		return false
	case internal == "" && !production && !testUser:
		p.mu.Unlock()
		accessBlockedPage(w)
		return false
	case deny:
		reply.Set("error", "access_denied")
	default:
		p.issueCodeLocked(q, reply, user, granted, internal == "" && !production)
	}
	p.mu.Unlock()
	return true
}

// issueCodeLocked records a new authorization code for user and puts it,
// with Google's extra parameters, into reply. p.mu is held.
func (p *OAuth) issueCodeLocked(q, reply url.Values, user, granted string, timeLimited bool) {
	if granted == "" {
		granted = authScope(q)
	}
	code := "4/0test-" + randomToken()
	p.codes[code] = &authCode{
		clientID:    p.ClientID,
		redirectURI: q.Get("redirect_uri"),
		challenge:   q.Get("code_challenge"),
		user:        user,
		scope:       granted,
		offline:     q.Get("access_type") == "offline",
		timeLimited: timeLimited,
		expires:     p.now().Add(codeTTL),
	}
	reply.Set("code", code)
	// Google's extra parameters (testdata/google/redirect/success).
	reply.Set("scope", googleScopeSpelling(granted))
	reply.Set("iss", "https://accounts.google.com")
	reply.Set("authuser", "0")
	reply.Set("prompt", "consent")
}

// googleScopeSpelling writes granted scopes as Google's redirect does:
// "email" also as https://www.googleapis.com/auth/userinfo.email, both
// first, and openid last.
func googleScopeSpelling(granted string) string {
	var first, rest, last []string
	for _, s := range strings.Fields(granted) {
		switch s {
		case "email":
			first = append(first, "email", "https://www.googleapis.com/auth/userinfo.email")
		case "openid":
			last = append(last, s)
		default:
			rest = append(rest, s)
		}
	}
	return strings.Join(append(append(first, rest...), last...), " ")
}

// loopbackRedirect reports whether uri is an acceptable redirect URI for a
// Desktop client: http on 127.0.0.1 or [::1] with an explicit port.
func loopbackRedirect(uri string) (*url.URL, bool) {
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "http" || u.User != nil || u.Fragment != "" {
		return nil, false
	}
	if h := u.Hostname(); h != "127.0.0.1" && h != "::1" {
		return nil, false
	}
	port, err := strconv.Atoi(u.Port())
	if err != nil || port <= 0 || port > 65535 {
		return nil, false
	}
	return u, true
}

// errorPage answers with a page like Google's "Access blocked: authorization
// error" screen, which stays in the browser: Google does not redirect these
// errors to the app (Google's desktop-app guide: the endpoint "may display
// user-facing error messages").
func errorPage(w http.ResponseWriter, status int, code, description string) {
	googlePage(w, status, "Access blocked: authorization error", description, fmt.Sprintf("Error %d: %s", status, code))
}

// accessBlockedPage is Google's page for a user who is not on the Test users
// list of an app in Testing, worded as reported in googleworkspace/cli#281
// (2026). It does not redirect: nothing reaches the app.
func accessBlockedPage(w http.ResponseWriter) {
	googlePage(w, http.StatusForbidden, "Access blocked: "+appName+" has not completed the Google verification process",
		appName+" has not completed the Google verification process. The app is currently being tested, "+
			"and can only be accessed by developer-approved testers. If you think you should have access, contact the developer.",
		"Error 403: access_denied")
}

// googlePage writes a Google-style HTML error page.
func googlePage(w http.ResponseWriter, status int, heading, text, code string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<!doctype html><html><head><title>Error %d</title></head><body><h1>%s</h1><p>%s</p><p>%s</p></body></html>\n",
		status, html.EscapeString(heading), html.EscapeString(text), html.EscapeString(code))
}

// handleToken implements POST /token.
func (p *OAuth) handleToken(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	p.tokenHits++
	fault, answer := p.tokenFault, p.tokenAnswer
	p.mu.Unlock()

	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		writeJSON(w, http.StatusBadRequest, oauthError("invalid_request", "Could not parse the request body."))
		return
	}
	grantType := r.PostForm.Get("grant_type")
	if fault != nil && p.injectFault(w, r, fault, grantType) {
		return
	}
	if !p.checkClient(w, r, answer) {
		return
	}
	switch grantType {
	case "authorization_code":
		p.grantCode(w, r)
	case "refresh_token":
		p.grantRefresh(w, r)
	default:
		writeJSON(w, http.StatusBadRequest, oauthError("unsupported_grant_type", "Invalid grant_type: "+grantType))
	}
}

// injectFault delays or fails the request as the test's fault says, and
// reports whether it answered (or the request ended).
func (p *OAuth) injectFault(w http.ResponseWriter, r *http.Request, fault func(grantType string) (int, time.Duration), grantType string) bool {
	status, delay := fault(grantType)
	if delay > 0 {
		t := time.NewTimer(delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return true
		case <-p.done:
			t.Stop()
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": "server_error"})
			return true
		}
	}
	if status != 0 {
		writeJSON(w, status, map[string]string{"error": "server_error"})
		return true
	}
	return false
}

// checkClient answers with the test's recorded answer, or with Google's
// error for a wrong client, and returns false; else it returns true.
func (p *OAuth) checkClient(w http.ResponseWriter, r *http.Request, answer string) bool {
	clientID, clientSecret := clientCredentials(r)
	switch {
	case answer != "":
		writeSaid(w, answer)
	case !equalSecret(clientID, p.ClientID):
		writeSaid(w, "token/invalid-client-not-found")
	case clientSecret == "":
		writeSaid(w, "token/invalid-request-secret-missing")
	case !equalSecret(clientSecret, p.ClientSecret):
		writeSaid(w, "token/invalid-client-unauthorized")
	default:
		return true
	}
	return false
}

// clientCredentials reads the client's ID and secret from HTTP Basic
// authentication or, without it, from the form.
func clientCredentials(r *http.Request) (id, secret string) {
	id, secret, basic := r.BasicAuth()
	if !basic {
		return r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	// RFC 6749 section 2.3.1: both parts are form-urlencoded first.
	if s, err := url.QueryUnescape(id); err == nil {
		id = s
	}
	if s, err := url.QueryUnescape(secret); err == nil {
		secret = s
	}
	return id, secret
}

// tokenResponse is the JSON body of a successful token response.
type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	ExpiresIn    int64  `json:"expires_in"`
	RefreshToken string `json:"refresh_token,omitempty"`
	Scope        string `json:"scope"`
	TokenType    string `json:"token_type"`
	IDToken      string `json:"id_token,omitempty"`
	// RefreshTokenExpiresIn is the refresh token's remaining lifetime in
	// seconds, sent for a time-limited consent (an app in Testing).
	RefreshTokenExpiresIn int64 `json:"refresh_token_expires_in,omitempty"`
}

// testingRefreshLifetime is how long a refresh token lives when consent was
// given while the app was in Testing: 7 days.
const testingRefreshLifetime = 7 * 24 * time.Hour

// grantCode redeems an authorization code.
func (p *OAuth) grantCode(w http.ResponseWriter, r *http.Request) {
	code := r.PostForm.Get("code")
	verifier := r.PostForm.Get("code_verifier")
	redirectURI := r.PostForm.Get("redirect_uri")
	sum := sha256.Sum256([]byte(verifier))
	computed := base64.RawURLEncoding.EncodeToString(sum[:])

	p.mu.Lock()
	now := p.now()
	c := p.codes[code]
	if c == nil || c.used || !now.Before(c.expires) || c.clientID != p.ClientID ||
		c.redirectURI != redirectURI || verifier == "" ||
		subtle.ConstantTimeCompare([]byte(computed), []byte(c.challenge)) != 1 {
		if c != nil {
			c.used = true // a code gets one redemption attempt
		}
		p.mu.Unlock()
		writeSaid(w, "token/invalid-grant-bad-request")
		return
	}
	c.used = true
	p.nextGrant++
	grant := p.nextGrant
	resp := tokenResponse{
		AccessToken: p.newAccessLocked(grant, c.user, c.scope, now),
		ExpiresIn:   int64(p.accessTTL / time.Second),
		Scope:       c.scope,
		TokenType:   "Bearer",
	}
	if c.offline {
		resp.RefreshToken = p.newRefreshLocked(grant, c.user, c.scope)
		if c.timeLimited {
			resp.RefreshTokenExpiresIn = int64(testingRefreshLifetime/time.Second) - 1
		}
	}
	p.mu.Unlock()

	p.mu.Lock()
	hd := p.hostedDomainLocked(c.user)
	p.mu.Unlock()
	resp.IDToken = p.idToken(c.user, hd, now)
	writeJSON(w, http.StatusOK, resp)
}

// grantRefresh redeems a refresh token.
func (p *OAuth) grantRefresh(w http.ResponseWriter, r *http.Request) {
	token := r.PostForm.Get("refresh_token")

	p.mu.Lock()
	rg := p.refresh[token]
	if rg == nil || rg.clientID != p.ClientID {
		p.mu.Unlock()
		writeSaid(w, "token/invalid-grant-expired")
		return
	}
	now := p.now()
	resp := tokenResponse{
		AccessToken: p.newAccessLocked(rg.grant, rg.user, rg.scope, now),
		ExpiresIn:   int64(p.accessTTL / time.Second),
		Scope:       rg.scope,
		TokenType:   "Bearer",
	}
	if p.rotate {
		delete(p.refresh, token)
		resp.RefreshToken = p.newRefreshLocked(rg.grant, rg.user, rg.scope)
	}
	p.mu.Unlock()

	writeJSON(w, http.StatusOK, resp)
}

// handleRevoke implements POST /revoke: revoking an access or refresh token
// revokes every token of the same grant, as Google does.
func (p *OAuth) handleRevoke(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		writeJSON(w, http.StatusBadRequest, oauthError("invalid_request", "Could not parse the request body."))
		return
	}
	token := r.Form.Get("token")

	p.mu.Lock()
	grant := 0
	if a := p.access[token]; a != nil {
		grant = a.grant
	} else if rg := p.refresh[token]; rg != nil {
		grant = rg.grant
	}
	if grant != 0 {
		for k, a := range p.access {
			if a.grant == grant {
				delete(p.access, k)
			}
		}
		for k, rg := range p.refresh {
			if rg.grant == grant {
				delete(p.refresh, k)
			}
		}
	}
	p.mu.Unlock()

	if grant == 0 {
		writeJSON(w, http.StatusBadRequest, oauthError("invalid_token", "Token expired or revoked"))
		return
	}
	writeJSON(w, http.StatusOK, struct{}{})
}

// newAccessLocked issues an access token; p.mu must be held.
func (p *OAuth) newAccessLocked(grant int, user, scope string, now time.Time) string {
	t := "ya29.test-" + randomToken()
	p.access[t] = &accessGrant{grant: grant, user: user, scope: scope, expires: now.Add(p.accessTTL)}
	return t
}

// newRefreshLocked issues a refresh token; p.mu must be held.
func (p *OAuth) newRefreshLocked(grant int, user, scope string) string {
	t := "1//test-" + randomToken()
	p.refresh[t] = &refreshGrant{grant: grant, clientID: p.ClientID, user: user, scope: scope}
	return t
}

// idToken returns an HS256-signed OpenID Connect ID token for user.
func (p *OAuth) idToken(user, hd string, now time.Time) string {
	header, _ := json.Marshal(map[string]string{"alg": "HS256", "kid": "test", "typ": "JWT"})
	c := map[string]any{
		"iss":            p.URL,
		"aud":            p.ClientID,
		"azp":            p.ClientID,
		"sub":            subject(user),
		"email":          user,
		"email_verified": true,
		"iat":            now.Unix(),
		"exp":            now.Add(time.Hour).Unix(),
	}
	if hd != "" {
		c["hd"] = hd // Google's claim for a Workspace account
	}
	p.mu.Lock()
	for k, v := range p.idClaims {
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
	}
	p.mu.Unlock()
	claims, _ := json.Marshal(c)
	enc := base64.RawURLEncoding
	signing := enc.EncodeToString(header) + "." + enc.EncodeToString(claims)
	mac := hmac.New(sha256.New, p.idKey)
	mac.Write([]byte(signing))
	return signing + "." + enc.EncodeToString(mac.Sum(nil))
}

// hostedDomainLocked is the Workspace domain of an address, or "" for a
// consumer account; p.mu must be held.
func (p *OAuth) hostedDomainLocked(email string) string {
	_, domain, ok := strings.Cut(strings.ToLower(email), "@")
	if !ok || !p.workspace[domain] {
		return ""
	}
	return domain
}

// subject derives a stable Google-style numeric account ID from an address.
func subject(email string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(email)))
	return fmt.Sprintf("10%019d", binary.BigEndian.Uint64(sum[:8])%1e19)
}

// oauthError builds an RFC 6749 error body.
func oauthError(code, description string) map[string]string {
	return map[string]string{"error": code, "error_description": description}
}

// writeJSON writes v as a non-cacheable JSON response.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"error":"server_error"}`)
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Pragma", "no-cache")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

// equalSecret compares two strings in constant time.
func equalSecret(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// randomToken returns 32 random bytes encoded as unpadded base64url.
func randomToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(errors.New("testpeer: crypto/rand failed: " + err.Error()))
	}
	return base64.RawURLEncoding.EncodeToString(b)
}
