package engine_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gofrs/flock"

	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/mailkey-app/mailkey/app/engine/enginetest"
)

// A token refresh that finds the refresh lock held by another process (here
// the test, with flock on the config dir's lock file) gives up after its
// wait, and its error carries the facts that word it again in full (what
// the queue saves).
func TestTokenLockHeldGivesItsFacts(t *testing.T) {
	env, c := signedIn(t, enginetest.InMemory())
	held := flock.New(filepath.Join(env.Dir, "tokens.lock"))
	if ok, err := held.TryLock(); !ok || err != nil {
		t.Fatalf("lock: %v %v", ok, err)
	}
	defer func() { _ = held.Unlock() }()
	engine.SetLockWait(env.Engine, 100*time.Millisecond)
	c.Advance(2 * time.Hour) // the cached access token has expired: a refresh

	_, err := env.Engine.Token(context.Background(), enginetest.User)
	facts, ok := engine.TokenLockOf(err)
	if !ok || facts.Kind != engine.LockBusy || facts.Timeout != 100*time.Millisecond {
		t.Fatalf("err %v, facts %+v %v", err, facts, ok)
	}
	if !advice.Same(err, facts.Explain()) {
		t.Errorf("%+v\nworded again as\n%+v", advice.TextOf(err), advice.TextOf(facts.Explain()))
	}
}

// A token refresh whose configuration directory cannot be created (its
// parent is a file) fails with the facts that word it again in full.
func TestTokenLockWithoutConfigDirGivesItsFacts(t *testing.T) {
	env, c := signedIn(t, enginetest.InMemory())
	file := filepath.Join(t.TempDir(), "a-file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	noDir := filepath.Join(file, "config")
	env.Engine.Use(engine.WithAccounts(dirAt{AccountStore: env.Accounts, dir: noDir}))
	c.Advance(2 * time.Hour)

	_, err := env.Engine.Token(context.Background(), enginetest.User)
	facts, ok := engine.TokenLockOf(err)
	if !ok || facts.Kind != engine.LockNoDir || facts.Dir != noDir {
		t.Fatalf("err %v, facts %+v %v", err, facts, ok)
	}
	if !advice.Same(err, facts.Explain()) {
		t.Errorf("%+v\nworded again as\n%+v", advice.TextOf(err), advice.TextOf(facts.Explain()))
	}
}

// dirAt is an accounts store whose configuration directory, where the
// refresh lock lives, is dir.
type dirAt struct {
	engine.AccountStore
	dir string
}

func (d dirAt) Dir() string { return d.dir }
