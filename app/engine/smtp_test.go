package engine_test

import (
	"context"
	"errors"
	"net"
	"testing"

	"github.com/mailkey-app/mailkey/app/engine/enginetest"
	"github.com/mailkey-app/mailkey/app/secret"
)

// TestSetSMTP moves an app-password account from STARTTLS to implicit TLS
// after a login there, and leaves it alone when the new server refuses or
// cannot be used.
func TestSetSMTP(t *testing.T) {
	env := enginetest.New(t, enginetest.InMemory())
	ctx := context.Background()
	if _, err := env.Engine.LoginAppPassword(ctx, enginetest.User, enginetest.AppPassword, env.Gmail.SMTP.StartTLSURL()); err != nil {
		t.Fatal(err)
	}
	smtps := env.Gmail.SMTP.ImplicitTLSURL()
	if _, err := env.Engine.SetSMTP(ctx, enginetest.User, smtps); err != nil {
		t.Fatalf("SetSMTP: %v", err)
	}
	in, err := env.Engine.Account(enginetest.User)
	if err != nil || in.SMTP != smtps {
		t.Fatalf("saved %q (%v), want %s", in.SMTP, err, smtps)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0") // a port that accepts and closes: no SMTP there
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close()
	for _, bad := range []string{"smtp://" + closed, "http://example.com"} {
		if _, err := env.Engine.SetSMTP(ctx, enginetest.User, bad); err == nil {
			t.Errorf("SetSMTP(%s) succeeded", bad)
		}
		if in, _ := env.Engine.Account(enginetest.User); in.SMTP != smtps {
			t.Errorf("after a failed SetSMTP(%s) the account has %q", bad, in.SMTP)
		}
	}
}

// TestAppPasswordForExport: the export reads the app password through the
// engine, as it was saved (without the spaces Google shows), and a missing
// one is secret.ErrNotFound.
func TestAppPasswordForExport(t *testing.T) {
	env := enginetest.New(t, enginetest.InMemory())
	ctx := context.Background()
	if _, err := env.Engine.LoginAppPassword(ctx, enginetest.User, enginetest.AppPasswordSeen, env.Gmail.SMTP.StartTLSURL()); err != nil {
		t.Fatal(err)
	}
	if pw, err := env.Engine.AppPassword(ctx, enginetest.User); err != nil || pw != enginetest.AppPassword {
		t.Fatalf("AppPassword = %q, %v; want the saved one", pw, err)
	}
	if _, err := env.Engine.AppPassword(ctx, "zoe@gmail.com"); !errors.Is(err, secret.ErrNotFound) {
		t.Fatalf("AppPassword of an address without one = %v, want secret.ErrNotFound", err)
	}
}
