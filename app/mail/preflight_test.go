package mail

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/internal/testpeer"
)

// TestPreflightRecipientLimit: more than 100 recipients are refused before
// any connection, over SMTP and through the API; 100 go out.
func TestPreflightRecipientLimit(t *testing.T) {
	p := startPeers(t)
	many := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = fmt.Sprintf("r%d@example.com", i)
		}
		return out
	}
	m := Message{From: ann, To: many(60), Cc: many(30), Bcc: many(11), Subject: "x", Body: "y"}
	cred := Credential{Username: ann, Password: annPass}
	_, err := sendSMTP(p.sender, context.Background(), mustEndpoint(t, p.SMTP.StartTLSURL()), cred, m)
	if !errors.Is(err, ErrTooManyRecipients) || advice.TextOf(err).Key != "mail.too_many_recipients" {
		t.Fatalf("101 recipients over SMTP: %v", err)
	}
	if n := p.SMTP.AuthAttempts(); n != 0 {
		t.Fatalf("mailkey connected (%d logins) before refusing", n)
	}
	if _, err := sendAPI(p.sender, context.Background(), API{Base: p.API.URL}, Credential{Username: ann, Token: "ya29.x"}, m); !errors.Is(err, ErrTooManyRecipients) {
		t.Fatalf("101 recipients through the API: %v", err)
	}
	if p.API.Hits() != 0 {
		t.Fatal("the API was called")
	}
	m.Bcc = m.Bcc[:10]
	if _, err := sendSMTP(p.sender, context.Background(), mustEndpoint(t, p.SMTP.StartTLSURL()), cred, m); err != nil {
		t.Fatalf("100 recipients: %v", err)
	}
	if got := len(p.SMTP.Messages()[0].To); got != 100 {
		t.Fatalf("%d recipients arrived", got)
	}
}

// TestPreflightAdvertisedSize: a message whose encoded size is over the
// SIZE the server advertised (Gmail's 35882577) is refused before MAIL.
func TestPreflightAdvertisedSize(t *testing.T) {
	p := startPeers(t)
	big := filepath.Join(t.TempDir(), "video.mp4")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	// 27 MiB of attachment grows to about 38 MB in base64: over the SIZE
	// 35882577 that the peer advertises, as Gmail does.
	if err := f.Truncate(27 << 20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	var mails atomic.Int32
	p.SMTP.SetReplyFault(func(stage string) error {
		if stage == "mail" {
			mails.Add(1)
		}
		return nil
	})
	m := Message{From: ann, To: []string{"bob@example.com"}, Subject: "film", Body: "here", Attachments: []string{big}}
	_, err = sendSMTP(p.sender, context.Background(), mustEndpoint(t, p.SMTP.StartTLSURL()), Credential{Username: ann, Password: annPass}, m)
	if !errors.Is(err, ErrTooBig) || advice.TextOf(err).Key != "mail.too_big_for_server" {
		t.Fatalf("oversized message: %v", err)
	}
	if mails.Load() != 0 || len(p.SMTP.Messages()) != 0 {
		t.Fatal("MAIL was sent for an oversized message")
	}
	t.Log(err)
}

// TestPreflightRaw: a raw message (sendmail, the relay) gets the same
// pre-flight as Send: more than 100 envelope recipients are refused before
// any connection, and a message over the SIZE the server advertised before
// MAIL.
func TestPreflightRaw(t *testing.T) {
	p := startPeers(t)
	to := make([]string, MaxRecipients+1)
	for i := range to {
		to[i] = fmt.Sprintf("r%d@example.com", i)
	}
	data := []byte("From: " + ann + "\r\nSubject: raw\r\n\r\n" + strings.Repeat("x", 2000) + "\r\n")
	cred := Credential{Username: ann, Password: annPass}
	_, err := sendRaw(p.sender, context.Background(), mustEndpoint(t, p.SMTP.StartTLSURL()), cred, Raw{From: ann, To: to, Data: data})
	if !errors.Is(err, ErrTooManyRecipients) || advice.TextOf(err).Key != "mail.too_many_recipients" {
		t.Fatalf("101 envelope recipients: %v", err)
	}
	if n := p.SMTP.AuthAttempts(); n != 0 {
		t.Fatalf("mailkey connected (%d logins) before refusing", n)
	}

	small, err := testpeer.StartSMTP(testpeer.SMTPOptions{TLS: p.CA.ServerTLS, Passwords: map[string]string{ann: annPass}, Size: 1000})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = small.Close() })
	var mails atomic.Int32
	small.SetReplyFault(func(stage string) error {
		if stage == "mail" {
			mails.Add(1)
		}
		return nil
	})
	_, err = sendRaw(p.sender, context.Background(), mustEndpoint(t, small.StartTLSURL()), cred, Raw{From: ann, To: to[:1], Data: data})
	if !errors.Is(err, ErrTooBig) || advice.TextOf(err).Key != "mail.too_big_for_server" {
		t.Fatalf("over the advertised SIZE 1000: %v", err)
	}
	if mails.Load() != 0 || len(small.Messages()) != 0 {
		t.Fatal("MAIL was sent for an oversized message")
	}
}
