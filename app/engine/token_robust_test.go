package engine_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/mailkey-app/mailkey/app/engine/enginetest"
	"github.com/mailkey-app/mailkey/app/google"
	"github.com/mailkey-app/mailkey/app/mail"
	"github.com/mailkey-app/mailkey/app/oauth"
	"github.com/mailkey-app/mailkey/app/secret"
	"github.com/mailkey-app/mailkey/internal/testpeer"
)

// signedIn returns an env whose engine signed ann in with OAuth through the
// real loopback flow, on the env's SMTP peer, with a fake clock that starts
// now. opts choose the keyring (enginetest.InMemory, or the real one).
func signedIn(t *testing.T, opts ...enginetest.Option) (*enginetest.Env, *enginetest.Clock) {
	t.Helper()
	c := enginetest.NewClock(time.Now())
	env := enginetest.New(t, append(opts, enginetest.With(engine.WithClock(c)))...)
	if _, err := env.Engine.LoginOAuth(context.Background(), oauthLogin(t, env)); err != nil {
		t.Fatal(err)
	}
	return env, c
}

// oauthLogin is the sign-in of the stand-in's user with its client.
func oauthLogin(t *testing.T, env *enginetest.Env) engine.OAuthLogin {
	t.Helper()
	client, err := google.ReadClientFile(env.Gmail.ClientFile)
	if err != nil {
		t.Fatal(err)
	}
	return engine.OAuthLogin{Client: client, SMTP: env.Gmail.SMTP.StartTLSURL(), Open: testpeer.Browse, Timeout: 10 * time.Second}
}

// second returns another engine on the same config dir and keyring service,
// as a second mailkey process (the GUI beside the CLI) would have: its own
// stores over the same file and keyring.
func second(env *enginetest.Env, c *enginetest.Clock) *engine.Engine {
	keyring := secret.New(env.Service)
	if env.Keyring != nil {
		keyring = secret.NewWithBackend(env.Keyring, env.Service, 5*time.Second)
	}
	return engine.New(env.Dir, engine.WithSecrets(keyring), engine.WithClock(c),
		engine.WithSender(&mail.Sender{RootCAs: env.Gmail.CA.Pool, Timeout: 5 * time.Second}),
		engine.WithBrowser(engine.BrowserFunc(testpeer.Browse)))
}

func wantValidFile(t *testing.T, env *enginetest.Env) []account.Account {
	t.Helper()
	data, err := os.ReadFile(env.Accounts.Path())
	if err != nil || !json.Valid(data) {
		t.Fatalf("accounts file: %v, valid JSON %v", err, json.Valid(data))
	}
	list, err := env.Accounts.List()
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// TestParallelSendsShareOneRefresh sends 10 messages at once from an account
// whose access token just expired: one refresh serves all of them.
func TestParallelSendsShareOneRefresh(t *testing.T) {
	env, c := signedIn(t, enginetest.InMemory())
	c.Advance(2 * time.Hour)
	env.Gmail.OAuth.ExpireAccessTokens()
	hits := env.Gmail.OAuth.TokenHits()
	sendParallel(t, env, 10, "after expiry")
	if list := wantValidFile(t, env); len(list) != 1 || list[0].NeedsSignIn {
		t.Errorf("accounts after the sends: %+v", list)
	}

	// The keyring still holds a refresh token that works.
	c.Advance(2 * time.Hour)
	env.Gmail.OAuth.ExpireAccessTokens()
	tok, err := env.Engine.Token(context.Background(), enginetest.User)
	if err != nil {
		t.Fatalf("later refresh: %v", err)
	}
	if _, _, ok := env.Gmail.OAuth.Validate(tok); !ok || env.Gmail.OAuth.TokenHits() != hits+2 {
		t.Fatalf("later refresh: token valid %v, hits %d", ok, env.Gmail.OAuth.TokenHits()-hits)
	}
}

// TestTwoProcessesShareTheConfigDir runs two engines on one config dir (the
// CLI and the GUI): concurrent account writes lose nothing, and an expired
// token is refreshed once between them.
func TestTwoProcessesShareTheConfigDir(t *testing.T) {
	// Two processes share the real keyring here, as the CLI and the GUI do.
	env, c := signedIn(t)
	engines := []*engine.Engine{env.Engine, second(env, c)}
	stores := []*account.Store{env.Accounts, account.NewStore(env.Dir)}
	c.Advance(2 * time.Hour)
	env.Gmail.OAuth.ExpireAccessTokens()
	hits := env.Gmail.OAuth.TokenHits()

	const perEngine = 15
	var wg sync.WaitGroup
	var mu sync.Mutex
	var tokens []string
	errs := make(chan error, 3*2*perEngine)
	for ei, e := range engines {
		for i := range perEngine {
			wg.Go(func() {
				errs <- stores[ei].Put(account.Account{
					Address: fmt.Sprintf("p%d-%02d@example.com", ei, i),
					Method:  account.AppPassword, SMTP: google.DefaultSMTP, SignedInAt: time.Unix(0, 0).UTC(),
				})
			})
			wg.Go(func() {
				errs <- stores[ei].Modify(enginetest.User, func(a *account.Account) {
					a.Publishing = []account.Publishing{account.Testing, account.Production}[i%2]
				})
			})
			if i < 5 {
				wg.Go(func() {
					tok, err := e.Token(context.Background(), enginetest.User)
					mu.Lock()
					tokens = append(tokens, tok)
					mu.Unlock()
					errs <- err
				})
			}
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("concurrent use: %v", err)
		}
	}
	list := wantValidFile(t, env)
	if len(list) != 1+2*perEngine {
		t.Errorf("%d accounts after %d concurrent adds, want %d: an update was lost", len(list), 2*perEngine, 1+2*perEngine)
	}
	refreshes := env.Gmail.OAuth.TokenHits() - hits
	t.Logf("two engines, 10 concurrent token requests after expiry: %d token endpoint hit(s)", refreshes)
	if refreshes != 1 {
		t.Errorf("%d refreshes between two processes, want 1", refreshes)
	}
	for _, tok := range tokens {
		if tok != tokens[0] {
			t.Fatalf("the engines handed out different access tokens: both refreshed")
		}
	}
	if _, _, ok := env.Gmail.OAuth.Validate(tokens[0]); !ok {
		t.Fatal("the shared access token is not valid")
	}
}

// TestTokenEndpointFaultsKeepTheAccount checks that a temporary failure of
// the token endpoint (500, or no answer) is reported as temporary and leaves
// the account usable, while invalid_grant marks it "needs sign-in".
func TestTokenEndpointFaultsKeepTheAccount(t *testing.T) {
	env, c := signedIn(t, enginetest.InMemory())
	for _, tt := range []struct {
		name   string
		status int
		delay  time.Duration
	}{
		{"500", http.StatusInternalServerError, 0},
		{"503", http.StatusServiceUnavailable, 0},
		{"stall", 0, time.Minute},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c.Advance(2 * time.Hour)
			env.Gmail.OAuth.SetTokenFault(func(string) (int, time.Duration) { return tt.status, tt.delay })
			defer env.Gmail.OAuth.SetTokenFault(nil)
			ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
			defer cancel()
			start := time.Now()
			_, err := env.Engine.Send(ctx, mail.Message{From: enginetest.User, To: []string{"bob@example.com"}, Subject: "fault"})
			t.Logf("send with the token endpoint failing: %v after %v", err, time.Since(start).Round(time.Millisecond))
			if err == nil || errors.Is(err, oauth.ErrNeedsSignIn) {
				t.Fatalf("send: %v", err)
			}
			if tt.status != 0 && (!errors.Is(err, oauth.ErrExchange) || !errorsContain(err, "Try again")) {
				t.Errorf("a %d from the token endpoint: %v, want ErrExchange with 'Try again'", tt.status, err)
			}
			if tt.status == 0 && !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, oauth.ErrExchange) {
				t.Errorf("a stalled token endpoint: %v", err)
			}
			info, err := env.Engine.Account(enginetest.User)
			if err != nil || info.NeedsSignIn || info.Status.State == account.StateNeedsSignIn {
				t.Fatalf("after a temporary token failure the account is %+v, %v", info, err)
			}
			if n := len(env.Gmail.SMTP.Messages()); n != 0 {
				t.Fatalf("%d messages delivered without a token", n)
			}
		})
	}
	// Once the endpoint is back, the same account works without a new sign-in.
	if _, err := env.Engine.Send(context.Background(), mail.Message{From: enginetest.User, To: []string{"bob@example.com"}, Subject: "back"}); err != nil {
		t.Fatalf("send after recovery: %v", err)
	}
	// invalid_grant is the one answer that asks for a new sign-in.
	c.Advance(2 * time.Hour)
	env.Gmail.OAuth.RevokeUser(enginetest.User)
	if _, err := env.Engine.Token(context.Background(), enginetest.User); !errors.Is(err, oauth.ErrNeedsSignIn) {
		t.Fatalf("revoked: %v", err)
	}
	if info, _ := env.Engine.Account(enginetest.User); !info.NeedsSignIn {
		t.Fatal("invalid_grant did not mark the account")
	}
}

func errorsContain(err error, s string) bool {
	return err != nil && strings.Contains(err.Error(), s)
}

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

// TestTokenEndpointStallIsBounded: 'mailkey token' (what msmtp runs) against
// a token endpoint that accepts the connection and never answers ends within
// the token timeout, says which endpoint stalled, keeps the account usable
// and releases the refresh lock at once for the next process.
func TestTokenEndpointStallIsBounded(t *testing.T) {
	env, c := signedIn(t, enginetest.InMemory())
	stall := blackHole(t)
	if err := env.Accounts.Modify(enginetest.User, func(a *account.Account) { a.TokenURI = stall }); err != nil {
		t.Fatal(err)
	}
	old := oauth.SetTokenTimeout(300 * time.Millisecond)
	defer oauth.SetTokenTimeout(old)
	c.Advance(2 * time.Hour)

	for i, e := range []*engine.Engine{env.Engine, second(env, c)} {
		done := make(chan error, 1)
		start := time.Now()
		go func() {
			_, err := e.Token(context.Background(), enginetest.User)
			done <- err
		}()
		select {
		case err := <-done:
			took := time.Since(start)
			t.Logf("process %d: token with a stalled endpoint: %v after %v", i+1, err, took.Round(time.Millisecond))
			if took > 3*time.Second {
				t.Errorf("process %d waited %v: the lock was held past the stall", i+1, took)
			}
			if !errors.Is(err, oauth.ErrExchange) || !errors.Is(err, oauth.ErrStalled) || errors.Is(err, oauth.ErrNeedsSignIn) {
				t.Errorf("process %d: %v, want a temporary ErrExchange/ErrStalled", i+1, err)
			}
			if !errorsContain(err, "did not answer within") || !errorsContain(err, strings.TrimSuffix(strings.TrimPrefix(stall, "http://"), "/token")) {
				t.Errorf("process %d: message %q does not name the stalled endpoint", i+1, err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("process %d: 'mailkey token' still hangs after 10 s", i+1)
		}
	}
	if info, _ := env.Engine.Account(enginetest.User); info.NeedsSignIn {
		t.Error("a stalled endpoint marked the account as needing a sign-in")
	}
}

// TestRevokedTokenRefreshesOnce: Google refuses an access token that has not
// expired yet (revoked at the server); 10 parallel sends each see it refused,
// and between them refresh it once: the others use the token just saved.
func TestRevokedTokenRefreshesOnce(t *testing.T) {
	env, _ := signedIn(t, enginetest.InMemory())
	env.Gmail.OAuth.ExpireAccessTokens() // refused by the server, valid for the cache
	sendParallel(t, env, 10, "with a refused, unexpired token")
}

// sendParallel sends n messages at once from the test user and checks that
// all went out and that the token endpoint saw exactly one refresh.
func sendParallel(t *testing.T, env *enginetest.Env, n int, what string) {
	t.Helper()
	hits := env.Gmail.OAuth.TokenHits()
	before := len(env.Gmail.SMTP.Messages())
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			_, err := env.Engine.Send(context.Background(), mail.Message{
				From: enginetest.User,
				To:   []string{"bob@example.com"}, Subject: fmt.Sprintf("parallel %d", i), Body: "hi",
			})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("send: %v", err)
		}
	}
	refreshes := env.Gmail.OAuth.TokenHits() - hits
	t.Logf("%d parallel sends %s: %d token endpoint hit(s)", n, what, refreshes)
	if refreshes != 1 {
		t.Errorf("%d refreshes for %d parallel sends %s, want 1", refreshes, n, what)
	}
	if got := len(env.Gmail.SMTP.Messages()) - before; got != n {
		t.Errorf("server got %d messages, want %d", got, n)
	}
}

// TestRefusalKeepsGooglesWords: the account a refused refresh marked keeps
// Google's error and error_description as data, so that an engine opened
// later (a restart) still says them, and a new sign-in clears them.
func TestRefusalKeepsGooglesWords(t *testing.T) {
	env, c := signedIn(t)
	c.Advance(2 * time.Hour)
	env.Gmail.OAuth.RevokeUser(enginetest.User)
	if _, err := env.Engine.Token(context.Background(), enginetest.User); !errors.Is(err, oauth.ErrNeedsSignIn) {
		t.Fatalf("revoked: %v", err)
	}
	info, err := second(env, c).Account(enginetest.User)
	if err != nil {
		t.Fatal(err)
	}
	d := info.SignInDetail
	if d == nil || d.Error != "invalid_grant" || d.Description != "Token has been expired or revoked." {
		t.Fatalf("detail after a restart: %+v", d)
	}
	if want := "Google no longer accepts this account's sign-in (invalid_grant: Token has been expired or revoked.)"; info.SignInText().What != want {
		t.Errorf("reason after a restart: %q, want %q", info.SignInText().What, want)
	}
	data, err := os.ReadFile(env.Accounts.Path())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"sign_in_detail"`) || strings.Contains(string(data), "no longer accepts") {
		t.Errorf("the file holds no detail, or a sentence:\n%s", data)
	}
	// A new sign-in clears the cause and its detail.
	if _, err := env.Engine.LoginOAuth(context.Background(), oauthLogin(t, env)); err != nil {
		t.Fatal(err)
	}
	if info, _ := env.Engine.Account(enginetest.User); info.SignInDetail != nil || info.SignInCause != "" {
		t.Errorf("after a new sign-in: %q %+v", info.SignInCause, info.SignInDetail)
	}
}
