package ui

import (
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/mailkey-app/mailkey/app/engine/enginetest"
	"github.com/mailkey-app/mailkey/internal/testpeer"
)

// The UI tests drive the real widgets with Fyne's test driver, on top of the
// real engine, the loopback peers of package testpeer and the real Secret
// Service on the private bus that 'make test' provides.
func TestMain(m *testing.M) {
	testpeer.RequireSessionBus("ui")
	os.Exit(m.Run())
}

const (
	ann      = enginetest.User
	annPass  = enginetest.AppPassword
	annShown = enginetest.AppPasswordSeen
)

// harness is one app window over a fresh config dir, keyring service and peers.
type harness struct {
	t   *testing.T
	app *queuedApp
	g   *gui
	gm  *testpeer.Gmail
	eng *engine.Engine
	env *enginetest.Env // the accounts file and keyring beside the engine, for setting up and checking

	mu     sync.Mutex
	opened []string // links the app asked the system browser to open
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	t.Setenv("XDG_STATE_HOME", filepath.Join(t.TempDir(), "state")) // the relay panel's queue
	env := enginetest.New(t)
	h := &harness{t: t, app: newQueuedApp(test.NewTempApp(t)), gm: env.Gmail, eng: env.Engine, env: env}
	fyne.SetCurrentApp(h.app)
	// The tests read English unless they choose otherwise, whatever the
	// locale of the machine that runs them.
	h.app.Preferences().SetString(prefLanguage, "en")
	h.g = h.newWindow()
	t.Cleanup(h.settle)
	return h
}

// queuedApp makes UI updates from background work land on the test
// goroutine, as they land on the UI goroutine in the app: fyne.Do and
// fyne.DoAndWait queue them, and harness.settle runs them. Fyne's test driver
// would run them on the worker goroutine, at the same time as the test.
type queuedApp struct {
	fyne.App
	drv *queuedDriver
}

type queuedDriver struct {
	fyne.Driver
	queue chan func()
}

func newQueuedApp(a fyne.App) *queuedApp {
	return &queuedApp{App: a, drv: &queuedDriver{Driver: a.Driver(), queue: make(chan func())}}
}

func (a *queuedApp) Driver() fyne.Driver { return a.drv }

func (d *queuedDriver) DoFromGoroutine(f func(), wait bool) {
	if !wait {
		go func() { d.queue <- f }()
		return
	}
	ran := make(chan struct{})
	d.queue <- func() { defer close(ran); f() }
	<-ran
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
	g.start()
	h.drain(g)
	h.t.Cleanup(g.win.Close)
	return g
}

// links returns the links opened so far.
func (h *harness) links() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.opened...)
}

// settle waits for background work to finish, running its UI updates on the
// test goroutine as they come.
func (h *harness) settle() { h.drain(h.g) }

func (h *harness) drain(g *gui) {
	idle := make(chan struct{})
	go func() { g.tasks.wait(); close(idle) }()
	for {
		select {
		case f := <-h.app.drv.queue:
			f()
		case <-idle:
			h.flush()
			return
		}
	}
}

// flush runs the UI updates queued with fyne.Do outside the tasks, until
// none has come for a moment.
func (h *harness) flush() {
	for {
		select {
		case f := <-h.app.drv.queue:
			f()
		case <-time.After(20 * time.Millisecond):
			return
		}
	}
}

func TestStartsOnWelcomeWithoutAccounts(t *testing.T) {
	h := newHarness(t)
	if h.g.stage.name != "welcome" {
		t.Fatalf("first screen %q, want welcome", h.g.stage.name)
	}
	if h.g.win.Title() != "Add an account – mailkey" {
		t.Fatalf("window title %q", h.g.win.Title())
	}
}

// await runs queued UI updates until ch delivers, for work that waits on the
// UI (fyne.DoAndWait) before it reaches the test.
func await[T any](h *harness, ch <-chan T) T {
	h.t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case v := <-ch:
			return v
		case f := <-h.app.drv.queue:
			f()
		case <-timeout:
			h.t.Fatal("timed out waiting for background work")
		}
	}
}

// walk calls fn on o and everything drawn inside it.
func walk(o fyne.CanvasObject, fn func(fyne.CanvasObject)) {
	walkWhere(o, func(fyne.CanvasObject) bool { return true }, fn)
}

// walkWhere is walk that enters only the objects enter accepts.
func walkWhere(o fyne.CanvasObject, enter func(fyne.CanvasObject) bool, fn func(fyne.CanvasObject)) {
	if o == nil || !enter(o) {
		return
	}
	fn(o)
	switch x := o.(type) {
	case *fyne.Container:
		for _, c := range x.Objects {
			walkWhere(c, enter, fn)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(x).Objects() {
			walkWhere(c, enter, fn)
		}
	}
}

// overlay returns the text of every label and button in the top overlay
// (a dialog), and the button with the given text, if any.
func overlay(t *testing.T, h *harness, label string) (string, *widget.Button) {
	t.Helper()
	top := h.g.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no dialog on show")
	}
	var texts []string
	var found *widget.Button
	walk(top, func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *widget.Label:
			texts = append(texts, x.Text)
		case *widget.Button:
			texts = append(texts, x.Text)
			if x.Text == label {
				found = x
			}
		case *button:
			texts = append(texts, x.Text)
			if x.Text == label {
				found = &x.Button
			}
		}
	})
	return strings.Join(texts, "\n"), found
}

// itoa is strconv.Itoa, short for the tests.
func itoa(n int) string { return strconv.Itoa(n) }
