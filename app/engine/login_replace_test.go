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
	"github.com/mailkey-app/mailkey/app/secret"
	"github.com/mailkey-app/mailkey/internal/testpeer"
)

// TestOAuthAsksBeforeReplacing: an OAuth sign-in for an address saved with
// an app password asks Confirm, with the saved account, before it saves
// anything (issue 11, defect 4). Keeping it saves nothing, keeps the app
// password, and the browser's page says nothing was saved; replacing
// deletes the app password.
func TestOAuthAsksBeforeReplacing(t *testing.T) {
	env := enginetest.New(t, enginetest.InMemory())
	ctx := context.Background()
	if _, err := env.Engine.LoginAppPassword(ctx, enginetest.User, enginetest.AppPasswordSeen, env.Gmail.SMTP.StartTLSURL()); err != nil {
		t.Fatal(err)
	}
	client, err := google.ReadClientFile(env.Gmail.ClientFile)
	if err != nil {
		t.Fatal(err)
	}
	login := func(keep bool) (testpeer.BrowseResult, []engine.Info, error) {
		pages := make(chan testpeer.BrowseResult, 1)
		var asked []engine.Info
		_, err := env.Engine.LoginOAuth(ctx, engine.OAuthLogin{
			Client: client, SMTP: env.Gmail.SMTP.StartTLSURL(), Timeout: 10 * time.Second,
			Open: func(u string) error {
				go func() { pages <- testpeer.Fetch(u) }()
				return nil
			},
			Confirm: func(_ context.Context, old engine.Info) bool {
				// Nothing is saved while the person thinks.
				if a, err := env.Accounts.Get(enginetest.User); err != nil || a.Method != account.AppPassword {
					t.Errorf("while asking, the account is %+v, %v", a, err)
				}
				asked = append(asked, old)
				return !keep
			},
		})
		p := <-pages
		p.Body = html.UnescapeString(p.Body)
		return p, asked, err
	}

	page, asked, err := login(true)
	if !errors.Is(err, engine.ErrKept) {
		t.Fatalf("keeping the saved account: %v, want ErrKept", err)
	}
	if len(asked) != 1 || asked[0].Method != account.AppPassword || !account.Same(asked[0].Address, enginetest.User) {
		t.Fatalf("Confirm heard %+v, want the app-password account", asked)
	}
	if !strings.Contains(page.Body, "nothing from this sign-in was saved") || strings.Contains(page.Body, "You are signed in as") {
		t.Errorf("the page after keeping the account:\n%s", page.Body)
	}
	if a, err := env.Accounts.Get(enginetest.User); err != nil || a.Method != account.AppPassword {
		t.Errorf("after keeping: %+v, %v", a, err)
	}
	if _, err := env.Secrets.Get(ctx, enginetest.User, secret.AppPassword); err != nil {
		t.Errorf("the app password after keeping: %v", err)
	}
	if _, err := env.Secrets.Get(ctx, enginetest.User, secret.RefreshToken); !errors.Is(err, secret.ErrNotFound) {
		t.Errorf("a refresh token was saved although the account was kept: %v", err)
	}

	page, asked, err = login(false)
	if err != nil || len(asked) != 1 || !strings.Contains(page.Body, "You are signed in as") {
		t.Fatalf("replacing: %v, asked %+v, page:\n%s", err, asked, page.Body)
	}
	if a, err := env.Accounts.Get(enginetest.User); err != nil || a.Method != account.OAuth {
		t.Errorf("after replacing: %+v, %v", a, err)
	}
	if _, err := env.Secrets.Get(ctx, enginetest.User, secret.AppPassword); !errors.Is(err, secret.ErrNotFound) {
		t.Errorf("the app password after replacing: %v", err)
	}
}
