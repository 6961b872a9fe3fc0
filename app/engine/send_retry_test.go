package engine_test

import (
	"context"
	"strings"
	"testing"

	"github.com/mailkey-app/mailkey/app/engine/enginetest"
	"github.com/mailkey-app/mailkey/app/mail"
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
