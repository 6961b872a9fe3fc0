package engine_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/mailkey-app/mailkey/app/engine/enginetest"
	"github.com/mailkey-app/mailkey/app/google"
	"github.com/mailkey-app/mailkey/app/setup"
	"github.com/mailkey-app/mailkey/internal/testpeer"
)

// doctorEnv signs ann in with OAuth, with the Gmail API at the local peer.
func doctorEnv(t *testing.T) *enginetest.Env {
	t.Helper()
	env := enginetest.New(t, enginetest.InMemory())
	client, err := google.ReadClientFile(env.Gmail.ClientFile)
	if err != nil {
		t.Fatal(err)
	}
	a, err := env.Engine.LoginOAuth(context.Background(), engine.OAuthLogin{
		Client: client,
		SMTP:   env.Gmail.SMTP.StartTLSURL(), Open: testpeer.Browse, Timeout: 10 * time.Second, APIBase: env.Gmail.API.URL + "/",
	})
	if err != nil {
		t.Fatal(err)
	}
	if a.APIBase != env.Gmail.API.URL || !strings.Contains(a.Scopes, google.ScopeMail) {
		t.Fatalf("saved account: api %q scopes %q", a.APIBase, a.Scopes)
	}
	return env
}

func doctor(t *testing.T, env *enginetest.Env) map[string]engine.Check {
	t.Helper()
	checks, err := env.Engine.Doctor(context.Background(), enginetest.User)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]engine.Check{}
	for _, c := range checks {
		t.Logf("%-10s ok=%v skipped=%v %s | %s | %s", c.ID, c.OK, c.Skipped, c.Detail, c.Fix, c.Link)
		byID[c.ID] = c
	}
	want := 4 // an app password has no OAuth client to keep in use
	if _, oauth := byID[engine.CheckClient]; oauth {
		want = 5
	}
	if len(byID) != want || len(checks) != want {
		t.Fatalf("%d checks, want %d", len(checks), want)
	}
	return byID
}

func TestDoctorHealthyOAuth(t *testing.T) {
	env := doctorEnv(t)
	for id, c := range doctor(t, env) {
		if !c.OK || c.Skipped || c.Failed() {
			t.Errorf("%s: %+v, want OK", id, c)
		}
	}
	if env.Gmail.API.Hits() != 1 {
		t.Errorf("%d API calls, want 1", env.Gmail.API.Hits())
	}
}

func TestDoctorAPIDisabled(t *testing.T) {
	env := doctorEnv(t)
	env.Gmail.API.SetAPIDisabled(true)
	checks := doctor(t, env)
	api := checks[engine.CheckAPI]
	if !api.Failed() || api.SignIn {
		t.Fatalf("gmail-api: %+v, want a failure fixed in the console", api)
	}
	// The link is the activationUrl Google's answer carries.
	if api.Link != "https://console.developers.google.com/apis/api/gmail.googleapis.com/overview?project="+testpeer.DefaultProjectNumber || api.Fix == "" {
		t.Errorf("gmail-api link %q fix %q", api.Link, api.Fix)
	}
	if a := checks[engine.CheckAddress]; !a.Skipped {
		t.Errorf("address: %+v, want skipped without the API", a)
	}
	if !checks[engine.CheckScope].OK || !checks[engine.CheckSMTP].OK {
		t.Errorf("scope or SMTP failed with only the API off")
	}
	env.Gmail.API.SetAPIDisabled(false)
	if api := doctor(t, env)[engine.CheckAPI]; !api.OK {
		t.Fatalf("after Enable: %+v", api)
	}
}

// TestDoctorRefusedToken: a cached token the API refuses is refreshed once.
func TestDoctorRefusedToken(t *testing.T) {
	env := doctorEnv(t)
	env.Gmail.OAuth.ExpireAccessTokens()
	hits := env.Gmail.OAuth.TokenHits()
	if api := doctor(t, env)[engine.CheckAPI]; !api.OK {
		t.Fatalf("gmail-api after the token expired: %+v", api)
	}
	if n := env.Gmail.OAuth.TokenHits() - hits; n != 1 {
		t.Errorf("%d refreshes, want 1", n)
	}
	env.Gmail.OAuth.RevokeUser(enginetest.User)
	api := doctor(t, env)[engine.CheckAPI]
	if !api.Failed() || !api.SignIn {
		t.Fatalf("revoked: %+v, want a failure fixed by signing in", api)
	}
}

func TestDoctorScopeMissing(t *testing.T) {
	env := doctorEnv(t)
	if err := env.Accounts.Modify(enginetest.User, func(a *account.Account) { a.Scopes = "openid email" }); err != nil {
		t.Fatal(err)
	}
	c := doctor(t, env)[engine.CheckScope]
	if !c.Failed() || !c.SignIn || !strings.Contains(c.Detail, google.ScopeMail) {
		t.Fatalf("scope: %+v", c)
	}
}

func TestDoctorAppPassword(t *testing.T) {
	env := enginetest.New(t, enginetest.InMemory())
	if _, err := env.Engine.LoginAppPassword(context.Background(), enginetest.User, enginetest.AppPasswordSeen, env.Gmail.SMTP.StartTLSURL()); err != nil {
		t.Fatal(err)
	}
	checks := doctor(t, env)
	for _, id := range []string{engine.CheckScope, engine.CheckAPI, engine.CheckAddress} {
		if c := checks[id]; !c.Skipped || !strings.HasPrefix(c.Detail, "Not applicable") {
			t.Errorf("%s: %+v, want not applicable", id, c)
		}
	}
	if !checks[engine.CheckSMTP].OK {
		t.Errorf("smtp: %+v", checks[engine.CheckSMTP])
	}
	if env.Gmail.API.Hits() != 0 {
		t.Error("an app-password account called the Gmail API")
	}
}

func TestConsoleFindings(t *testing.T) {
	env := doctorEnv(t)
	checks, err := env.Engine.Doctor(context.Background(), enginetest.User)
	if err != nil {
		t.Fatal(err)
	}
	f := engine.ConsoleFindings(checks)
	if got := strings.Join(f.Done, " "); got != "scopes project audience client download gmail-api" || len(f.NotDone) != 0 {
		t.Fatalf("healthy: done %q, not done %v", got, f.NotDone)
	}
	env.Gmail.API.SetAPIDisabled(true)
	if checks, err = env.Engine.Doctor(context.Background(), enginetest.User); err != nil {
		t.Fatal(err)
	}
	f = engine.ConsoleFindings(checks)
	said, _ := engine.FindingText(f.NotDone["gmail-api"])
	if got := strings.Join(f.Done, " "); got != "scopes project audience client download" ||
		!strings.Contains(said.What, "turned off") {
		t.Fatalf("API off: done %q, not done %v", got, f.NotDone)
	}
	// The flag is what the check found, and says what the check said.
	if api := checks[1]; api.ID != engine.CheckAPI || f.NotDone["gmail-api"].Finding != setup.FindingAPIOff ||
		said.Key != api.Text.Key || said.What != api.Text.What || said.Next != api.Text.Next {
		t.Errorf("API off flagged %+v, saying %+v; the check said %+v", f.NotDone["gmail-api"], said, api.Text)
	}
}

func TestSetTransport(t *testing.T) {
	env := doctorEnv(t)
	for _, bad := range []string{"", "https", "SMTP"} {
		if err := env.Engine.SetTransport(enginetest.User, bad); !errors.Is(err, engine.ErrBadTransport) {
			t.Errorf("SetTransport(%q) = %v, want ErrBadTransport", bad, err)
		}
	}
	for _, tr := range []string{account.TransportAPI, account.TransportSMTP, account.TransportAuto} {
		if err := env.Engine.SetTransport(enginetest.User, tr); err != nil {
			t.Fatal(err)
		}
		if in, _ := env.Engine.Account(enginetest.User); in.Transport != tr || in.EffectiveTransport() != tr {
			t.Fatalf("after SetTransport(%q): %q", tr, in.Transport)
		}
	}
	if err := env.Engine.SetTransport("nobody@gmail.com", account.TransportSMTP); !errors.Is(err, account.ErrNotFound) {
		t.Errorf("unknown account: %v", err)
	}
}

func TestSetTransportAppPassword(t *testing.T) {
	env := enginetest.New(t, enginetest.InMemory())
	if _, err := env.Engine.LoginAppPassword(context.Background(), enginetest.User, enginetest.AppPasswordSeen, env.Gmail.SMTP.StartTLSURL()); err != nil {
		t.Fatal(err)
	}
	if err := env.Engine.SetTransport(enginetest.User, account.TransportAPI); !errors.Is(err, engine.ErrBadTransport) {
		t.Errorf("app password over the API: %v", err)
	}
	if err := env.Engine.SetTransport(enginetest.User, account.TransportSMTP); err != nil {
		t.Error(err)
	}
}

// TestDoctorClientIdle: an OAuth client unused for more than 150 days is
// flagged with the Clients page, and a refresh (use, in Google's eyes) clears
// the warning and is recorded.
func TestDoctorClientIdle(t *testing.T) {
	env := doctorEnv(t)
	clk := enginetest.NewClock(time.Now())
	env.Engine.Use(engine.WithClock(clk))
	now := clk.Now()
	if c := doctor(t, env)[engine.CheckClient]; !c.OK {
		t.Fatalf("fresh sign-in: %+v", c)
	}
	a, err := env.Accounts.Get(enginetest.User)
	if err != nil || !a.LastRefresh.IsZero() && a.LastRefresh.Before(a.SignedInAt) {
		t.Fatalf("account %+v, %v", a, err)
	}
	// 151 days later, Google has deleted the client: the refresh fails.
	later := now.Add(151 * 24 * time.Hour)
	clk.Set(later)
	env.Gmail.OAuth.SetClientDeleted(true)
	checks := doctor(t, env)
	c := checks[engine.CheckClient]
	if !c.Failed() || c.Text.Key != "doctor.client_idle" || !strings.Contains(c.Detail, "151 days") ||
		c.Link != "https://console.cloud.google.com/auth/clients?project=mailkey-test" {
		t.Fatalf("idle client: %+v", c)
	}
	if api := checks[engine.CheckAPI]; !api.SignIn || api.Text.Key != "oauth.client_deleted" {
		t.Fatalf("api check with a deleted client: %+v", api)
	}
	if in, err := env.Engine.Account(enginetest.User); err != nil || !in.ClientIdle(later) || in.Status.State != account.StateNeedsSignIn {
		t.Fatalf("account after deleted_client: %+v %v", in, err)
	}
	// Restored within 30 days: the next refresh is use again.
	env.Gmail.OAuth.SetClientDeleted(false)
	if _, err := env.Engine.Token(context.Background(), enginetest.User); err != nil {
		t.Fatal(err)
	}
	a, _ = env.Accounts.Get(enginetest.User)
	if !a.LastRefresh.Equal(later) || a.ClientIdle(later) || a.NeedsSignIn {
		t.Fatalf("after the refresh: last %v idle %v needs %v", a.LastRefresh, a.ClientIdle(later), a.NeedsSignIn)
	}
	if c := doctor(t, env)[engine.CheckClient]; !c.OK {
		t.Fatalf("after the refresh: %+v", c)
	}
}

// TestDoctorGmailAPILimits: the profile call answered in Google's words for
// an account without Gmail and for the daily sending limit is explained as a
// send would be, not as a sign-in problem.
func TestDoctorGmailAPILimits(t *testing.T) {
	env := doctorEnv(t)
	for name, key := range map[string]string{
		"api/mail-service-not-enabled":    "mail.api_no_mailbox",
		"api/rate-limit-429-quota-metric": "mail.api_rate_limited",
		"api/daily-sending-limit":         "mail.api_daily_limit_until",
	} {
		env.Gmail.API.SetAnswer(name)
		api := doctor(t, env)[engine.CheckAPI]
		if !api.Failed() || api.SignIn || api.Text.Key != key {
			t.Errorf("%s: %+v, want %s", name, api, key)
		}
	}
}
