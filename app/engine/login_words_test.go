package engine_test

import (
	"context"
	"html"
	"strings"
	"testing"
	"time"

	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/mailkey-app/mailkey/app/engine/enginetest"
	"github.com/mailkey-app/mailkey/app/google"
	"github.com/mailkey-app/mailkey/app/oauth"
	"github.com/mailkey-app/mailkey/internal/testpeer"
)

// The browser's page after the sign-in is worded by LoginOAuth's caller
// (the front end), with the outcome it tells: the address that signed in.
func TestBrowserPageInTheCallersWords(t *testing.T) {
	env := enginetest.New(t)
	client, err := google.ReadClientFile(env.Gmail.ClientFile)
	if err != nil {
		t.Fatal(err)
	}
	pages := make(chan testpeer.BrowseResult, 1)
	open := func(u string) error {
		go func() { pages <- testpeer.Fetch(u) }()
		return nil
	}
	var told oauth.PageOutcome
	words := func(o oauth.PageOutcome) oauth.PageText {
		told = o
		return oauth.PageText{Lang: "xx", Heading: "<heading>", What: "signed in: " + o.Email, Next: "next & last"}
	}
	if _, err := env.Engine.LoginOAuth(context.Background(), engine.OAuthLogin{Client: client,
		SMTP: env.Gmail.SMTP.StartTLSURL(), Open: open, Timeout: 10 * time.Second, Page: words}); err != nil {
		t.Fatal(err)
	}
	var page testpeer.BrowseResult
	select {
	case page = <-pages:
	case <-time.After(10 * time.Second):
		t.Fatal("the browser got no page")
	}
	if told.Kind != oauth.PageSignedIn || told.Email != enginetest.User {
		t.Fatalf("the page was asked for %+v", told)
	}
	for _, want := range []string{`lang="xx"`, "&lt;heading&gt;", "signed in: " + enginetest.User, "next &amp; last", `class="ok"`} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("the page lacks %q:\n%s", want, html.UnescapeString(page.Body))
		}
	}
}
