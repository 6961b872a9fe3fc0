package ui

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/mailkey-app/mailkey/app/mail"
	"github.com/mailkey-app/mailkey/app/secret"
	"github.com/mailkey-app/mailkey/app/testpeer"
)

// The UI tests drive the real widgets with Fyne's test driver, on top of the
// real engine, the loopback peers of package testpeer and the real Secret
// Service on the private bus that 'make test' provides.
func TestMain(m *testing.M) {
	testpeer.RequireSessionBus("ui")
	os.Exit(m.Run())
}

const (
	ann      = "ann@gmail.com"
	annPass  = "abcdefghijklmnop"
	annShown = "abcd efgh ijkl mnop"
)

// harness is one app window over a fresh config dir, keyring service and peers.
type harness struct {
	t   *testing.T
	app fyne.App
	g   *gui
	gm  *testpeer.Gmail
	eng *engine.Engine

	mu     sync.Mutex
	opened []string // links the app asked the system browser to open
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	gm, err := testpeer.StartGmail(testpeer.GmailOptions{Dir: t.TempDir(), TestUsers: []string{ann},
		Passwords: map[string]string{ann: annPass}, AccountPasswords: map[string]string{ann: "Correct-Horse-9!"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(gm.Close)
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	eng := engine.New(t.TempDir())
	eng.Secrets = secret.New("mailkey-test-" + hex.EncodeToString(b))
	eng.Sender = &mail.Sender{RootCAs: gm.CA.Pool, Timeout: 5 * time.Second}
	eng.Open = testpeer.Browse
	t.Cleanup(func() { _ = eng.Secrets.DeleteAll(context.Background(), ann) })
	h := &harness{t: t, app: test.NewTempApp(t), gm: gm, eng: eng}
	h.g = h.newWindow()
	return h
}

// newWindow opens another main window over the same engine and config dir,
// as reopening the app would.
func (h *harness) newWindow() *gui {
	g := newGUI(h.app, h.eng)
	g.openURL = func(u *url.URL) error {
		h.mu.Lock()
		h.opened = append(h.opened, u.String())
		h.mu.Unlock()
		return nil
	}
	g.win.Resize(fyne.NewSize(960, 680))
	g.tasks.wait()
	h.t.Cleanup(g.win.Close)
	return g
}

// links returns the links opened so far.
func (h *harness) links() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.opened...)
}

// settle waits for background work to finish and its UI updates to land.
func (h *harness) settle() { h.g.tasks.wait() }

func TestStartsOnWelcomeWithoutAccounts(t *testing.T) {
	h := newHarness(t)
	if h.g.screenName != "welcome" {
		t.Fatalf("first screen %q, want welcome", h.g.screenName)
	}
	if h.g.win.Title() != "mailkey" {
		t.Fatalf("window title %q", h.g.win.Title())
	}
}
