package engine_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/mailkey-app/mailkey/app/engine/enginetest"
	"github.com/mailkey-app/mailkey/app/google"
	"github.com/mailkey-app/mailkey/internal/testpeer"
)

// TestLoginOAuthReadsTheAliases: the sign-in itself (the GUI's and the
// CLI's) reads the verified Send mail as addresses, not only Check again;
// a failed read keeps those read before and is reported, the sign-in stands.
func TestLoginOAuthReadsTheAliases(t *testing.T) {
	env := enginetest.New(t, enginetest.InMemory())
	env.Gmail.Mailbox.SetSendAs(enginetest.User, []testpeer.SendAs{
		{SendAsEmail: enginetest.User, IsPrimary: true},
		{SendAsEmail: "ann@example.com", VerificationStatus: "accepted"},
		{SendAsEmail: "pending@example.com", VerificationStatus: "pending"},
	})
	client, err := google.ReadClientFile(env.Gmail.ClientFile)
	if err != nil {
		t.Fatal(err)
	}
	var heard []string
	var heardErr error
	login := func(apiBase string) {
		t.Helper()
		heard, heardErr = nil, nil
		a, err := env.Engine.LoginOAuth(context.Background(), engine.OAuthLogin{
			Client: client, SMTP: env.Gmail.SMTP.StartTLSURL(),
			Open: testpeer.Browse, Timeout: 10 * time.Second, APIBase: apiBase,
			Aliases: func(list []string, err error) { heard, heardErr = list, err },
		})
		if err != nil {
			t.Fatal(err)
		}
		stored, err := env.Accounts.Get(a.Address)
		if err != nil || !slices.Equal(stored.SendAs, []string{"ann@example.com"}) || !slices.Equal(a.SendAs, stored.SendAs) {
			t.Fatalf("after the sign-in: stored %v, returned %v, %v; want [ann@example.com]", stored.SendAs, a.SendAs, err)
		}
	}
	login(env.Gmail.API.URL)
	if heardErr != nil || !slices.Equal(heard, []string{"ann@example.com"}) {
		t.Fatalf("Aliases heard %v, %v", heard, heardErr)
	}
	// A new sign-in whose read fails (no Gmail API there) keeps the list.
	login("http://127.0.0.1:1")
	if heardErr == nil {
		t.Fatal("Aliases heard no error from an unreachable API")
	}
}
