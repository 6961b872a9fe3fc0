package engine_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/mailkey-app/mailkey/app/arrival"
	"github.com/mailkey-app/mailkey/app/engine/enginetest"
	"github.com/mailkey-app/mailkey/app/mail"
)

// A token Google stopped taking between the send and the look is refreshed
// once, and the look goes on.
func TestWaitArrivalRefreshesARefusedToken(t *testing.T) {
	env := doctorEnv(t)
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
	env := doctorEnv(t)
	env.Gmail.API.SetAPIDisabled(true)
	_, err := env.Engine.WaitArrival(context.Background(), enginetest.User, "<x@y>", time.Now(), 300*time.Millisecond)
	if !errors.Is(err, arrival.ErrLook) {
		t.Errorf("err = %v, want ErrLook", err)
	}
}

// The arrival time counts from the moment the server accepted the message
// (the end of the send), as the GUI counts it: a slow send is not counted.
func TestArrivalCountsFromTheAcceptance(t *testing.T) {
	env := doctorEnv(t)
	const slow = 1500 * time.Millisecond
	env.Gmail.SMTP.SetReplyFault(func(stage string) error {
		if stage == "mail" {
			time.Sleep(slow)
		}
		return nil
	})
	begin := time.Now()
	got, err := env.Engine.TestArrival(context.Background(), enginetest.User, 10*time.Second)
	if err != nil || got.Place != arrival.Inbox {
		t.Fatalf("TestArrival = %+v, %v; want the Inbox", got, err)
	}
	if took := time.Since(begin); took < slow {
		t.Fatalf("the send took %v: the fault did not slow it", took)
	}
	if got.After >= slow {
		t.Errorf("arrival after %v: the %v of the send was counted", got.After, slow)
	}
}
