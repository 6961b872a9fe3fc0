package watch_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/mailkey-app/mailkey/app/engine/enginetest"
	"github.com/mailkey-app/mailkey/app/google"
	"github.com/mailkey-app/mailkey/app/notify"
	"github.com/mailkey-app/mailkey/app/secret"
	"github.com/mailkey-app/mailkey/app/watch"
	"github.com/mailkey-app/mailkey/internal/testpeer"
)

func TestMain(m *testing.M) {
	testpeer.RequireSessionBus("watch")
	os.Exit(m.Run())
}

const ann = enginetest.User

// rig is an engine signed in as ann with OAuth, a fake clock shared by the
// engine and the watcher, and a recording notification service on the
// session bus.
type rig struct {
	t     *testing.T
	env   *enginetest.Env
	srv   *testpeer.Notifications
	bus   *notify.Bus
	w     *watch.Watcher
	warn  bytes.Buffer
	clk   *enginetest.Clock
	start time.Time
}

func newRig(t *testing.T, pub account.Publishing) *rig {
	t.Helper()
	r := &rig{t: t, env: enginetest.New(t), start: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	r.clk = enginetest.NewClock(r.start)
	r.env.Engine.Use(engine.WithClock(r.clk))
	client, err := google.ReadClientFile(r.env.Gmail.ClientFile)
	if err != nil {
		t.Fatal(err)
	}
	// The stand-in's app is in the publishing status the account says, so
	// that Google's refresh_token_expires_in agrees with it.
	r.env.Gmail.OAuth.SetInProduction(pub == account.Production)
	if _, err := r.env.Engine.LoginOAuth(context.Background(), engine.OAuthLogin{
		Client: client, SMTP: r.env.Gmail.SMTP.StartTLSURL(),
		Open: testpeer.Browse, Timeout: 10 * time.Second, APIBase: r.env.Gmail.API.URL, Publishing: pub,
	}); err != nil {
		t.Fatal(err)
	}
	r.startWatcher()
	return r
}

// newAppPasswordRig is newRig with ann signed in by app password.
func newAppPasswordRig(t *testing.T) *rig {
	t.Helper()
	r := &rig{t: t, env: enginetest.New(t), start: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	r.clk = enginetest.NewClock(r.start)
	r.env.Engine.Use(engine.WithClock(r.clk))
	if _, err := r.env.Engine.LoginAppPassword(context.Background(), ann, enginetest.AppPassword, r.env.Gmail.SMTP.StartTLSURL()); err != nil {
		t.Fatal(err)
	}
	r.startWatcher()
	return r
}

// startWatcher starts the recording notification service and the watcher.
func (r *rig) startWatcher() {
	t := r.t
	t.Helper()
	var err error
	if r.srv, err = testpeer.StartNotifications(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.srv.Close)
	if r.bus, err = notify.Connect(context.Background(), r.srv.Name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.bus.Close() })
	r.w = &watch.Watcher{
		Engine: r.env.Engine, Notifier: r.bus, StatePath: filepath.Join(t.TempDir(), "state", "watch.json"),
		Now: r.clk.Now, Warn: &r.warn,
	}
}

// at sets the clock to d after the sign-in.
func (r *rig) at(d time.Duration) { r.clk.Set(r.start.Add(d)) }

// check runs one check and returns the kinds found.
func (r *rig) check() []watch.Kind {
	r.t.Helper()
	found, err := r.w.Check(context.Background())
	if err != nil {
		r.t.Fatal(err)
	}
	var kinds []watch.Kind
	for _, f := range found {
		if f.Address != ann {
			r.t.Errorf("finding for %q", f.Address)
		}
		kinds = append(kinds, f.Kind)
	}
	return kinds
}

// notified returns the summaries and bodies posted so far.
func (r *rig) notified() []string {
	var out []string
	for _, n := range r.srv.Received() {
		out = append(out, n.Summary+" | "+n.Body)
	}
	return out
}

func (r *rig) wantNotified(n int, contains string) {
	r.t.Helper()
	got := r.notified()
	if len(got) != n || (contains != "" && !strings.Contains(got[n-1], contains)) {
		r.t.Fatalf("notifications %q; want %d, the last with %q", got, n, contains)
	}
}

func day(n float64) time.Duration { return time.Duration(n * 24 * float64(time.Hour)) }

func TestTestingSignInEndsSoonThenEnded(t *testing.T) {
	r := newRig(t, account.Testing)
	r.at(day(5))
	if k := r.check(); len(k) != 0 {
		t.Fatalf("day 5: %v", k)
	}
	r.wantNotified(0, "")
	r.at(day(6) + time.Hour) // 23 hours left
	if k := r.check(); len(k) != 1 || k[0] != watch.EndsSoon {
		t.Fatalf("day 6: %v", k)
	}
	r.wantNotified(1, "ends on")
	r.at(day(6) + 2*time.Hour)
	if k := r.check(); len(k) != 1 || k[0] != watch.EndsSoon {
		t.Fatalf("day 6 again: %v", k)
	}
	r.wantNotified(1, "ends on") // once per event
	r.at(day(7) + time.Minute)
	if k := r.check(); len(k) != 1 || k[0] != watch.Ended {
		t.Fatalf("day 7: %v", k)
	}
	r.wantNotified(2, "after 7 days")
	r.check()
	r.wantNotified(2, "")
	n := r.srv.Received()[1]
	if len(n.Actions) != 4 || n.Actions[0] != "default" || n.Actions[3] != "Sign in again" {
		t.Errorf("actions %q", n.Actions)
	}
}

// A fresh sign-in is a new event: its own reminder comes again.
func TestNewSignInIsANewEvent(t *testing.T) {
	r := newRig(t, account.Testing)
	r.at(day(6.5))
	r.check()
	r.wantNotified(1, "ends on")
	if err := r.env.Accounts.Modify(ann, func(a *account.Account) {
		a.SignedInAt = r.clk.Now()
		a.SignInEndsAt = a.SignedInAt.Add(account.TestingLifetime)
	}); err != nil {
		t.Fatal(err)
	}
	r.at(day(13))
	r.check()
	r.wantNotified(2, "ends on")
}

func TestKeepAliveEvery30Days(t *testing.T) {
	r := newRig(t, account.Production)
	hits := r.env.Gmail.OAuth.TokenHits()
	r.at(day(29))
	if k := r.check(); len(k) != 0 {
		t.Fatalf("day 29: %v", k)
	}
	if got := r.env.Gmail.OAuth.TokenHits(); got != hits {
		t.Fatalf("day 29: %d token requests, want none", got-hits)
	}
	r.at(day(30))
	r.check()
	if got := r.env.Gmail.OAuth.TokenHits(); got != hits+1 {
		t.Fatalf("day 30: %d token requests, want 1 refresh", got-hits)
	}
	r.at(day(59))
	r.check()
	r.at(day(60))
	r.check()
	if got := r.env.Gmail.OAuth.TokenHits(); got != hits+2 {
		t.Fatalf("day 60: %d token requests, want 2 refreshes", got-hits)
	}
	r.wantNotified(0, "")
	data, err := os.ReadFile(r.w.StatePath)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []secret.Kind{secret.RefreshToken, secret.AccessToken, secret.ClientSecret} {
		if v, err := r.env.Secrets.Get(context.Background(), ann, k); err != nil || bytes.Contains(data, []byte(v)) {
			t.Errorf("the state file holds the %v (or it is gone: %v)", k, err)
		}
	}
}

func TestRefreshRefused(t *testing.T) {
	cases := []struct {
		name    string
		breakIt func(r *rig)
		want    string
	}{
		{"invalid_grant", func(r *rig) { r.env.Gmail.OAuth.RevokeUser(ann) }, "invalid_grant"},
		{"invalid_client", func(r *rig) {
			if err := r.env.Secrets.Set(context.Background(), ann, secret.ClientSecret, "GOCSPX-reset"); err != nil {
				r.t.Fatal(err)
			}
		}, "invalid_client"},
		{"deleted_client", func(r *rig) { r.env.Gmail.OAuth.SetClientDeleted(true) }, "Google deleted this account's OAuth client (deleted_client)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := newRig(t, account.Production)
			c.breakIt(r)
			r.at(day(30))
			if k := r.check(); len(k) != 1 || k[0] != watch.Refused {
				t.Fatalf("%v", k)
			}
			r.wantNotified(1, c.want)
			r.at(day(31))
			if k := r.check(); len(k) != 1 || k[0] != watch.Refused {
				t.Fatalf("again: %v", k)
			}
			r.wantNotified(1, "")
		})
	}
}

func TestClientUnused150Days(t *testing.T) {
	r := newRig(t, account.Production)
	// The watcher did not run for 151 days, and now the token endpoint is in trouble.
	r.env.Gmail.OAuth.SetTokenFault(func(string) (int, time.Duration) { return 503, 0 })
	r.at(day(151))
	if k := r.check(); len(k) != 1 || k[0] != watch.Unused {
		t.Fatalf("%v", k)
	}
	r.wantNotified(1, "not been used for 151 days")
	r.at(day(151) + time.Hour)
	r.check()
	r.wantNotified(1, "")
	// Once a refresh works again, the client counts as used.
	r.env.Gmail.OAuth.SetTokenFault(nil)
	r.at(day(152))
	if k := r.check(); len(k) != 0 {
		t.Fatalf("after a refresh: %v", k)
	}
}

func TestNoNotificationServiceSaysSoOnce(t *testing.T) {
	r := newRig(t, account.Testing)
	r.srv.Close() // the service goes away
	r.at(day(6.5))
	if k := r.check(); len(k) != 1 {
		t.Fatalf("%v", k)
	}
	r.at(day(7.5))
	if k := r.check(); len(k) != 1 {
		t.Fatalf("%v", k)
	}
	if n := strings.Count(r.warn.String(), "No desktop notification service answers"); n != 1 {
		t.Errorf("warned %d times: %q", n, r.warn.String())
	}
	// Nothing was posted, so nothing is remembered as sent: a service that
	// answers later gets the current event.
	srv, err := testpeer.StartNotifications()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	bus, err := notify.Connect(context.Background(), srv.Name)
	if err != nil {
		t.Fatal(err)
	}
	defer bus.Close()
	r.w.Notifier = bus
	r.check()
	if got := srv.Received(); len(got) != 1 || !strings.Contains(got[0].Body, "after 7 days") {
		t.Errorf("posted %+v", got)
	}
}

func TestActionOpensTheRightScreen(t *testing.T) {
	r := newRig(t, account.Testing)
	r.at(day(6.5))
	r.check()
	opened := make(chan watch.Finding, 1)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go r.w.HandleActions(ctx, r.bus.Invoked(), func(f watch.Finding) error { opened <- f; return nil })
	id := r.srv.Received()[0].ID
	if err := r.srv.Invoke(id, "default"); err != nil {
		t.Fatal(err)
	}
	select {
	case f := <-opened:
		if f.Screen != watch.ScreenSignIn || f.Address != ann {
			t.Errorf("opened %+v", f)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the action did not open mailkey")
	}
}

func TestAppPasswordAccountsNeedNothing(t *testing.T) {
	r := newRig(t, account.Production)
	if err := r.env.Accounts.Put(account.Account{Address: "bob@gmail.com", Method: account.AppPassword, SignedInAt: r.start}); err != nil {
		t.Fatal(err)
	}
	r.at(day(400))
	if k := r.check(); len(k) != 0 {
		t.Errorf("found %v; an app password has no end date and ann's client was just refreshed", k)
	}
}

// Run checks on its schedule until cancelled, and the event is still
// notified once.
func TestRunChecksUntilCancelled(t *testing.T) {
	r := newRig(t, account.Testing)
	r.at(day(6.5))
	ctx, cancel := context.WithCancel(context.Background())
	checks := 0
	err := r.w.Run(ctx, 10*time.Millisecond, func(found []watch.Finding, err error) {
		if err != nil || len(found) != 1 {
			t.Errorf("check %d: %v, %v", checks, found, err)
		}
		if checks++; checks == 3 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) || checks != 3 {
		t.Errorf("Run = %v after %d checks", err, checks)
	}
	r.wantNotified(1, "ends on")
}
