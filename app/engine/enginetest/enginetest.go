// Package enginetest gives tests a real engine wired to the loopback peers of
// package testpeer, a fresh config dir and a keyring service of its own on
// the real Secret Service.
package enginetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"path/filepath"
	"testing"
	"time"

	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/mailkey-app/mailkey/app/mail"
	"github.com/mailkey-app/mailkey/app/secret"
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
}

// New starts the peers and returns an engine on them. The engine opens
// "the browser" with testpeer.Browse. Everything is cleaned up with t.
func New(t testing.TB) *Env {
	t.Helper()
	g, err := testpeer.StartGmail(testpeer.GmailOptions{Dir: t.TempDir(), TestUsers: []string{User},
		Passwords: map[string]string{User: AppPassword}, AccountPasswords: map[string]string{User: AccountPassword}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(g.Close)
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	env := &Env{Gmail: g, Dir: filepath.Join(t.TempDir(), "config"), Service: "mailkey-test-" + hex.EncodeToString(b)}
	env.Engine = engine.New(env.Dir)
	env.Engine.Secrets = secret.New(env.Service)
	env.Engine.Sender = &mail.Sender{RootCAs: g.CA.Pool, Timeout: 5 * time.Second}
	env.Engine.Open = testpeer.Browse
	env.Engine.DefaultIMAP, env.Engine.DefaultAPI = g.IMAP.URL, g.API.URL
	t.Cleanup(func() { _ = env.Engine.Secrets.DeleteAll(context.Background(), User) })
	return env
}
