package engine_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/engine/enginetest"
	"github.com/mailkey-app/mailkey/app/mail"
)

const rawMsg = "From: Ann <ann@gmail.com>\r\nTo: bob@example.com\r\nSubject: raw\r\nMessage-ID: <raw@test>\r\nX-Kept: as it is\r\n\r\nbody\r\n"

func rawMessage() mail.Raw {
	return mail.Raw{From: enginetest.User, To: []string{"bob@example.com", "eve@example.com"}, Data: []byte(rawMsg), MessageID: "<raw@test>"}
}

func TestSendRawEveryTransport(t *testing.T) {
	env := doctorEnv(t)
	ctx := context.Background()
	g := env.Gmail

	// SMTP (auto, reachable): the bytes as they are, the envelope as given.
	res, err := env.Engine.SendRaw(ctx, enginetest.User, rawMessage())
	if err != nil || res.Transport != mail.TransportSMTP || res.MessageID != "<raw@test>" {
		t.Fatalf("over SMTP: %+v %v", res, err)
	}
	m := g.SMTP.Messages()
	if len(m) != 1 || string(m[0].Data) != rawMsg || strings.Join(m[0].To, " ") != "bob@example.com eve@example.com" || m[0].Mech != "XOAUTH2" {
		t.Fatalf("SMTP got %+v\n%s", m, m[0].Data)
	}

	// The Gmail API: the hidden recipient goes in a Bcc header before the message.
	if err := env.Engine.SetTransport(enginetest.User, account.TransportAPI); err != nil {
		t.Fatal(err)
	}
	g.OAuth.ExpireAccessTokens() // refused once, refreshed, sent
	res, err = env.Engine.SendRaw(ctx, enginetest.User, rawMessage())
	if err != nil || res.Transport != mail.TransportAPI {
		t.Fatalf("over the API: %+v %v", res, err)
	}
	sent := g.API.Sent()
	if len(sent) != 1 || string(sent[0]) != "Bcc: eve@example.com\r\n"+rawMsg {
		t.Fatalf("the API got %q", sent)
	}

	// auto with SMTP unreachable: the API, and the reason.
	if err := env.Engine.SetTransport(enginetest.User, account.TransportAuto); err != nil {
		t.Fatal(err)
	}
	_ = g.SMTP.Close()
	res, err = env.Engine.SendRaw(ctx, enginetest.User, rawMessage())
	if err != nil || res.Transport != mail.TransportAPI || res.Fallback.What == "" || len(g.API.Sent()) != 2 {
		t.Fatalf("fallback: %+v %v", res, err)
	}
}

func TestSendRawRefusesBeforeConnecting(t *testing.T) {
	env := doctorEnv(t)
	for name, r := range map[string]mail.Raw{
		"no recipient": {From: enginetest.User, Data: []byte(rawMsg)},
		"bad envelope": {From: enginetest.User, To: []string{"not an address"}, Data: []byte(rawMsg)},
		"too big":      {From: enginetest.User, To: []string{"b@x.org"}, Data: make([]byte, mail.MaxRawBytes+1)},
	} {
		if _, err := env.Engine.SendRaw(context.Background(), enginetest.User, r); err == nil {
			t.Errorf("%s: sent", name)
		}
	}
	if env.Gmail.SMTP.AuthAttempts() != 0 {
		t.Fatal("a refused message reached the server")
	}
}

func TestSendingAccount(t *testing.T) {
	env := enginetest.New(t, enginetest.InMemory())
	if _, err := env.Engine.SendingAccount(""); !errors.Is(err, account.ErrNotFound) {
		t.Fatalf("no accounts: %v", err)
	}
	_ = env.Accounts.Put(account.Account{Address: "ann@gmail.com", Method: account.AppPassword})
	if a, err := env.Engine.SendingAccount(""); err != nil || a.Address != "ann@gmail.com" {
		t.Fatalf("the only account: %v %v", a, err)
	}
	_ = env.Accounts.Put(account.Account{Address: "zoe@gmail.com", Method: account.AppPassword})
	_, err := env.Engine.SendingAccount("")
	if !errors.Is(err, account.ErrNotFound) || !strings.Contains(err.Error(), "ann@gmail.com, zoe@gmail.com") {
		t.Fatalf("two accounts: %v", err)
	}
	if a, err := env.Engine.SendingAccount("ZOE@gmail.com"); err != nil || a.Address != "zoe@gmail.com" {
		t.Fatalf("by address: %v %v", a, err)
	}
}
