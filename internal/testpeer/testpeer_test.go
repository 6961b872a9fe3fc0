package testpeer

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"net"
	"net/http"
	"net/smtp"
	"net/textproto"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	gosmtp "github.com/emersion/go-smtp"
	gomail "github.com/wneessen/go-mail"
	"golang.org/x/oauth2"
)

const (
	alice           = "alice@example.com"
	bob             = "bob@example.com"
	mallory         = "mallory@example.com"
	appPassword     = "abcdefghijklmnop"
	accountPassword = "correct horse battery staple"
)

var mailScopes = []string{gmailScope, "openid", "email"}

// ---------------------------------------------------------------- helpers

func startOAuth(t *testing.T, opts OAuthOptions) *OAuth {
	t.Helper()
	if opts.TestUsers == nil {
		opts.TestUsers = []string{alice, bob}
	}
	p, err := StartOAuth(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	return p
}

// loopback is the app's redirect listener: it records the query of the
// callback request.
type loopback struct {
	redirectURI string
	got         chan url.Values
}

func startLoopback(t *testing.T) *loopback {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	lb := &loopback{
		redirectURI: "http://" + ln.Addr().String() + "/callback",
		got:         make(chan url.Values, 10),
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		lb.got <- r.URL.Query()
		io.WriteString(w, "You may close this window.")
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return lb
}

func oauthConfig(p *OAuth, redirectURI string, style oauth2.AuthStyle) *oauth2.Config {
	return &oauth2.Config{
		ClientID:     p.ClientID,
		ClientSecret: p.ClientSecret,
		Endpoint:     oauth2.Endpoint{AuthURL: p.AuthURI(), TokenURL: p.TokenURI(), AuthStyle: style},
		RedirectURL:  redirectURI,
		Scopes:       mailScopes,
	}
}

// browse plays the browser: it opens authURL and returns the query the
// loopback listener received.
func browse(t *testing.T, lb *loopback, authURL string) url.Values {
	t.Helper()
	resp, err := http.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("browser got %s: %s", resp.Status, body)
	}
	select {
	case q := <-lb.got:
		return q
	case <-time.After(5 * time.Second):
		t.Fatal("no callback on the loopback listener")
		return nil
	}
}

// signIn runs the authorization request and returns the callback query.
func signIn(t *testing.T, lb *loopback, cfg *oauth2.Config, state, verifier string) url.Values {
	t.Helper()
	return browse(t, lb, cfg.AuthCodeURL(state,
		oauth2.AccessTypeOffline,
		oauth2.S256ChallengeOption(verifier),
		oauth2.SetAuthURLParam("prompt", "consent")))
}

// obtainToken runs the whole authorization-code + PKCE flow.
func obtainToken(t *testing.T, p *OAuth) *oauth2.Token {
	t.Helper()
	lb := startLoopback(t)
	cfg := oauthConfig(p, lb.redirectURI, oauth2.AuthStyleInParams)
	verifier := oauth2.GenerateVerifier()
	q := signIn(t, lb, cfg, "st", verifier)
	if q.Get("code") == "" {
		t.Fatalf("no code in callback: %v", q)
	}
	tok, err := cfg.Exchange(context.Background(), q.Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func wantRetrieveError(t *testing.T, err error, status int, code string) *oauth2.RetrieveError {
	t.Helper()
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		t.Fatalf("err = %v (%T), want *oauth2.RetrieveError", err, err)
	}
	if re.Response.StatusCode != status || re.ErrorCode != code {
		t.Fatalf("got %d %q (%s), want %d %q", re.Response.StatusCode, re.ErrorCode, re.ErrorDescription, status, code)
	}
	if ct := re.Response.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type = %q", ct)
	}
	if cc := re.Response.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control = %q", cc)
	}
	return re
}

func jwtClaims(t *testing.T, jwt string) (header, claims map[string]any) {
	t.Helper()
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 || parts[2] == "" {
		t.Fatalf("id_token is not a signed compact JWT: %q", jwt)
	}
	decode := func(s string) map[string]any {
		b, err := base64.RawURLEncoding.DecodeString(s)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]any{}
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	return decode(parts[0]), decode(parts[1])
}

// ---------------------------------------------------------------- CA

func TestCA(t *testing.T) {
	ca, err := NewCA(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(ca.CertFile)
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(b)
	if block == nil || block.Type != "CERTIFICATE" {
		t.Fatalf("ca.pem is not a PEM certificate")
	}
	caCert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	if !caCert.IsCA {
		t.Error("CA certificate is not a CA")
	}
	leaf := ca.ServerTLS.Certificates[0].Leaf
	for _, name := range []string{"127.0.0.1", "::1", "localhost"} {
		if _, err := leaf.Verify(x509.VerifyOptions{DNSName: name, Roots: ca.Pool}); err != nil {
			t.Errorf("leaf for %s: %v", name, err)
		}
	}
	if _, err := leaf.Verify(x509.VerifyOptions{DNSName: "smtp.gmail.com", Roots: ca.Pool}); err == nil {
		t.Error("leaf unexpectedly valid for smtp.gmail.com")
	}
}

// ---------------------------------------------------------------- OAuth

func TestOAuthAuthorizationCodeFlow(t *testing.T) {
	for _, tc := range []struct {
		name  string
		style oauth2.AuthStyle
	}{
		{"basic auth", oauth2.AuthStyleInHeader},
		{"form params", oauth2.AuthStyleInParams},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			p := startOAuth(t, OAuthOptions{})
			lb := startLoopback(t)
			cfg := oauthConfig(p, lb.redirectURI, tc.style)
			verifier := oauth2.GenerateVerifier()
			state := "state with spaces & symbols/+="

			q := signIn(t, lb, cfg, state, verifier)
			if q.Get("state") != state {
				t.Errorf("state = %q, want %q", q.Get("state"), state)
			}
			if q.Get("error") != "" || q.Get("code") == "" {
				t.Fatalf("callback = %v", q)
			}
			if q.Get("scope") != googleScopeSpelling(strings.Join(mailScopes, " ")) {
				t.Errorf("callback scope = %q", q.Get("scope"))
			}
			ar := p.LastAuthRequest()
			for k, want := range map[string]string{
				"access_type":           "offline",
				"prompt":                "consent",
				"code_challenge_method": "S256",
				"response_type":         "code",
				"client_id":             p.ClientID,
				"redirect_uri":          lb.redirectURI,
				"scope":                 strings.Join(mailScopes, " "),
			} {
				if got := ar.Get(k); got != want {
					t.Errorf("auth request %s = %q, want %q", k, got, want)
				}
			}

			tok, err := cfg.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(verifier))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(tok.AccessToken, "ya29.test-") || !strings.HasPrefix(tok.RefreshToken, "1//test-") {
				t.Errorf("access/refresh tokens lack the ya29.test-/1//test- prefixes")
			}
			if tok.TokenType != "Bearer" || tok.ExpiresIn != 3600 {
				t.Errorf("token_type %q expires_in %d", tok.TokenType, tok.ExpiresIn)
			}
			if d := time.Until(tok.Expiry); d < 59*time.Minute || d > 61*time.Minute {
				t.Errorf("expiry in %v", d)
			}
			if s, _ := tok.Extra("scope").(string); s != strings.Join(mailScopes, " ") {
				t.Errorf("scope = %q", s)
			}
			idToken, _ := tok.Extra("id_token").(string)
			header, claims := jwtClaims(t, idToken)
			if header["typ"] != "JWT" || header["alg"] == nil {
				t.Errorf("id_token header %v", header)
			}
			if claims["email"] != alice || claims["email_verified"] != true ||
				claims["aud"] != p.ClientID || claims["azp"] != p.ClientID || claims["iss"] != p.URL {
				t.Errorf("id_token claims %v", claims)
			}
			if sub, _ := claims["sub"].(string); sub == "" || strings.Trim(sub, "0123456789") != "" {
				t.Errorf("sub = %v", claims["sub"])
			}
			if email, scope, ok := p.Validate(tok.AccessToken); !ok || email != alice || !hasScope(scope, gmailScope) {
				t.Errorf("Validate = %q %q %v", email, scope, ok)
			}

			// The code is single-use.
			_, err = cfg.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(verifier))
			wantRetrieveError(t, err, 400, "invalid_grant")

			// Refresh.
			hits := p.TokenHits()
			ts := cfg.TokenSource(ctx, &oauth2.Token{RefreshToken: tok.RefreshToken})
			tok2, err := ts.Token()
			if err != nil {
				t.Fatal(err)
			}
			if p.TokenHits() != hits+1 {
				t.Errorf("TokenHits = %d, want %d", p.TokenHits(), hits+1)
			}
			if tok2.AccessToken == tok.AccessToken || tok2.RefreshToken != tok.RefreshToken {
				t.Errorf("refresh: access changed %v, refresh kept %v",
					tok2.AccessToken != tok.AccessToken, tok2.RefreshToken == tok.RefreshToken)
			}
			if _, _, ok := p.Validate(tok2.AccessToken); !ok {
				t.Error("refreshed access token invalid")
			}

			// Revoke the user: every token dies.
			p.RevokeUser(alice)
			for _, at := range []string{tok.AccessToken, tok2.AccessToken} {
				if _, _, ok := p.Validate(at); ok {
					t.Error("access token valid after RevokeUser")
				}
			}
			_, err = cfg.TokenSource(ctx, &oauth2.Token{RefreshToken: tok.RefreshToken}).Token()
			re := wantRetrieveError(t, err, 400, "invalid_grant")
			if re.ErrorDescription != "Token has been expired or revoked." {
				t.Errorf("description %q", re.ErrorDescription)
			}

			// Signing in again yields fresh, valid tokens.
			verifier = oauth2.GenerateVerifier()
			q = signIn(t, lb, cfg, "again", verifier)
			tok3, err := cfg.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(verifier))
			if err != nil {
				t.Fatal(err)
			}
			if _, _, ok := p.Validate(tok3.AccessToken); !ok {
				t.Error("new access token invalid")
			}
		})
	}
}

func TestOAuthCodeRedemptionErrors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		mutate func(cfg *oauth2.Config, code, verifier *string)
	}{
		{"wrong verifier", func(_ *oauth2.Config, _, v *string) { *v = oauth2.GenerateVerifier() }},
		{"missing verifier", func(_ *oauth2.Config, _, v *string) { *v = "" }},
		{"unknown code", func(_ *oauth2.Config, c, _ *string) { *c = "4/0test-nope" }},
		{"other redirect_uri", func(cfg *oauth2.Config, _, _ *string) { cfg.RedirectURL = "http://127.0.0.1:1/other" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := startOAuth(t, OAuthOptions{})
			lb := startLoopback(t)
			cfg := oauthConfig(p, lb.redirectURI, oauth2.AuthStyleInParams)
			verifier := oauth2.GenerateVerifier()
			code := signIn(t, lb, cfg, "s", verifier).Get("code")
			tc.mutate(cfg, &code, &verifier)
			var opts []oauth2.AuthCodeOption
			if verifier != "" {
				opts = append(opts, oauth2.VerifierOption(verifier))
			}
			_, err := cfg.Exchange(context.Background(), code, opts...)
			re := wantRetrieveError(t, err, 400, "invalid_grant")
			if re.ErrorDescription != "Bad Request" {
				t.Errorf("description %q", re.ErrorDescription)
			}
		})
	}
}

func TestOAuthRotateRefreshTokens(t *testing.T) {
	ctx := context.Background()
	p := startOAuth(t, OAuthOptions{})
	p.SetRotateRefreshTokens(true)
	tok := obtainToken(t, p)
	cfg := oauthConfig(p, "", oauth2.AuthStyleInParams)

	tok2, err := cfg.TokenSource(ctx, &oauth2.Token{RefreshToken: tok.RefreshToken}).Token()
	if err != nil {
		t.Fatal(err)
	}
	if tok2.RefreshToken == tok.RefreshToken || !strings.HasPrefix(tok2.RefreshToken, "1//test-") {
		t.Fatalf("refresh token not rotated")
	}
	_, err = cfg.TokenSource(ctx, &oauth2.Token{RefreshToken: tok.RefreshToken}).Token()
	wantRetrieveError(t, err, 400, "invalid_grant")
	if _, err := cfg.TokenSource(ctx, &oauth2.Token{RefreshToken: tok2.RefreshToken}).Token(); err != nil {
		t.Fatalf("rotated refresh token: %v", err)
	}
}

// Only the user's Cancel comes back to the app as access_denied.
func TestOAuthConsentCancelled(t *testing.T) {
	p := startOAuth(t, OAuthOptions{})
	p.SetDenyConsent(true)
	lb := startLoopback(t)
	cfg := oauthConfig(p, lb.redirectURI, oauth2.AuthStyleInParams)
	q := signIn(t, lb, cfg, "xyz", oauth2.GenerateVerifier())
	if q.Get("error") != "access_denied" || q.Get("code") != "" || q.Get("state") != "xyz" {
		t.Fatalf("callback = %v", q)
	}
}

// Google shows its own page for these and never redirects to the app.
func TestOAuthErrorPagesDoNotRedirect(t *testing.T) {
	for _, tc := range []struct {
		name   string
		setup  func(p *OAuth)
		status int
		want   []string
	}{
		{
			"not a test user", func(p *OAuth) { p.SetSignInAs(mallory) }, http.StatusForbidden,
			[]string{"Access blocked: mailkey has not completed the Google verification process", "developer-approved testers", "Error 403: access_denied"},
		},
		{
			"outside an Internal app's organisation", func(p *OAuth) { p.SetInternal("example.org") }, http.StatusForbidden,
			[]string{"Access blocked", "Error 403: org_internal"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := startOAuth(t, OAuthOptions{})
			tc.setup(p)
			lb := startLoopback(t)
			cfg := oauthConfig(p, lb.redirectURI, oauth2.AuthStyleInParams)
			page := Fetch(cfg.AuthCodeURL("xyz", oauth2.S256ChallengeOption(oauth2.GenerateVerifier())))
			if page.Status != tc.status {
				t.Errorf("status %d, want %d", page.Status, tc.status)
			}
			for _, w := range tc.want {
				if !strings.Contains(page.Body, w) {
					t.Errorf("page lacks %q: %s", w, page.Body)
				}
			}
			select {
			case q := <-lb.got:
				t.Fatalf("the browser came back to the app with %v", q)
			case <-time.After(100 * time.Millisecond):
			}
		})
	}
}

// In Testing a consent lasts 7 days and the token response says so; in
// production, or for an Internal app, it has no end. A Workspace address
// carries hd.
func TestOAuthPublishingStatus(t *testing.T) {
	for _, tc := range []struct {
		name    string
		setup   func(p *OAuth)
		expires float64
		hd      string
	}{
		{"testing", func(*OAuth) {}, 7*24*3600 - 1, ""},
		{"testing, workspace test user", func(p *OAuth) { p.SetWorkspace("example.com") }, 7*24*3600 - 1, "example.com"},
		{"in production, anyone", func(p *OAuth) { p.SetInProduction(true); p.SetSignInAs(mallory) }, 0, ""},
		{"internal, workspace user", func(p *OAuth) { p.SetInternal("example.com"); p.SetSignInAs("zoe@Example.com") }, 0, "example.com"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := startOAuth(t, OAuthOptions{})
			tc.setup(p)
			tok := obtainToken(t, p)
			got, _ := tok.Extra("refresh_token_expires_in").(float64)
			if got != tc.expires {
				t.Errorf("refresh_token_expires_in %v, want %v", got, tc.expires)
			}
			parts := strings.Split(tok.Extra("id_token").(string), ".")
			payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
			var claims struct{ HD string }
			_ = json.Unmarshal(payload, &claims)
			if claims.HD != tc.hd {
				t.Errorf("hd %q, want %q", claims.HD, tc.hd)
			}
		})
	}
}

func TestOAuthBadAuthorizationRequests(t *testing.T) {
	p := startOAuth(t, OAuthOptions{})
	good := url.Values{
		"client_id":             {p.ClientID},
		"redirect_uri":          {"http://127.0.0.1:4567/"},
		"response_type":         {"code"},
		"scope":                 {gmailScope},
		"code_challenge":        {oauth2.S256ChallengeFromVerifier(oauth2.GenerateVerifier())},
		"code_challenge_method": {"S256"},
		"state":                 {"s"},
	}
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, tc := range []struct {
		name       string
		key, value string // value "" deletes key
		wantStatus int
		wantText   string
	}{
		{"valid", "", "", http.StatusFound, ""},
		{"IPv6 loopback", "redirect_uri", "http://[::1]:4567/cb", http.StatusFound, ""},
		{"unknown client", "client_id", "nope.apps.googleusercontent.com", 401, "Error 401: invalid_client"},
		{"localhost redirect", "redirect_uri", "http://localhost:4567/", 400, "redirect_uri_mismatch"},
		{"https redirect", "redirect_uri", "https://127.0.0.1:4567/", 400, "redirect_uri_mismatch"},
		{"redirect without port", "redirect_uri", "http://127.0.0.1/", 400, "redirect_uri_mismatch"},
		{"foreign redirect", "redirect_uri", "http://example.com:4567/", 400, "redirect_uri_mismatch"},
		{"no redirect", "redirect_uri", "", 400, "redirect_uri_mismatch"},
		{"token response type", "response_type", "token", 400, "invalid_request"},
		{"no challenge", "code_challenge", "", 400, "invalid_request"},
		{"plain challenge", "code_challenge_method", "plain", 400, "invalid_request"},
		{"no scope", "scope", "", 400, "invalid_request"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := url.Values{}
			for k, v := range good {
				q[k] = v
			}
			if tc.key != "" {
				if tc.value == "" {
					q.Del(tc.key)
				} else {
					q.Set(tc.key, tc.value)
				}
			}
			resp, err := noRedirect.Get(p.AuthURI() + "?" + q.Encode())
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.wantStatus || !strings.Contains(string(body), tc.wantText) {
				t.Fatalf("got %d %q, want %d containing %q", resp.StatusCode, body, tc.wantStatus, tc.wantText)
			}
			if tc.wantStatus == http.StatusFound {
				loc, err := url.Parse(resp.Header.Get("Location"))
				if err != nil || loc.Query().Get("code") == "" || loc.Query().Get("state") != "s" {
					t.Errorf("Location = %q", resp.Header.Get("Location"))
				}
			}
			if got := p.LastAuthRequest().Get("state"); got != "s" {
				t.Errorf("LastAuthRequest state = %q", got)
			}
		})
	}
}

func TestOAuthTokenEndpointErrors(t *testing.T) {
	ctx := context.Background()
	p := startOAuth(t, OAuthOptions{})
	tok := obtainToken(t, p)

	t.Run("wrong client secret", func(t *testing.T) {
		for _, style := range []oauth2.AuthStyle{oauth2.AuthStyleInHeader, oauth2.AuthStyleInParams} {
			cfg := oauthConfig(p, "", style)
			cfg.ClientSecret = "GOCSPX-wrong"
			_, err := cfg.TokenSource(ctx, &oauth2.Token{RefreshToken: tok.RefreshToken}).Token()
			re := wantRetrieveError(t, err, 401, "invalid_client")
			if re.ErrorDescription != "Unauthorized" { // Google's words for a wrong secret
				t.Errorf("description %q", re.ErrorDescription)
			}
		}
	})

	t.Run("missing client credentials", func(t *testing.T) {
		resp, err := http.PostForm(p.TokenURI(), url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok.RefreshToken}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 401 {
			t.Errorf("status %d", resp.StatusCode)
		}
	})

	t.Run("unsupported grant type", func(t *testing.T) {
		resp, err := http.PostForm(p.TokenURI(), url.Values{
			"grant_type": {"password"}, "client_id": {p.ClientID}, "client_secret": {p.ClientSecret},
		})
		if err != nil {
			t.Fatal(err)
		}
		var body map[string]string
		json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if resp.StatusCode != 400 || body["error"] != "unsupported_grant_type" {
			t.Errorf("got %d %v", resp.StatusCode, body)
		}
	})

	t.Run("unknown refresh token", func(t *testing.T) {
		cfg := oauthConfig(p, "", oauth2.AuthStyleInParams)
		_, err := cfg.TokenSource(ctx, &oauth2.Token{RefreshToken: "1//test-unknown"}).Token()
		wantRetrieveError(t, err, 400, "invalid_grant")
	})

	t.Run("faults", func(t *testing.T) {
		for _, tc := range []struct {
			name       string
			status     int
			delay      time.Duration
			timeout    time.Duration
			wantStatus int // 0 = success
			wantCtxErr bool
		}{
			{"500", 500, 0, 0, 500, false},
			{"503 after delay", 503, 50 * time.Millisecond, 0, 503, false},
			{"delay only", 0, 50 * time.Millisecond, 0, 0, false},
			{"slower than client", 503, 10 * time.Second, 100 * time.Millisecond, 0, true},
		} {
			t.Run(tc.name, func(t *testing.T) {
				var (
					mu   sync.Mutex
					seen []string
				)
				p.SetTokenFault(func(grantType string) (int, time.Duration) {
					mu.Lock()
					defer mu.Unlock()
					seen = append(seen, grantType)
					return tc.status, tc.delay
				})
				defer p.SetTokenFault(nil)
				hits := p.TokenHits()
				cctx := ctx
				if tc.timeout > 0 {
					var cancel context.CancelFunc
					cctx, cancel = context.WithTimeout(ctx, tc.timeout)
					defer cancel()
				}
				start := time.Now()
				cfg := oauthConfig(p, "", oauth2.AuthStyleInParams)
				_, err := cfg.TokenSource(cctx, &oauth2.Token{RefreshToken: tok.RefreshToken}).Token()
				switch {
				case tc.wantCtxErr:
					if !errors.Is(err, context.DeadlineExceeded) {
						t.Fatalf("err = %v, want deadline exceeded", err)
					}
					if time.Since(start) > 5*time.Second {
						t.Error("fault delay did not honour the request context")
					}
				case tc.wantStatus != 0:
					wantRetrieveError(t, err, tc.wantStatus, "server_error")
				default:
					if err != nil {
						t.Fatal(err)
					}
				}
				if tc.delay > 0 && !tc.wantCtxErr && time.Since(start) < tc.delay {
					t.Error("fault delay not applied")
				}
				if p.TokenHits() != hits+1 {
					t.Errorf("TokenHits went from %d to %d", hits, p.TokenHits())
				}
				mu.Lock()
				defer mu.Unlock()
				if len(seen) != 1 || seen[0] != "refresh_token" {
					t.Errorf("fault saw %v", seen)
				}
			})
		}
	})
}

func TestOAuthGrantedScopeAndExpiry(t *testing.T) {
	ctx := context.Background()
	p := startOAuth(t, OAuthOptions{AccessTTL: 10 * time.Minute})
	p.SetGrantedScope("openid  email")
	tok := obtainToken(t, p)
	if s, _ := tok.Extra("scope").(string); s != "openid email" {
		t.Errorf("scope = %q", s)
	}
	if tok.ExpiresIn != 600 {
		t.Errorf("expires_in = %d", tok.ExpiresIn)
	}
	_, scope, ok := p.Validate(tok.AccessToken)
	if !ok || hasScope(scope, gmailScope) {
		t.Errorf("Validate = %q %v", scope, ok)
	}

	p.ExpireAccessTokens()
	if _, _, ok := p.Validate(tok.AccessToken); ok {
		t.Error("access token valid after ExpireAccessTokens")
	}
	tok2, err := oauthConfig(p, "", oauth2.AuthStyleInParams).TokenSource(ctx, &oauth2.Token{RefreshToken: tok.RefreshToken}).Token()
	if err != nil {
		t.Fatal(err)
	}
	if _, scope, ok := p.Validate(tok2.AccessToken); !ok || scope != "openid email" {
		t.Errorf("refreshed Validate = %q %v", scope, ok)
	}
}

func TestOAuthNoRefreshTokenWithoutOfflineAccess(t *testing.T) {
	p := startOAuth(t, OAuthOptions{})
	lb := startLoopback(t)
	cfg := oauthConfig(p, lb.redirectURI, oauth2.AuthStyleInParams)
	verifier := oauth2.GenerateVerifier()
	q := browse(t, lb, cfg.AuthCodeURL("s", oauth2.S256ChallengeOption(verifier)))
	tok, err := cfg.Exchange(context.Background(), q.Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatal(err)
	}
	if tok.RefreshToken != "" {
		t.Errorf("refresh token issued without access_type=offline")
	}
}

func TestOAuthRevokeEndpoint(t *testing.T) {
	p := startOAuth(t, OAuthOptions{})
	tok := obtainToken(t, p)
	resp, err := http.PostForm(p.RevokeURI(), url.Values{"token": {tok.RefreshToken}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("revoke status %d", resp.StatusCode)
	}
	if _, _, ok := p.Validate(tok.AccessToken); ok {
		t.Error("access token of the revoked grant still valid")
	}
	resp, err = http.PostForm(p.RevokeURI(), url.Values{"token": {tok.RefreshToken}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 {
		t.Errorf("second revoke status %d", resp.StatusCode)
	}
}

func TestOAuthClientJSON(t *testing.T) {
	p := startOAuth(t, OAuthOptions{ClientID: "42-x.apps.googleusercontent.com", ClientSecret: "GOCSPX-other"})
	for _, kind := range []string{"installed", "web"} {
		t.Run(kind, func(t *testing.T) {
			var doc map[string]struct {
				ClientID     string   `json:"client_id"`
				ProjectID    string   `json:"project_id"`
				AuthURI      string   `json:"auth_uri"`
				TokenURI     string   `json:"token_uri"`
				CertURL      string   `json:"auth_provider_x509_cert_url"`
				ClientSecret string   `json:"client_secret"`
				RedirectURIs []string `json:"redirect_uris"`
			}
			if err := json.Unmarshal(p.ClientJSON(kind), &doc); err != nil {
				t.Fatal(err)
			}
			c, ok := doc[kind]
			if !ok || len(doc) != 1 {
				t.Fatalf("doc = %v", doc)
			}
			if c.ClientID != "42-x.apps.googleusercontent.com" || c.ClientSecret != "GOCSPX-other" ||
				c.ProjectID != "mailkey-test" || c.AuthURI != p.AuthURI() || c.TokenURI != p.TokenURI() ||
				c.CertURL != "https://www.googleapis.com/oauth2/v1/certs" ||
				len(c.RedirectURIs) != 1 || c.RedirectURIs[0] != "http://localhost" {
				t.Errorf("client = %+v", c)
			}
		})
	}
}

// ---------------------------------------------------------------- SMTP

type smtpEnv struct {
	ca    *CA
	oauth *OAuth
	smtp  *SMTP
}

func startSMTPEnv(t *testing.T, withTLS bool) *smtpEnv {
	t.Helper()
	ca, err := NewCA(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	p := startOAuth(t, OAuthOptions{})
	opts := SMTPOptions{
		Passwords:        map[string]string{alice: appPassword, bob: "qrstuvwxyzabcdef"},
		AccountPasswords: map[string]string{alice: accountPassword},
		Tokens:           p,
	}
	if withTLS {
		opts.TLS = ca.ServerTLS
	}
	s, err := StartSMTP(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return &smtpEnv{ca: ca, oauth: p, smtp: s}
}

func hostPort(t *testing.T, rawURL string) string {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" {
		t.Fatalf("bad URL %q", rawURL)
	}
	return u.Host
}

func (e *smtpEnv) clientTLS() *tls.Config {
	return &tls.Config{RootCAs: e.ca.Pool, ServerName: "127.0.0.1"}
}

func (e *smtpEnv) dialStartTLS(t *testing.T) *smtp.Client {
	t.Helper()
	c, err := smtp.Dial(hostPort(t, e.smtp.StartTLSURL()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if err := c.StartTLS(e.clientTLS()); err != nil {
		t.Fatal(err)
	}
	return c
}

func (e *smtpEnv) dialImplicit(t *testing.T) *smtp.Client {
	t.Helper()
	conn, err := tls.Dial("tcp", hostPort(t, e.smtp.ImplicitTLSURL()), e.clientTLS())
	if err != nil {
		t.Fatal(err)
	}
	c, err := smtp.NewClient(conn, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func send(c *smtp.Client, from string, to []string, body string) error {
	if err := c.Mail(from); err != nil {
		return err
	}
	for _, r := range to {
		if err := c.Rcpt(r); err != nil {
			return err
		}
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := io.WriteString(w, body); err != nil {
		return err
	}
	return w.Close()
}

func wantSMTPError(t *testing.T, err error, code int, enhanced string) {
	t.Helper()
	var te *textproto.Error
	if !errors.As(err, &te) {
		t.Fatalf("err = %v (%T), want *textproto.Error", err, err)
	}
	if te.Code != code || !strings.HasPrefix(te.Msg, enhanced+" ") {
		t.Fatalf("got %d %q, want %d %s", te.Code, te.Msg, code, enhanced)
	}
}

// xoauth2 is a net/smtp XOAUTH2 client that records server challenges.
type xoauth2 struct {
	user, token string
	challenges  []string
}

func (a *xoauth2) Start(*smtp.ServerInfo) (string, []byte, error) {
	return "XOAUTH2", []byte("user=" + a.user + "\x01auth=Bearer " + a.token + "\x01\x01"), nil
}

func (a *xoauth2) Next(fromServer []byte, more bool) ([]byte, error) {
	if more {
		a.challenges = append(a.challenges, string(fromServer))
		return []byte{}, nil
	}
	return nil, nil
}

const testMessage = "From: alice@example.com\r\nTo: bob@example.com\r\nSubject: hi\r\n\r\nHello Bob.\r\n.leading dot\r\n"

func TestSMTPSendWithAppPassword(t *testing.T) {
	e := startSMTPEnv(t, true)
	for i, tc := range []struct {
		name string
		dial func(*testing.T) *smtp.Client
	}{
		{"STARTTLS", e.dialStartTLS},
		{"implicit TLS", e.dialImplicit},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.dial(t)
			if ok, mechs := c.Extension("AUTH"); !ok || mechs != "LOGIN PLAIN XOAUTH2 PLAIN-CLIENTTOKEN OAUTHBEARER XOAUTH" {
				t.Errorf("AUTH extension = %v %q", ok, mechs)
			}
			if err := c.Auth(smtp.PlainAuth("", alice, appPassword, "127.0.0.1")); err != nil {
				t.Fatal(err)
			}
			if err := send(c, alice, []string{bob, mallory}, testMessage); err != nil {
				t.Fatal(err)
			}
			if err := c.Quit(); err != nil {
				t.Fatal(err)
			}
			msgs := e.smtp.Messages()
			if len(msgs) != i+1 {
				t.Fatalf("%d messages", len(msgs))
			}
			m := msgs[i]
			if m.From != alice || len(m.To) != 2 || m.To[0] != bob || m.To[1] != mallory ||
				m.Mech != "PLAIN" || m.User != alice || string(m.Data) != testMessage {
				t.Errorf("received %+v", m)
			}
		})
	}
	if e.smtp.AuthAttempts() != 2 {
		t.Errorf("AuthAttempts = %d", e.smtp.AuthAttempts())
	}
}

func TestSMTPPlainFailures(t *testing.T) {
	e := startSMTPEnv(t, true)
	for _, tc := range []struct {
		name, user, pass string
		code             int
		enhanced, text   string
	}{
		{"wrong password", alice, "abcdefghijklmnoq", 535, "5.7.8", "p=BadCredentials"},
		{"spaced app password", alice, "abcd efgh ijkl mnop", 535, "5.7.8", "p=BadCredentials"},
		{"other user's app password", alice, "qrstuvwxyzabcdef", 535, "5.7.8", "p=BadCredentials"},
		{"unknown user", mallory, appPassword, 535, "5.7.8", "Username and Password not accepted"},
		{"account password", alice, accountPassword, 534, "5.7.9", "Application-specific password required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := e.smtp.AuthAttempts()
			c := e.dialStartTLS(t)
			err := c.Auth(smtp.PlainAuth("", tc.user, tc.pass, "127.0.0.1"))
			wantSMTPError(t, err, tc.code, tc.enhanced)
			if !strings.Contains(err.Error(), tc.text) {
				t.Errorf("err = %v", err)
			}
			if e.smtp.AuthAttempts() != before+1 {
				t.Errorf("AuthAttempts %d → %d", before, e.smtp.AuthAttempts())
			}
		})
	}
	if n := len(e.smtp.Messages()); n != 0 {
		t.Errorf("%d messages", n)
	}
}

func TestSMTPRequiresTLSAndAuth(t *testing.T) {
	e := startSMTPEnv(t, true)

	c, err := smtp.Dial(hostPort(t, e.smtp.StartTLSURL()))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Hello("client.test"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := c.Extension("STARTTLS"); !ok {
		t.Error("STARTTLS not offered")
	}
	if ok, _ := c.Extension("AUTH"); ok {
		t.Error("AUTH offered before TLS")
	}
	wantSMTPError(t, c.Mail(alice), 530, "5.7.0")

	if err := c.StartTLS(e.clientTLS()); err != nil {
		t.Fatal(err)
	}
	err = c.Mail(alice)
	wantSMTPError(t, err, 530, "5.7.0")
	if !strings.Contains(err.Error(), "Authentication Required.") {
		t.Errorf("err = %v", err)
	}
}

func TestSMTPWithoutTLS(t *testing.T) {
	e := startSMTPEnv(t, false)
	if u := e.smtp.ImplicitTLSURL(); u != "" {
		t.Errorf("ImplicitTLSURL = %q", u)
	}
	c, err := smtp.Dial(hostPort(t, e.smtp.StartTLSURL()))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Hello("client.test"); err != nil {
		t.Fatal(err)
	}
	for _, ext := range []string{"STARTTLS", "AUTH"} {
		if ok, _ := c.Extension(ext); ok {
			t.Errorf("%s offered", ext)
		}
	}
	// net/smtp allows PLAIN in clear text towards 127.0.0.1; the server must not.
	wantSMTPError(t, c.Auth(smtp.PlainAuth("", alice, appPassword, "127.0.0.1")), 523, "5.7.10")
}

func TestSMTPXOAUTH2(t *testing.T) {
	e := startSMTPEnv(t, true)
	// bob's first access token expires; every token obtained afterwards is fresh.
	e.oauth.SetSignInAs(bob)
	expired := obtainToken(t, e.oauth)
	e.oauth.ExpireAccessTokens()
	bobFresh, err := oauthConfig(e.oauth, "", oauth2.AuthStyleInParams).
		TokenSource(context.Background(), &oauth2.Token{RefreshToken: expired.RefreshToken}).Token()
	if err != nil {
		t.Fatal(err)
	}
	e.oauth.SetSignInAs(alice)
	good := obtainToken(t, e.oauth)
	e.oauth.SetGrantedScope("openid email")
	noMail := obtainToken(t, e.oauth)
	e.oauth.SetGrantedScope("")

	for _, tc := range []struct {
		name, user, token string
		wantStatus        string // "" = success
	}{
		{"valid", alice, good.AccessToken, ""},
		{"valid, user case differs", "Alice@Example.com", good.AccessToken, ""},
		{"unknown token", alice, "ya29.test-unknown", "401"},
		{"expired token", bob, expired.AccessToken, "401"},
		{"token of another user", alice, bobFresh.AccessToken, "400"},
		{"mail scope not granted", alice, noMail.AccessToken, "400"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, dial := range []func(*testing.T) *smtp.Client{e.dialStartTLS, e.dialImplicit} {
				c := dial(t)
				a := &xoauth2{user: tc.user, token: tc.token}
				err := c.Auth(a)
				if tc.wantStatus == "" {
					if err != nil {
						t.Fatal(err)
					}
					if len(a.challenges) != 0 {
						t.Errorf("challenges %q", a.challenges)
					}
					n := len(e.smtp.Messages())
					if err := send(c, alice, []string{bob}, testMessage); err != nil {
						t.Fatal(err)
					}
					m := e.smtp.Messages()[n]
					if m.Mech != "XOAUTH2" || m.User != tc.user {
						t.Errorf("received %+v", m)
					}
					continue
				}
				wantSMTPError(t, err, 535, "5.7.8")
				if len(a.challenges) != 1 {
					t.Fatalf("challenges %q", a.challenges)
				}
				var ch map[string]string
				if err := json.Unmarshal([]byte(a.challenges[0]), &ch); err != nil {
					t.Fatalf("challenge %q: %v", a.challenges[0], err)
				}
				if ch["status"] != tc.wantStatus || !strings.EqualFold(ch["schemes"], "Bearer") || ch["scope"] != gmailScope {
					t.Errorf("challenge = %v", ch)
				}
			}
		})
	}
}

func TestSMTPXOAUTH2WithoutValidator(t *testing.T) {
	ca, err := NewCA(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	s, err := StartSMTP(SMTPOptions{TLS: ca.ServerTLS})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	e := &smtpEnv{ca: ca, smtp: s}
	c := e.dialImplicit(t)
	a := &xoauth2{user: alice, token: "ya29.anything"}
	wantSMTPError(t, c.Auth(a), 535, "5.7.8")
	if len(a.challenges) != 1 || !strings.Contains(a.challenges[0], `"status":"401"`) {
		t.Errorf("challenges %q", a.challenges)
	}
}

func TestSMTPReplyFaults(t *testing.T) {
	e := startSMTPEnv(t, true)
	for _, tc := range []struct {
		stage    string
		code     int
		enhanced string
	}{
		{"mail", 421, "4.7.0"},
		{"mail", 454, "4.7.0"},
		{"rcpt", 550, "5.4.5"},
		{"data", 552, "5.3.4"},
	} {
		t.Run(tc.stage+" "+strconv.Itoa(tc.code), func(t *testing.T) {
			var stages []string
			e.smtp.SetReplyFault(func(stage string) error {
				stages = append(stages, stage)
				if stage != tc.stage {
					return nil
				}
				var ec gosmtp.EnhancedCode
				for i, p := range strings.Split(tc.enhanced, ".") {
					ec[i], _ = strconv.Atoi(p)
				}
				return &gosmtp.SMTPError{Code: tc.code, EnhancedCode: ec, Message: "injected fault"}
			})
			defer e.smtp.SetReplyFault(nil)
			c := e.dialStartTLS(t)
			if err := c.Auth(smtp.PlainAuth("", alice, appPassword, "127.0.0.1")); err != nil {
				t.Fatal(err)
			}
			before := len(e.smtp.Messages())
			wantSMTPError(t, send(c, alice, []string{bob}, testMessage), tc.code, tc.enhanced)
			if stages[len(stages)-1] != tc.stage {
				t.Errorf("stages %v", stages)
			}
			if n := len(e.smtp.Messages()); n != before {
				t.Errorf("message recorded despite fault")
			}
		})
	}
	// Without the fault the same connection flow succeeds.
	c := e.dialStartTLS(t)
	if err := c.Auth(smtp.PlainAuth("", alice, appPassword, "127.0.0.1")); err != nil {
		t.Fatal(err)
	}
	if err := send(c, alice, []string{bob}, testMessage); err != nil {
		t.Fatal(err)
	}
}

// TestSMTPGoMail proves interoperability with the client library mailkey
// uses.
func TestSMTPGoMail(t *testing.T) {
	e := startSMTPEnv(t, true)
	tok := obtainToken(t, e.oauth)
	for _, tc := range []struct {
		name     string
		implicit bool
		auth     gomail.SMTPAuthType
		secret   string
	}{
		{"STARTTLS PLAIN", false, gomail.SMTPAuthPlain, appPassword},
		{"implicit TLS PLAIN", true, gomail.SMTPAuthPlain, appPassword},
		{"STARTTLS XOAUTH2", false, gomail.SMTPAuthXOAUTH2, tok.AccessToken},
		{"implicit TLS XOAUTH2", true, gomail.SMTPAuthXOAUTH2, tok.AccessToken},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raw := e.smtp.StartTLSURL()
			if tc.implicit {
				raw = e.smtp.ImplicitTLSURL()
			}
			_, portStr, _ := net.SplitHostPort(hostPort(t, raw))
			port, _ := strconv.Atoi(portStr)
			opts := []gomail.Option{
				gomail.WithPort(port),
				gomail.WithTLSConfig(e.clientTLS()),
				gomail.WithSMTPAuth(tc.auth),
				gomail.WithUsername(alice),
				gomail.WithPassword(tc.secret),
				gomail.WithTimeout(10 * time.Second),
			}
			if tc.implicit {
				opts = append(opts, gomail.WithSSL())
			} else {
				opts = append(opts, gomail.WithTLSPortPolicy(gomail.TLSMandatory))
			}
			client, err := gomail.NewClient("127.0.0.1", opts...)
			if err != nil {
				t.Fatal(err)
			}
			msg := gomail.NewMsg()
			if err := msg.From(alice); err != nil {
				t.Fatal(err)
			}
			if err := msg.To(bob); err != nil {
				t.Fatal(err)
			}
			msg.Subject(tc.name)
			msg.SetBodyString(gomail.TypeTextPlain, "hello")
			n := len(e.smtp.Messages())
			if err := client.DialAndSend(msg); err != nil {
				t.Fatal(err)
			}
			m := e.smtp.Messages()[n]
			if m.Mech != string(tc.auth) || m.User != alice || !strings.Contains(string(m.Data), "Subject: "+tc.name) {
				t.Errorf("received %+v", m)
			}
		})
	}

	t.Run("bad password", func(t *testing.T) {
		_, portStr, _ := net.SplitHostPort(hostPort(t, e.smtp.StartTLSURL()))
		port, _ := strconv.Atoi(portStr)
		client, err := gomail.NewClient("127.0.0.1", gomail.WithPort(port), gomail.WithTLSConfig(e.clientTLS()),
			gomail.WithTLSPortPolicy(gomail.TLSMandatory), gomail.WithSMTPAuth(gomail.SMTPAuthPlain),
			gomail.WithUsername(alice), gomail.WithPassword(accountPassword))
		if err != nil {
			t.Fatal(err)
		}
		msg := gomail.NewMsg()
		msg.From(alice)
		msg.To(bob)
		msg.SetBodyString(gomail.TypeTextPlain, "x")
		err = client.DialAndSend(msg)
		if err == nil || !strings.Contains(err.Error(), "5.7.9") {
			t.Fatalf("err = %v", err)
		}
	})
}
