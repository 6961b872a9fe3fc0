package engine_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/engine/enginetest"
	"github.com/mailkey-app/mailkey/app/secret"
)

// TestRemoveDuringARefresh removes an account from one mailkey (the GUI)
// while another (msmtp's 'mailkey token') is refreshing its token. The
// refresh used to save its new tokens after the removal had deleted the
// secrets, leaving them in the keyring with no account to remove them by.
// Now removal waits for the refresh, and nothing is left behind.
func TestRemoveDuringARefresh(t *testing.T) {
	env, c := signedIn(t, enginetest.InMemory())
	env.Gmail.OAuth.SetRotateRefreshTokens(true)
	c.Advance(2 * time.Hour) // the access token has expired
	env.Gmail.OAuth.SetTokenFault(func(string) (int, time.Duration) { return 0, 600 * time.Millisecond })
	gui := second(env, c)
	ctx := context.Background()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		_, _ = env.Engine.Token(ctx, enginetest.User) // the refresh: it may or may not win
	}()
	time.Sleep(200 * time.Millisecond) // the refresh is waiting for the token endpoint
	if err := gui.Remove(ctx, enginetest.User); err != nil {
		t.Fatalf("remove: %v", err)
	}
	wg.Wait()
	if _, err := gui.Account(enginetest.User); !errors.Is(err, account.ErrNotFound) {
		t.Fatalf("the account is still listed: %v", err)
	}
	for _, k := range secret.Kinds {
		if _, err := env.Secrets.Get(ctx, enginetest.User, k); !errors.Is(err, secret.ErrNotFound) {
			t.Errorf("the keyring still holds the %s of the removed account (%v)", k, err)
		}
	}
}
