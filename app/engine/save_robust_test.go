package engine

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/google"
	"github.com/mailkey-app/mailkey/app/secret"
	"github.com/mailkey-app/mailkey/app/secret/secrettest"
)

// TestConcurrentSignInsKeepOneClient: two sign-ins to the same address with
// different OAuth clients, at the same moment, from two engines (two
// mailkeys) on one config dir and the real keyring. Whichever wins, the
// account's client ID, client secret and refresh token must all be that
// sign-in's. Saving the secrets and the account apart let one sign-in's
// client ID end up with the other's secret (1 round in 15 in the report).
func TestConcurrentSignInsKeepOneClient(t *testing.T) {
	secrettest.RequireSecretService(t)
	dir := filepath.Join(t.TempDir(), "config")
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	service := "mailkey-test-" + hex.EncodeToString(b)
	const addr = "ann@gmail.com"
	engines := [2]*Engine{New(dir, WithSecrets(secret.New(service))), New(dir, WithSecrets(secret.New(service)))}
	keyring := secret.New(service)
	t.Cleanup(func() { _ = keyring.DeleteAll(context.Background(), addr) })
	ctx := context.Background()
	const rounds = 40
	mixed := 0
	for round := range rounds {
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, e := range engines {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c := fmt.Sprintf("%c%d", 'A'+i, round)
				a := account.Account{Address: addr, Method: account.OAuth, ClientID: "client-" + c + ".apps.googleusercontent.com"}
				errs[i] = e.save(ctx, a, map[secret.Kind]string{
					secret.ClientSecret: "secret-" + c, secret.RefreshToken: "refresh-" + c, secret.AccessToken: "access-" + c,
				}, secret.AppPassword)
			}()
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
		}
		a, err := engines[0].accounts.Get(addr)
		if err != nil {
			t.Fatal(err)
		}
		c := strings.TrimSuffix(strings.TrimPrefix(a.ClientID, "client-"), ".apps.googleusercontent.com")
		for _, k := range []secret.Kind{secret.ClientSecret, secret.RefreshToken, secret.AccessToken} {
			v, err := keyring.Get(ctx, addr, k)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasSuffix(v, "-"+c) {
				t.Errorf("round %d: the account has client %s but its %s is %s's", round, c, k, v[strings.IndexByte(v, '-')+1:])
				mixed++
				break
			}
		}
	}
	if mixed > 0 {
		t.Fatalf("%d of %d rounds left a client ID with another sign-in's secrets", mixed, rounds)
	}
}

// TestFailedSaveKeepsThePreviousSecrets: signing an existing account in
// again with another client, when one secret cannot be stored, leaves the
// account and all its secrets as they were. The save used to undo only for
// a new account, leaving the new refresh token beside the old client.
func TestFailedSaveKeepsThePreviousSecrets(t *testing.T) {
	e := New(filepath.Join(t.TempDir(), "config"), WithSecrets(secrettest.New(secrettest.NewKeyring())))
	const addr = "ann@gmail.com"
	ctx := context.Background()
	a := account.Account{Address: addr, Method: account.OAuth, ClientID: "client-A.apps.googleusercontent.com"}
	old := map[secret.Kind]string{secret.ClientSecret: "secret-A", secret.RefreshToken: "refresh-A", secret.AccessToken: "access-A"}
	if err := e.save(ctx, a, old); err != nil {
		t.Fatal(err)
	}
	b2 := a
	b2.ClientID = "client-B.apps.googleusercontent.com"
	err := e.save(ctx, b2, map[secret.Kind]string{
		secret.ClientSecret: "secret-B", secret.RefreshToken: "refresh-B",
		secret.AccessToken: strings.Repeat("x", secret.MaxBytes+1),
	})
	if err == nil {
		t.Fatal("a save with a secret the keyring refuses succeeded")
	}
	if got, _ := e.accounts.Get(addr); got.ClientID != a.ClientID {
		t.Fatalf("the account's client is now %s", got.ClientID)
	}
	for k, want := range old {
		if v, err := e.secrets.Get(ctx, addr, k); err != nil || v != want {
			t.Errorf("%s is %q (%v) after the failed save, want %q", k, v, err, want)
		}
	}
}

// noKeyring is a keyring backend that never answers yes: no Secret Service.
type noKeyring struct{}

func (noKeyring) Set(string, string, string) error {
	return errors.New("org.freedesktop.DBus.Error.ServiceUnknown")
}

func (noKeyring) Get(string, string) (string, error) {
	return "", errors.New("org.freedesktop.DBus.Error.ServiceUnknown")
}

func (noKeyring) Delete(string, string) error {
	return errors.New("org.freedesktop.DBus.Error.ServiceUnknown")
}

// TestNoSignInWithoutAKeyring: without a keyring to keep the secrets in, a
// browser sign-in says so before the browser opens, rather than after the
// user signed in for nothing.
func TestNoSignInWithoutAKeyring(t *testing.T) {
	opened := 0
	e := New(filepath.Join(t.TempDir(), "config"), WithSecrets(secret.NewWithBackend(noKeyring{}, "", time.Second)),
		WithBrowser(BrowserFunc(func(string) error { opened++; return nil })))
	client := google.Client{
		ClientID: "1-x.apps.googleusercontent.com", ClientSecret: "GOCSPX-x",
		AuthURI: "http://127.0.0.1:9/auth", TokenURI: "http://127.0.0.1:9/token",
	}
	_, err := e.LoginOAuth(context.Background(), OAuthLogin{Client: client, Timeout: 200 * time.Millisecond})
	if opened != 0 {
		t.Fatalf("the browser was opened %d times without a keyring", opened)
	}
	if !errors.Is(err, secret.ErrUnavailable) {
		t.Fatalf("LoginOAuth without a keyring = %v, want ErrUnavailable", err)
	}
}

// flakyKeyring is a map-backed keyring whose Set fails after the first n
// successful ones, for the rare case where putting secrets back fails too.
type flakyKeyring struct {
	mu    sync.Mutex
	items map[string]string
	n     int
}

func (k *flakyKeyring) Set(_, user, value string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.n == 0 {
		return errors.New("org.freedesktop.Secret.Error.IsLocked")
	}
	k.n--
	k.items[user] = value
	return nil
}

func (k *flakyKeyring) Get(_, user string) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if v, ok := k.items[user]; ok {
		return v, nil
	}
	return "", secret.ErrNotFound
}

func (k *flakyKeyring) Delete(_, user string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	delete(k.items, user)
	return nil
}

// TestFailedRestoreIsSaid: when a save fails and the keyring then refuses
// to take the previous secrets back, the error says that the keyring
// entries are not as they were, and the accounts file is untouched.
func TestFailedRestoreIsSaid(t *testing.T) {
	kr := &flakyKeyring{items: map[string]string{}, n: 3}
	e := New(filepath.Join(t.TempDir(), "config"), WithSecrets(secret.NewWithBackend(kr, "", time.Second)))
	ctx := context.Background()
	a := account.Account{Address: "ann@gmail.com", Method: account.OAuth, ClientID: "client-A"}
	if err := e.save(ctx, a, map[secret.Kind]string{secret.ClientSecret: "secret-A", secret.RefreshToken: "refresh-A"}); err != nil {
		t.Fatal(err)
	}
	kr.n = 1 // the new refresh token is stored, then nothing more
	b := a
	b.ClientID = "client-B"
	err := e.save(ctx, b, map[secret.Kind]string{secret.ClientSecret: "secret-B", secret.RefreshToken: "refresh-B"})
	if !errors.Is(err, secret.ErrUnavailable) || !strings.Contains(err.Error(), "could not put the keyring entries of ann@gmail.com back") {
		t.Fatalf("save = %v, want a keyring error that says the entries were not put back", err)
	}
	if got, _ := e.accounts.Get(a.Address); got.ClientID != "client-A" {
		t.Fatalf("the account's client is now %s", got.ClientID)
	}
}
