package engine_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/mailkey-app/mailkey/app/arrival"
	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/mailkey-app/mailkey/app/engine/enginetest"
	"github.com/mailkey-app/mailkey/app/google"
	"github.com/mailkey-app/mailkey/app/mail"
	"github.com/mailkey-app/mailkey/app/testpeer"
)

// oauthEnv signs ann in with OAuth, the Gmail API at the stand-in.
func oauthEnv(t *testing.T) *enginetest.Env {
	t.Helper()
	env := enginetest.New(t)
	client, err := google.ReadClientFile(env.Gmail.ClientFile)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.Engine.LoginOAuth(context.Background(), engine.OAuthLogin{Client: client,
		SMTP: env.Gmail.SMTP.StartTLSURL(), Open: testpeer.Browse, Timeout: 10 * time.Second, APIBase: env.Gmail.API.URL}); err != nil {
		t.Fatal(err)
	}
	return env
}

// A token Google stopped taking between the send and the look is refreshed
// once, and the look goes on.
func TestWaitArrivalRefreshesARefusedToken(t *testing.T) {
	env := oauthEnv(t)
	ctx := context.Background()
	res, err := env.Engine.Send(ctx, mail.Message{From: enginetest.User, To: []string{enginetest.User}, Subject: "t", Body: "b"})
	if err != nil {
		t.Fatal(err)
	}
	env.Gmail.OAuth.ExpireAccessTokens()
	hits := env.Gmail.OAuth.TokenHits()
	got, err := env.Engine.WaitArrival(ctx, enginetest.User, res.MessageID, time.Now(), 5*time.Second)
	if err != nil || got.Place != arrival.Inbox || got.Method != "gmail-api" {
		t.Fatalf("WaitArrival = %+v, %v; want the Inbox", got, err)
	}
	if n := env.Gmail.OAuth.TokenHits() - hits; n != 1 {
		t.Errorf("%d token requests, want 1 refresh", n)
	}
}

// The Gmail API off in the project: the look fails with Google's reason.
func TestWaitArrivalAPIDisabled(t *testing.T) {
	env := oauthEnv(t)
	env.Gmail.API.SetAPIDisabled(true)
	_, err := env.Engine.WaitArrival(context.Background(), enginetest.User, "<x@y>", time.Now(), 300*time.Millisecond)
	if !errors.Is(err, arrival.ErrLook) {
		t.Errorf("err = %v, want ErrLook", err)
	}
}
