package engine_test

import (
	"context"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"slices"
	"testing"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/engine/enginetest"
	"github.com/mailkey-app/mailkey/internal/testpeer"
)

// The Send mail as list is read over HTTPS with the roots the engine's
// sender trusts (here the stand-ins' CA), like every other client.
func TestRefreshAliasesTrustsTheSendersRoots(t *testing.T) {
	env := doctorEnv(t)
	env.Gmail.Mailbox.SetSendAs(enginetest.User, []testpeer.SendAs{
		{SendAsEmail: enginetest.User, IsPrimary: true},
		{SendAsEmail: "ann@example.com", VerificationStatus: "accepted"},
	})
	api, err := url.Parse(env.Gmail.API.URL)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(httputil.NewSingleHostReverseProxy(api))
	srv.TLS = env.Gmail.CA.ServerTLS
	srv.StartTLS()
	t.Cleanup(srv.Close)
	if err := env.Accounts.Modify(enginetest.User, func(a *account.Account) { a.APIBase = srv.URL }); err != nil {
		t.Fatal(err)
	}
	got, err := env.Engine.RefreshAliases(context.Background(), enginetest.User)
	if err != nil || !slices.Equal(got, []string{"ann@example.com"}) {
		t.Fatalf("over HTTPS: %v %v", got, err)
	}
}
