package engine_test

import (
	"context"
	"errors"
	"html"
	"strings"
	"testing"
	"time"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/mailkey-app/mailkey/app/engine/enginetest"
	"github.com/mailkey-app/mailkey/app/google"
	"github.com/mailkey-app/mailkey/app/oauth"
	"github.com/mailkey-app/mailkey/app/secret"
	"github.com/mailkey-app/mailkey/internal/testpeer"
)

// noKeyring is a keyring that answers lookups (nothing stored) but refuses to
// store: the sign-in passes its check before the browser, and the save fails.
type noKeyring struct{}

func (noKeyring) Set(string, string, string) error {
	return errors.New("org.freedesktop.DBus.Error.ServiceUnknown")
}

func (noKeyring) Get(string, string) (string, error) {
	return "", secret.ErrNotFound
}

func (noKeyring) Delete(string, string) error {
	return errors.New("org.freedesktop.DBus.Error.ServiceUnknown")
}

// loginReadingPage signs in through the stand-in browser and returns the
// page the browser ended on, with LoginOAuth's result; words, when given,
// words the page.
func loginReadingPage(t *testing.T, env *enginetest.Env, words ...oauth.Page) (testpeer.BrowseResult, error) {
	t.Helper()
	client, err := google.ReadClientFile(env.Gmail.ClientFile)
	if err != nil {
		t.Fatal(err)
	}
	pages := make(chan testpeer.BrowseResult, 1)
	open := func(u string) error {
		go func() { pages <- testpeer.Fetch(u) }()
		return nil
	}
	req := engine.OAuthLogin{Client: client, SMTP: env.Gmail.SMTP.StartTLSURL(), Open: open, Timeout: 10 * time.Second}
	if len(words) > 0 {
		req.Page = words[0]
	}
	_, err = env.Engine.LoginOAuth(context.Background(), req)
	select {
	case p := <-pages:
		p.Body = html.UnescapeString(p.Body)
		return p, err
	case <-time.After(10 * time.Second):
		t.Fatal("the browser got no page")
	}
	return testpeer.BrowseResult{}, err
}

// TestBrowserPageTellsTheSaveFailed: Google signed the user in, but mailkey
// cannot save (no keyring). The browser must not claim success: it says the
// save failed and that mailkey says what to do.
func TestBrowserPageTellsTheSaveFailed(t *testing.T) {
	env := enginetest.New(t, enginetest.InMemory())
	env.Engine.Use(engine.WithSecrets(secret.NewWithBackend(noKeyring{}, env.Service, time.Second)))
	page, err := loginReadingPage(t, env)
	t.Logf("login with no keyring: %v; page %d", err, page.Status)
	if !errors.Is(err, secret.ErrUnavailable) {
		t.Fatalf("LoginOAuth: %v, want the keyring's error", err)
	}
	if page.Err != nil {
		t.Fatalf("browser: %v", page.Err)
	}
	if strings.Contains(page.Body, "Signed in") || strings.Contains(page.Body, "signed in as") {
		t.Errorf("the browser claims success although nothing was saved:\n%s", page.Body)
	}
	for _, want := range []string{"could not save", "system keyring", "mailkey says what to do"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("the failure page lacks %q:\n%s", want, page.Body)
		}
	}
	if _, err := env.Accounts.Get(enginetest.User); !errors.Is(err, account.ErrNotFound) {
		t.Errorf("account after the failed save: %v", err)
	}

	// With the keyring back, the page says signed in, after the save.
	env.Engine.Use(engine.WithSecrets(env.Secrets))
	page, err = loginReadingPage(t, env)
	if err != nil || !strings.Contains(page.Body, "You are signed in as "+enginetest.User) {
		t.Fatalf("login: %v; page:\n%s", err, page.Body)
	}
	if _, err := env.Accounts.Get(enginetest.User); err != nil {
		t.Fatalf("account after the page said signed in: %v", err)
	}
}
