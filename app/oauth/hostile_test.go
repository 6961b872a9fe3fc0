package oauth

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/mailkey-app/mailkey/app/google"
	"github.com/mailkey-app/mailkey/internal/testpeer"
	"golang.org/x/oauth2"
)

// blackHole returns the URL of a token endpoint that accepts the
// connection and never answers.
func blackHole(t *testing.T) string {
	t.Helper()
	b, err := testpeer.StartBlackHole()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	return "http://" + b.Addr + "/token"
}

// shortTokenTimeout bounds token requests to d for the test.
func shortTokenTimeout(t *testing.T, d time.Duration) {
	t.Helper()
	old := SetTokenTimeout(d)
	t.Cleanup(func() { SetTokenTimeout(old) })
}

// TestExchangeStallNamesTheTokenEndpoint: the browser came back, but the
// token endpoint accepts the code exchange and never answers. Login must end
// within the token timeout and say that the token endpoint stalled, not the
// browser.
func TestExchangeStallNamesTheTokenEndpoint(t *testing.T) {
	_, client := provider(t)
	client.TokenURI = blackHole(t)
	shortTokenTimeout(t, 300*time.Millisecond)
	start := time.Now()
	_, err := login(context.Background(), client, testpeer.Browse, 4*time.Second)
	took := time.Since(start)
	t.Logf("Login with a stalled token endpoint: %v after %v", err, took.Round(time.Millisecond))
	if took > 2*time.Second {
		t.Errorf("Login took %v, want the token timeout (300ms) plus the browser's round trip", took)
	}
	if !errors.Is(err, ErrExchange) || !errors.Is(err, ErrStalled) {
		t.Errorf("error %v: want ErrExchange and ErrStalled", err)
	}
	host := strings.TrimSuffix(strings.TrimPrefix(client.TokenURI, "http://"), "/token")
	if err == nil || !strings.Contains(err.Error(), "token endpoint ("+host+") did not answer within") ||
		strings.Contains(err.Error(), "browser") {
		t.Errorf("message %q: want it to name the token endpoint %s, not the browser", err, host)
	}
}

// TestRefreshStallIsBounded: a refresh against a token endpoint that never
// answers ends within the token timeout with a temporary error naming the
// endpoint; cancelling the context instead surfaces as cancelled.
func TestRefreshStallIsBounded(t *testing.T) {
	_, client := provider(t)
	client.TokenURI = blackHole(t)
	shortTokenTimeout(t, 300*time.Millisecond)

	done := make(chan error, 1)
	start := time.Now()
	go func() {
		_, err := NewTokenSource(context.Background(), client, &oauth2.Token{RefreshToken: "1//r"}, nopSaver{}).Token()
		done <- err
	}()
	select {
	case err := <-done:
		t.Logf("refresh against a stalled endpoint: %v after %v", err, time.Since(start).Round(time.Millisecond))
		if !errors.Is(err, ErrExchange) || !errors.Is(err, ErrStalled) || errors.Is(err, ErrNeedsSignIn) {
			t.Errorf("error %v: want a temporary ErrExchange/ErrStalled", err)
		}
		if err == nil || !strings.Contains(err.Error(), "did not answer within 300ms") || !strings.Contains(err.Error(), "try again later") {
			t.Errorf("message %q", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the refresh still hangs after 5 s: no deadline on the token endpoint")
	}

	ctx, cancel := context.WithCancel(context.Background())
	SetTokenTimeout(time.Minute)
	go func() {
		_, err := NewTokenSource(ctx, client, &oauth2.Token{RefreshToken: "1//r"}, nopSaver{}).Token()
		done <- err
	}()
	time.Sleep(100 * time.Millisecond)
	cancel() // Ctrl-C
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("refresh cancelled by the user: %v, want context.Canceled in the chain", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the refresh ignored the cancellation")
	}
}

type nopSaver struct{}

func (nopSaver) SaveToken(context.Context, *oauth2.Token) error { return nil }

// TestTokenReplyNotJSON: a token endpoint (or a proxy or captive portal in
// front of it) that answers HTML or an oversized body is reported as such,
// with the HTTP status, not as unreachable.
func TestTokenReplyNotJSON(t *testing.T) {
	for _, tt := range []struct {
		name, ctype, body, want string
		status                  int
	}{
		{"html 200", "text/html", "<html><body>Sign in to the Wi-Fi</body></html>", "not Google's JSON (HTTP 200 OK)", http.StatusOK},
		{"html 502", "text/html", "<html>Bad Gateway</html>", "not Google's JSON (HTTP 502 Bad Gateway)", http.StatusBadGateway},
		{"oversized", "application/json", `{"access_token":"` + strings.Repeat("a", 2<<20) + `"}`, "more than 64 KB (HTTP 200 OK)", http.StatusOK},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", tt.ctype)
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			}))
			t.Cleanup(srv.Close)
			client := google.Client{ClientID: "c", ClientSecret: "s", TokenURI: srv.URL + "/token"}
			_, err := NewTokenSource(context.Background(), client, &oauth2.Token{RefreshToken: "1//r"}, nopSaver{}).Token()
			t.Logf("%s: %v", tt.name, err)
			if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "could not reach") {
				t.Errorf("error %q, want it to contain %q", err, tt.want)
			}
			if !errors.Is(err, ErrExchange) {
				t.Errorf("error %v is not ErrExchange (temporary)", err)
			}
		})
	}
}

// TestAuthorizationServerBusyIsTemporary: temporarily_unavailable and
// server_error in the redirect are Google being busy, not a bad client.
func TestAuthorizationServerBusyIsTemporary(t *testing.T) {
	for _, code := range []string{"temporarily_unavailable", "server_error"} {
		t.Run(code, func(t *testing.T) {
			p, client := provider(t)
			p.SetAuthorizationError(code, "")
			_, err := login(context.Background(), client, testpeer.Browse, 5*time.Second)
			t.Logf("%s: %v", code, err)
			if !errors.Is(err, ErrUnavailable) || errors.Is(err, ErrInvalidClient) {
				t.Errorf("error %v: want ErrUnavailable", err)
			}
			if err == nil || strings.Contains(err.Error(), "client JSON") || !strings.Contains(err.Error(), "try again later") {
				t.Errorf("message %q: want 'try again later', not 'check the client JSON'", err)
			}
		})
	}
}

// TestIDTokenClaimsRefused: the token endpoint's ID token decides the
// account's address, so every claim that matters is checked and a bad one
// refuses the sign-in.
func TestIDTokenClaimsRefused(t *testing.T) {
	bad := []struct {
		name   string
		claims map[string]any
	}{
		{"not an address", map[string]any{"email": "not an address"}},
		{"path", map[string]any{"email": "../../etc/passwd"}},
		{"line break", map[string]any{"email": "ann@gmail.com\r\nBcc: eve@evil.example"}},
		{"terminal escape", map[string]any{"email": "\x1b]0;pwned\x07ann@gmail.com"}},
		{"display name", map[string]any{"email": "Ann <ann@gmail.com>"}},
		{"two addresses", map[string]any{"email": "ann@gmail.com, eve@evil.example"}},
		{"other audience", map[string]any{"aud": "999-other.apps.googleusercontent.com"}},
		{"other issuer", map[string]any{"iss": "https://evil.example"}},
		{"expired", map[string]any{"exp": time.Now().Add(-time.Hour).Unix()}},
		{"unverified", map[string]any{"email_verified": false}},
		{"verified missing", map[string]any{"email_verified": nil}},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			p, client := provider(t)
			p.SetIDTokenClaims(tt.claims)
			res, err := login(context.Background(), client, testpeer.Browse, 5*time.Second)
			t.Logf("%s: %v", tt.name, err)
			if err == nil {
				t.Fatalf("sign-in accepted with %v as %q", tt.claims, res.Email)
			}
			if !errors.Is(err, ErrBadIDToken) {
				t.Errorf("error %v is not ErrBadIDToken", err)
			}
		})
	}
}

// TestHostHeaderChecked: a request to the loopback listener under another
// Host (a DNS-rebinding page) is refused with 421 and does not use up the
// sign-in; 127.0.0.1:PORT and localhost:PORT are accepted.
func TestHostHeaderChecked(t *testing.T) {
	_, client := provider(t)
	urls := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		_, err := login(context.Background(), client, func(u string) error { urls <- u; return nil }, 20*time.Second)
		done <- err
	}()
	authURL := <-urls
	noFollow := &http.Client{
		Timeout:       5 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	resp, err := noFollow.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	callback, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || callback.Host == "" {
		t.Fatalf("no callback in the provider's redirect: %q", resp.Header.Get("Location"))
	}
	_, port, _ := net.SplitHostPort(callback.Host)
	for _, host := range []string{"attacker.example:" + port, "attacker.example", "127.0.0.1:1", "localhost.attacker.example:" + port, "[::1]:" + port} {
		req, _ := http.NewRequest(http.MethodGet, callback.String(), nil)
		req.Host = host
		resp, err := noFollow.Do(req)
		if err != nil {
			t.Fatalf("Host %s: %v", host, err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMisdirectedRequest {
			t.Errorf("Host %s: status %d, want 421", host, resp.StatusCode)
		}
	}
	select {
	case err := <-done:
		t.Fatalf("a request under a foreign Host ended the sign-in: %v", err)
	default:
	}
	req, _ := http.NewRequest(http.MethodGet, callback.String(), nil)
	req.Host = "localhost:" + port
	resp, err = noFollow.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("Host localhost:%s: status %d, want 200", port, resp.StatusCode)
	}
	if err := <-done; err != nil {
		t.Fatalf("genuine callback after the foreign ones: %v", err)
	}
}

// TestLateCallbackSavesNothing: a callback that arrives after Login gave up
// waiting is refused, and the save is never called, so nothing is saved
// behind a "timed out" message.
func TestLateCallbackSavesNothing(t *testing.T) {
	saved := false
	f := &flow{
		cfg: config(google.Client{ClientID: "c", TokenURI: "http://127.0.0.1:1/token"}, ""), state: "s", ctx: context.Background(), done: make(chan outcome, 1), hosts: []string{"127.0.0.1:1"},
		finish: func(context.Context, Result) error { saved = true; return nil },
	}
	if f.stopWaiting() {
		t.Fatal("an unused flow reports a claimed callback")
	}
	rec := httptest.NewRecorder()
	f.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://127.0.0.1:1/?state=s&code=4/0x", nil))
	if rec.Code != http.StatusGone || saved || len(f.done) != 0 {
		t.Fatalf("late callback: status %d, saved %v, outcome sent %v", rec.Code, saved, len(f.done) != 0)
	}
}
