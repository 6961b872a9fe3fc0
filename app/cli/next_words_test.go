package cli

import (
	"context"
	"testing"

	"github.com/mailkey-app/mailkey/app/arrival"
	"github.com/mailkey-app/mailkey/app/engine/enginetest"
	"github.com/mailkey-app/mailkey/app/secret"
)

// The command line words the app-password actions as it did before typed
// actions (commit 4c2f160), each case its own sentence.
func TestAppPasswordActionsInTheOldWords(t *testing.T) {
	ctx := context.Background()
	env := enginetest.New(t, enginetest.InMemory())
	if _, err := env.Engine.LoginAppPassword(ctx, enginetest.User, enginetest.AppPassword, env.Gmail.SMTP.StartTLSURL()); err != nil {
		t.Fatal(err)
	}

	// A send finds no app password in the keyring.
	if err := env.Secrets.Delete(ctx, enginetest.User, secret.AppPassword); err != nil {
		t.Fatal(err)
	}
	_, err := env.Engine.VerifyAccount(ctx, enginetest.User)
	want := "Enter it again: Replace app password in the app, or 'mailkey login --app-password --email ann@gmail.com'"
	if got := nextStep(err); got != want {
		t.Errorf("no app password (%v):\n got %q\nwant %q", err, got, want)
	}

	// The IMAP server refuses the app password.
	_, _, err = arrival.IMAP{
		URL: env.Gmail.IMAP.URL, Username: enginetest.User, Password: "wrongwrongwrongw",
		RootCAs: env.Gmail.CA.Pool,
	}.Find(ctx, "<m1@example.com>")
	want = "Create a new app password and enter it (Replace app password in the app, or 'mailkey login --app-password'), then test again"
	if got := nextStep(err); got != want {
		t.Errorf("IMAP login refused (%v):\n got %q\nwant %q", err, got, want)
	}
}
