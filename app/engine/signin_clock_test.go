package engine_test

import (
	"context"
	"testing"
	"time"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/mailkey-app/mailkey/app/engine/enginetest"
	"github.com/mailkey-app/mailkey/app/google"
	"github.com/mailkey-app/mailkey/internal/testpeer"
)

// TestSignInEndFollowsTheEngineClock: the sign-in date, its end and the
// status that the CLI and the GUI show come from the engine's clock, not the
// wall clock. A Testing sign-in ends when Google's refresh_token_expires_in
// says, counted from the sign-in, and the account needs a sign-in from then
// on; a sign-in In production has no end until Testing is declared, which
// gives it the 7 days from the sign-in.
func TestSignInEndFollowsTheEngineClock(t *testing.T) {
	// Years from now, so that a date taken from the wall clock cannot pass.
	start := time.Date(2031, 3, 4, 10, 20, 30, 700_000_000, time.UTC)
	clk := enginetest.NewClock(start)
	env := enginetest.New(t, enginetest.InMemory(), enginetest.With(engine.WithClock(clk)))
	client, err := google.ReadClientFile(env.Gmail.ClientFile)
	if err != nil {
		t.Fatal(err)
	}
	login := func(pub account.Publishing) account.Account {
		t.Helper()
		a, err := env.Engine.LoginOAuth(context.Background(), engine.OAuthLogin{
			Client: client, Publishing: pub,
			SMTP: env.Gmail.SMTP.StartTLSURL(), Open: testpeer.Browse, Timeout: 10 * time.Second,
		})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	status := func(at time.Time) account.Status {
		t.Helper()
		clk.Set(at)
		in, err := env.Engine.Account(enginetest.User)
		if err != nil {
			t.Fatal(err)
		}
		return in.Status
	}

	a := login(account.Testing)
	signed := start.Truncate(time.Second)
	end := signed.Add(7*24*time.Hour - time.Second) // the stand-in's refresh_token_expires_in
	if !a.SignedInAt.Equal(signed) || !a.SignInEndsAt.Equal(end) || !a.EndFromGoogle {
		t.Fatalf("Testing sign-in at %v: signed in %v, ends %v (from Google %v), want %v and %v from Google",
			start, a.SignedInAt, a.SignInEndsAt, a.EndFromGoogle, signed, end)
	}
	for _, tc := range []struct {
		at    time.Time
		state account.State
		days  int
	}{
		{signed.Add(24 * time.Hour), account.StateExpiring, 6},
		{end.Add(-time.Second), account.StateExpiring, 1},
		{end, account.StateNeedsSignIn, 0},
	} {
		if s := status(tc.at); s.State != tc.state || s.DaysLeft != tc.days {
			t.Errorf("at %v: %s, %d days left; want %s, %d", tc.at, s.State, s.DaysLeft, tc.state, tc.days)
		}
	}

	env.Gmail.OAuth.SetInProduction(true)
	again := start.Add(30 * 24 * time.Hour)
	clk.Set(again)
	a = login(account.Production)
	if !a.SignedInAt.Equal(again.Truncate(time.Second)) || !a.SignInEndsAt.IsZero() || a.EndFromGoogle {
		t.Fatalf("production sign-in at %v: signed in %v, ends %v (from Google %v), want no end",
			again, a.SignedInAt, a.SignInEndsAt, a.EndFromGoogle)
	}
	if s := status(again.Add(365 * 24 * time.Hour)); s.State != account.StateOK {
		t.Errorf("a production sign-in a year later: %s, want ok", s.State)
	}
	if err := env.Engine.SetPublishing(enginetest.User, account.Testing); err != nil {
		t.Fatal(err)
	}
	if s := status(again.Add(time.Hour)); s.State != account.StateExpiring || s.DaysLeft != 7 ||
		!s.ExpiresAt.Equal(again.Truncate(time.Second).Add(account.TestingLifetime)) {
		t.Errorf("declared Testing: %+v, want 7 days left, ending 7 days after the sign-in", s)
	}
}
