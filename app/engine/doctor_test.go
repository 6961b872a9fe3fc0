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
	"github.com/mailkey-app/mailkey/app/testpeer"
)

// doctorEnv signs ann in with OAuth, with the Gmail API at the local peer.
func doctorEnv(t *testing.T) *enginetest.Env {
	t.Helper()
	env := enginetest.New(t)
	client, err := google.ReadClientFile(env.Gmail.ClientFile)
	if err != nil {
		t.Fatal(err)
	}
	a, err := env.Engine.LoginOAuth(context.Background(), engine.OAuthLogin{Client: client,
		SMTP: env.Gmail.SMTP.StartTLSURL(), Open: testpeer.Browse, Timeout: 10 * time.Second, APIBase: env.Gmail.API.URL + "/"})
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
	if len(byID) != 4 {
		t.Fatalf("%d checks, want 4", len(byID))
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
	if !strings.Contains(api.Link, "gmail.googleapis.com") || !strings.Contains(api.Link, "?project=mailkey-test") || api.Fix == "" {
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
	if err := env.Engine.Accounts.Modify(enginetest.User, func(a *account.Account) { a.Scopes = "openid email" }); err != nil {
		t.Fatal(err)
	}
	c := doctor(t, env)[engine.CheckScope]
	if !c.Failed() || !c.SignIn || !strings.Contains(c.Detail, google.ScopeMail) {
		t.Fatalf("scope: %+v", c)
	}
}

func TestDoctorAppPassword(t *testing.T) {
	env := enginetest.New(t)
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
	if got := strings.Join(f.Done, " "); got != "scopes project audience client download" ||
		!strings.Contains(f.NotDone["gmail-api"].What, "turned off") {
		t.Fatalf("API off: done %q, not done %v", got, f.NotDone)
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
	env := enginetest.New(t)
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
