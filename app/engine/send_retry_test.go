package engine_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/engine/enginetest"
	"github.com/mailkey-app/mailkey/app/mail"
	"github.com/mailkey-app/mailkey/app/oauth"
)

// A cached token Gmail refuses over SMTP is refreshed once and the message
// sent; the transcript keeps both attempts, as SendRaw's does.
func TestSendSMTPRetryKeepsBothTranscripts(t *testing.T) {
	env := doctorEnv(t)
	env.Gmail.OAuth.ExpireAccessTokens()
	res, err := env.Engine.Send(context.Background(), mail.Message{From: enginetest.User, To: []string{"bob@example.com"}, Subject: "retry", Body: "b"})
	if err != nil || res.Transport != mail.TransportSMTP {
		t.Fatalf("send: %+v %v", res, err)
	}
	if !strings.Contains(res.Transcript, "S: 535") || !strings.Contains(res.Transcript, "\nS: 235") ||
		strings.Count(res.Transcript, "\nS: 220 smtp.gmail.com") != 1 {
		t.Fatalf("the transcript lacks an attempt, or joins them on one line:\n%s", res.Transcript)
	}
}

// A refused token whose refresh Google answers deleted_client leaves the
// account needing a sign-in for that cause, which the health card's panel
// for a deleted client shows, and the send's error says so: over SMTP and
// the Gmail API, from SendRaw and Send alike.
func TestRefusedTokenWithDeletedClientKeepsItsCause(t *testing.T) {
	raw := "From: " + enginetest.User + "\r\nTo: bob@example.com\r\nSubject: x\r\n\r\nhi\r\n"
	for name, send := range map[string]func(*enginetest.Env) error{
		"SendRaw over SMTP": func(env *enginetest.Env) error {
			_, err := env.Engine.SendRaw(context.Background(), enginetest.User,
				mail.Raw{From: enginetest.User, To: []string{"bob@example.com"}, Data: []byte(raw)})
			return err
		},
		"Send over the API": func(env *enginetest.Env) error {
			if err := env.Engine.SetTransport(enginetest.User, account.TransportAPI); err != nil {
				return err
			}
			_, err := env.Engine.Send(context.Background(), mail.Message{From: enginetest.User, To: []string{"bob@example.com"}, Subject: "x", Body: "b"})
			return err
		},
	} {
		t.Run(name, func(t *testing.T) {
			env := doctorEnv(t)
			env.Gmail.OAuth.ExpireAccessTokens()
			env.Gmail.OAuth.SetClientDeleted(true)
			err := send(env)
			if !errors.Is(err, oauth.ErrClientDeleted) {
				t.Errorf("send: %v, want the deleted client's error", err)
			}
			a, gerr := env.Accounts.Get(enginetest.User)
			if gerr != nil || !a.NeedsSignIn || a.SignInCause != account.CauseClientDeleted {
				t.Fatalf("account: needs sign-in %v, cause %q (%v); want %q", a.NeedsSignIn, a.SignInCause, gerr, account.CauseClientDeleted)
			}
		})
	}
}
