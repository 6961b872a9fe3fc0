// Package enginetest gives tests a real engine wired to the loopback peers of
// package testpeer, a fresh config dir and a keyring service of its own on
// the real Secret Service, or, with InMemory, a keyring in memory that needs
// no session bus. It also has a fake clock. Only tests import it.
package enginetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"path/filepath"
	"testing"
	"time"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/mailkey-app/mailkey/app/mail"
	"github.com/mailkey-app/mailkey/app/secret"
	"github.com/mailkey-app/mailkey/app/secret/secrettest"
	"github.com/mailkey-app/mailkey/internal/testpeer"
)

// The test user: a Google test user of the OAuth peer, with an app password
// and a normal account password at the SMTP peer.
const (
	User            = "ann@gmail.com"
	AppPassword     = "abcdefghijklmnop"
	AppPasswordSeen = "abcd efgh ijkl mnop" // as Google shows it
	AccountPassword = "Correct-Horse-9!"
)

// Env is an engine and the peers it talks to.
type Env struct {
	Gmail  *testpeer.Gmail
	Engine *engine.Engine
	// Dir is the engine's config dir.
	Dir string
	// Service is the keyring service name the engine uses.
	Service string
	// Accounts is the accounts file in Dir and Secrets the engine's
	// keyring, for tests that set up or check what the engine keeps.
	Accounts *account.Store
	Secrets  *secret.Store
	// Keyring is the in-memory keyring under Secrets (InMemory), else nil.
	Keyring *secrettest.Keyring
}

// Option changes how New sets the engine up.
type Option func(*config)

type config struct {
	memory bool
	opts   []engine.Option
}

// InMemory keeps the engine's secrets in an in-memory keyring, for tests of
// the engine's logic: they need no session bus.
func InMemory() Option { return func(c *config) { c.memory = true } }

// With passes engine options on top of the env's (a clock, a browser).
func With(opts ...engine.Option) Option {
	return func(c *config) { c.opts = append(c.opts, opts...) }
}

// New starts the peers and returns an engine on them. The engine opens
// "the browser" with testpeer.Browse. Without InMemory it keeps its secrets
// on the real Secret Service, and the test is skipped when no session bus
// can reach one. Everything is cleaned up with t.
func New(t testing.TB, opts ...Option) *Env {
	t.Helper()
	var c config
	for _, o := range opts {
		o(&c)
	}
	if !c.memory {
		secrettest.RequireSecretService(t)
	}
	g, err := testpeer.StartGmail(testpeer.GmailOptions{
		Dir: t.TempDir(), TestUsers: []string{User},
		Passwords: map[string]string{User: AppPassword}, AccountPasswords: map[string]string{User: AccountPassword},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(g.Close)
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	env := &Env{Gmail: g, Dir: filepath.Join(t.TempDir(), "config"), Service: "mailkey-test-" + hex.EncodeToString(b)}
	env.Accounts = account.NewStore(env.Dir)
	env.Secrets = secret.New(env.Service)
	if c.memory {
		env.Keyring = secrettest.NewKeyring()
		env.Secrets = secret.NewWithBackend(env.Keyring, env.Service, 5*time.Second)
	}
	env.Engine = engine.New(env.Dir, append([]engine.Option{
		engine.WithAccounts(env.Accounts),
		engine.WithSecrets(env.Secrets),
		engine.WithSender(&mail.Sender{RootCAs: g.CA.Pool, Timeout: 5 * time.Second}),
		engine.WithBrowser(engine.BrowserFunc(testpeer.Browse)),
		engine.WithDefaultServers(g.IMAP.URL, g.API.URL),
	}, c.opts...)...)
	if !c.memory {
		t.Cleanup(func() { _ = env.Secrets.DeleteAll(context.Background(), User) })
	}
	return env
}
