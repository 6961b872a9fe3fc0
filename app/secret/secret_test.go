package secret

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/mailkey-app/mailkey/internal/testpeer"
)

// The tests in this package use the real Secret Service on the private session
// bus that 'make test' starts (.ci/with-keyring). Without one, go-keyring
// would auto-launch daemons that outlive the test, so refuse to run.
func TestMain(m *testing.M) {
	testpeer.RequireSessionBus("secret")
	os.Exit(m.Run())
}

func testService(t *testing.T) *Store {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return New("mailkey-test-" + hex.EncodeToString(b))
}

func TestRealKeyringRoundTrip(t *testing.T) {
	s := testService(t)
	ctx := context.Background()
	const acct = "ann@gmail.com"
	if _, err := s.Get(ctx, acct, AppPassword); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get before Set: %v, want ErrNotFound", err)
	}
	if err := s.Set(ctx, acct, AppPassword, "abcdefghijklmnop"); err != nil {
		t.Fatalf("Set: %v", err)
	}
	if err := s.Set(ctx, acct, RefreshToken, "1//refresh"); err != nil {
		t.Fatalf("Set: %v", err)
	}
	if v, err := s.Get(ctx, acct, AppPassword); err != nil || v != "abcdefghijklmnop" {
		t.Fatalf("Get = %q, %v", v, err)
	}
	// Another store on another service name does not see it.
	if _, err := testService(t).Get(ctx, acct, AppPassword); !errors.Is(err, ErrNotFound) {
		t.Fatalf("another service sees the secret: %v", err)
	}
	if err := s.DeleteAll(ctx, acct); err != nil {
		t.Fatalf("DeleteAll: %v", err)
	}
	for _, k := range []Kind{AppPassword, RefreshToken} {
		if _, err := s.Get(ctx, acct, k); !errors.Is(err, ErrNotFound) {
			t.Fatalf("%s after DeleteAll: %v", k, err)
		}
	}
	if err := s.Delete(ctx, acct, AppPassword); err != nil {
		t.Fatalf("Delete of a missing item: %v", err)
	}
}

func TestTooLargeIsRefusedBeforeTheKeyring(t *testing.T) {
	s := testService(t)
	err := s.Set(context.Background(), "ann@gmail.com", RefreshToken, strings.Repeat("x", MaxBytes+1))
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("Set of %d bytes: %v", MaxBytes+1, err)
	}
	if _, err := s.Get(context.Background(), "ann@gmail.com", RefreshToken); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a too-large secret was stored: %v", err)
	}
}

// hung is a keyring that never answers, like a Secret Service waiting on a prompt.
type hung struct{ release chan struct{} }

func (h hung) Set(string, string, string) error   { <-h.release; return nil }
func (h hung) Get(string, string) (string, error) { <-h.release; return "", nil }
func (h hung) Delete(string, string) error        { <-h.release; return nil }

type broken struct{}

func (broken) Set(string, string, string) error {
	return errors.New("org.freedesktop.DBus.Error.ServiceUnknown")
}

func (broken) Get(string, string) (string, error) {
	return "", errors.New("org.freedesktop.DBus.Error.ServiceUnknown")
}

func (broken) Delete(string, string) error {
	return errors.New("org.freedesktop.DBus.Error.ServiceUnknown")
}

func TestTimeoutAndUnavailable(t *testing.T) {
	h := hung{release: make(chan struct{})}
	defer close(h.release)
	s := NewWithBackend(h, "", 50*time.Millisecond)
	start := time.Now()
	_, err := s.Get(context.Background(), "ann@gmail.com", AppPassword)
	if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "did not answer") {
		t.Fatalf("hung keyring: %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("timeout took %v", d)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.Set(ctx, "ann@gmail.com", AppPassword, "x"); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled Set: %v", err)
	}
	err = NewWithBackend(broken{}, "", time.Second).Set(context.Background(), "ann@gmail.com", AppPassword, "abcdefghijklmnop")
	if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "gnome-keyring") {
		t.Fatalf("broken keyring: %v", err)
	}
	if strings.Contains(err.Error(), "abcdefghijklmnop") {
		t.Fatal("the secret appears in the error")
	}
}

func TestCheck(t *testing.T) {
	if err := testService(t).Check(context.Background()); err != nil {
		t.Fatalf("Check on the real keyring: %v", err)
	}
	err := NewWithBackend(broken{}, "", time.Second).Check(context.Background())
	if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "not available") {
		t.Fatalf("Check on a broken keyring: %v", err)
	}
	h := hung{release: make(chan struct{})}
	defer close(h.release)
	if err := NewWithBackend(h, "", 50*time.Millisecond).Check(context.Background()); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("Check on a hung keyring: %v", err)
	}
}
