package engine_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/engine/enginetest"
	"github.com/mailkey-app/mailkey/app/mail"
)

// recipients returns n distinct addresses.
func recipients(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("r%d@example.com", i)
	}
	return out
}

// refusedUnsigned empties the keyring, so that a check made after it would
// meet the missing sign-in first and say so instead, and calls try under
// each transport; then the servers must have seen nothing.
func refusedUnsigned(t *testing.T, try func(env *enginetest.Env, transport string)) {
	t.Helper()
	env := doctorEnv(t)
	if err := env.Secrets.DeleteAll(context.Background(), enginetest.User); err != nil {
		t.Fatal(err)
	}
	for _, transport := range []string{account.TransportAuto, account.TransportSMTP, account.TransportAPI} {
		if err := env.Engine.SetTransport(enginetest.User, transport); err != nil {
			t.Fatal(err)
		}
		try(env, transport)
	}
	if n, hits := env.Gmail.SMTP.Connections(), env.Gmail.API.Hits(); n != 0 || hits != 0 {
		t.Fatalf("refused messages reached the servers: %d SMTP connections, %d API requests", n, hits)
	}
}

// TestSendRefusesOnceBeforeKeyringAndNetwork: Send (the GUI's compose,
// 'mailkey send', the test message) checks a message at one point,
// mail.Message.Check, before it reads the keyring or connects, whatever the
// transport (the recipient limit was checked in the transport, after the
// keyring).
func TestSendRefusesOnceBeforeKeyringAndNetwork(t *testing.T) {
	gone := filepath.Join(t.TempDir(), "gone.pdf")
	tests := []struct {
		name string
		m    mail.Message
		want error
	}{
		{"101 recipients", mail.Message{From: enginetest.User, To: recipients(60), Bcc: recipients(41)}, mail.ErrTooManyRecipients},
		{"no recipient", mail.Message{From: enginetest.User}, mail.ErrNoRecipient},
		{"bad Cc", mail.Message{From: enginetest.User, To: []string{"bob@example.com"}, Cc: []string{"bob@"}}, mail.ErrInvalidAddress},
		{"line break in Subject", mail.Message{From: enginetest.User, To: []string{"bob@example.com"}, Subject: "a\r\nBcc: eve@example.com"}, mail.ErrHeaderInjection},
		{"missing attachment", mail.Message{From: enginetest.User, To: []string{"bob@example.com"}, Attachments: []string{gone}}, mail.ErrAttachment},
	}
	refusedUnsigned(t, func(env *enginetest.Env, transport string) {
		for _, tt := range tests {
			if _, err := env.Engine.Send(context.Background(), tt.m); !errors.Is(err, tt.want) {
				t.Errorf("%s, %s: %v, want %v", transport, tt.name, err, tt.want)
			}
		}
	})
}

// TestSendRawRefusesOnceBeforeKeyringAndNetwork: SendRaw (sendmail, the
// queue, so the relay's messages too) checks at one point, mail.Raw.Check,
// before the keyring and any connection.
func TestSendRawRefusesOnceBeforeKeyringAndNetwork(t *testing.T) {
	tests := []struct {
		name string
		r    mail.Raw
		want error
	}{
		{"101 recipients", mail.Raw{From: enginetest.User, To: recipients(101), Data: []byte(rawMsg)}, mail.ErrTooManyRecipients},
		{"no recipient", mail.Raw{From: enginetest.User, Data: []byte(rawMsg)}, mail.ErrNoRecipient},
		{"bad envelope", mail.Raw{From: enginetest.User, To: []string{"not an address"}, Data: []byte(rawMsg)}, mail.ErrInvalidAddress},
		{"too big", mail.Raw{From: enginetest.User, To: []string{"b@x.org"}, Data: make([]byte, mail.MaxRawBytes+1)}, mail.ErrTooBig},
	}
	refusedUnsigned(t, func(env *enginetest.Env, transport string) {
		for _, tt := range tests {
			if _, err := env.Engine.SendRaw(context.Background(), enginetest.User, tt.r); !errors.Is(err, tt.want) {
				t.Errorf("%s, %s: %v, want %v", transport, tt.name, err, tt.want)
			}
		}
	})
}

// TestTheSendersTakeOnlyCheckedMessages: a mail.Checked or mail.CheckedRaw
// that Check did not make (the zero value, the only other one there is) is
// refused before any connection.
func TestTheSendersTakeOnlyCheckedMessages(t *testing.T) {
	env := enginetest.New(t, enginetest.InMemory())
	ctx := context.Background()
	ep, err := mail.ParseEndpoint(env.Gmail.SMTP.StartTLSURL())
	if err != nil {
		t.Fatal(err)
	}
	cred := mail.Credential{Username: enginetest.User, Password: enginetest.AppPassword}
	api := mail.API{Base: env.Gmail.API.URL}
	s := &mail.Sender{RootCAs: env.Gmail.CA.Pool, Timeout: 5 * time.Second}
	for name, send := range map[string]func() (mail.Result, error){
		"Send":       func() (mail.Result, error) { return s.Send(ctx, ep, cred, mail.Checked{}) },
		"SendAPI":    func() (mail.Result, error) { return s.SendAPI(ctx, api, cred, mail.Checked{}) },
		"SendRaw":    func() (mail.Result, error) { return s.SendRaw(ctx, ep, cred, mail.CheckedRaw{}) },
		"SendRawAPI": func() (mail.Result, error) { return s.SendRawAPI(ctx, api, cred, mail.CheckedRaw{}) },
	} {
		if _, err := send(); err == nil {
			t.Errorf("%s sent an unchecked message", name)
		}
	}
	if n, hits := env.Gmail.SMTP.Connections(), env.Gmail.API.Hits(); n != 0 || hits != 0 {
		t.Fatalf("unchecked messages reached the servers: %d SMTP connections, %d API requests", n, hits)
	}
}
