package engine_test

import (
	"strings"
	"testing"

	"github.com/mailkey-app/mailkey/app/engine/enginetest"
	"github.com/mailkey-app/mailkey/app/oauth"
)

// The browser's page after the sign-in is worded by LoginOAuth's caller
// (the front end), with the outcome it tells: the address that signed in.
// (app/oauth's tests check that the words are escaped.)
func TestBrowserPageInTheCallersWords(t *testing.T) {
	env := enginetest.New(t, enginetest.InMemory())
	var told oauth.PageOutcome
	words := func(o oauth.PageOutcome) oauth.PageText {
		told = o
		return oauth.PageText{Lang: "xx", Heading: "<heading>", What: "signed in: " + o.Email, Next: "next & last"}
	}
	page, err := loginReadingPage(t, env, words)
	if err != nil {
		t.Fatal(err)
	}
	if told.Kind != oauth.PageSignedIn || told.Email != enginetest.User {
		t.Fatalf("the page was asked for %+v", told)
	}
	for _, want := range []string{`lang="xx"`, "<heading>", "signed in: " + enginetest.User, "next & last", `class="ok"`} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("the page lacks %q:\n%s", want, page.Body)
		}
	}
}
