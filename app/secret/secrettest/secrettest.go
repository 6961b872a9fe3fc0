// Package secrettest gives unit tests a keyring in memory: the real
// secret.Store (timeouts, size limit, error mapping) over a map instead of
// the Secret Service, so that they need no session bus. Tests whose point is
// the real keyring use the Secret Service (see RequireSecretService).
// Only tests import it.
package secrettest

import (
	"errors"
	"os"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/mailkey-app/mailkey/app/secret"
	"github.com/mailkey-app/mailkey/internal/testpeer"
)

// Keyring is an in-memory keyring backend (secret.Backend), safe for
// concurrent use. Get and Delete of a missing item fail with
// secret.ErrNotFound, as go-keyring's do with its own.
type Keyring struct {
	mu    sync.Mutex
	items map[string]string
}

// NewKeyring returns an empty keyring.
func NewKeyring() *Keyring { return &Keyring{items: map[string]string{}} }

func key(service, user string) string { return service + "\x00" + user }

// Set stores password as user's item of service.
func (k *Keyring) Set(service, user, password string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.items[key(service, user)] = password
	return nil
}

// Get returns user's item of service.
func (k *Keyring) Get(service, user string) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	v, ok := k.items[key(service, user)]
	if !ok {
		return "", secret.ErrNotFound
	}
	return v, nil
}

// Delete removes user's item of service.
func (k *Keyring) Delete(service, user string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if _, ok := k.items[key(service, user)]; !ok {
		return secret.ErrNotFound
	}
	delete(k.items, key(service, user))
	return nil
}

// Len returns how many items the keyring holds.
func (k *Keyring) Len() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return len(k.items)
}

// New returns a secret.Store over k under mailkey's default service name.
func New(k *Keyring) *secret.Store { return secret.NewWithBackend(k, "", 5*time.Second) }

// RequireSecretService skips a test whose point is the real keyring when
// there is no session bus to reach a Secret Service: without one, go-keyring
// would start daemons that outlive the test. make test runs such tests
// inside .ci/with-keyring, and says the bus is required
// (testpeer.RequireBusEnv): there, a missing bus fails the test.
func RequireSecretService(t testing.TB) {
	t.Helper()
	if runtime.GOOS == "linux" && os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		if testpeer.BusRequired() {
			t.Fatalf("this test uses the real Secret Service and %s=1, but there is no session bus: "+
				"run it inside .ci/with-keyring", testpeer.RequireBusEnv)
		}
		t.Skip("this test uses the real Secret Service and there is no session bus: " +
			"run it with 'make test' (or .ci/with-keyring go test ./app/engine/...)")
	}
}

// Locked is a keyring backend that refuses every request as go-keyring
// does when the Secret Service's collection is locked and its unlock
// prompt was dismissed (secret_service.Unlock's error): for tests of what
// mailkey says then.
type Locked struct{}

func (Locked) err() error {
	return errors.New("failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'")
}

// Set refuses.
func (k Locked) Set(string, string, string) error { return k.err() }

// Get refuses.
func (k Locked) Get(string, string) (string, error) { return "", k.err() }

// Delete refuses.
func (k Locked) Delete(string, string) error { return k.err() }
