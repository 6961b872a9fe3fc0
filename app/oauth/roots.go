package oauth

import (
	"context"
	"net/http"

	"github.com/mailkey-app/mailkey/app/internal/trust"
	"golang.org/x/oauth2"
)

// withRoots makes oauth2's token requests use the shared HTTPS client, whose
// roots are read once per process (app/internal/trust), unless ctx already
// carries a client.
func withRoots(ctx context.Context) context.Context {
	if _, ok := ctx.Value(oauth2.HTTPClient).(*http.Client); ok {
		return ctx
	}
	return context.WithValue(ctx, oauth2.HTTPClient, trust.Client())
}
