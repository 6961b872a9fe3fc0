package cli

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/oauth"
)

// pageWords is the page's text as one string, its language first.
func pageWords(t oauth.PageText) string {
	return `lang="` + t.Lang + `" ` + t.Heading + "\n" + t.What + "\n" + t.Next
}

func TestPageInFrench(t *testing.T) {
	fr := signInPage(func(k string) string { return map[string]string{"LANG": "fr_FR.UTF-8"}[k] })
	body := pageWords(fr(oauth.PageOutcome{Kind: oauth.PageSignedIn, Email: "ann@gmail.com"}))
	for _, want := range []string{`lang="fr"`, "Connexion réussie", "Vous êtes connecté en tant que ann@gmail.com.", "Vous pouvez fermer cet onglet"} {
		if !strings.Contains(body, want) {
			t.Errorf("French page lacks %q:\n%s", want, body)
		}
	}
	body = pageWords(fr(oauth.PageOutcome{Kind: oauth.PageUsed}))
	for _, want := range []string{"La connexion n'a pas abouti", "Cette connexion a déjà été utilisée.", "Revenez à mailkey."} {
		if !strings.Contains(body, want) {
			t.Errorf("French failure page lacks %q:\n%s", want, body)
		}
	}
	saveErr := advice.New(errors.New("x"), "could not save the refresh token of ann@gmail.com in the system keyring", "Unlock it")
	body = pageWords(fr(oauth.PageOutcome{Kind: oauth.PageSaveFailed, Err: saveErr}))
	for _, want := range []string{"mailkey n'a pas pu enregistrer la connexion : could not save the refresh token", "mailkey vous dit quoi faire"} {
		if !strings.Contains(body, want) {
			t.Errorf("French save-failure page lacks %q:\n%s", want, body)
		}
	}
	// An error's text stays in English rather than vanishing.
	refused := advice.New(errors.New("x"), "Google refused the sign-in (weird_error)", "")
	if body := pageWords(fr(oauth.PageOutcome{Kind: oauth.PageFailed, Err: refused})); !strings.Contains(body, "Google refused the sign-in (weird_error).") {
		t.Errorf("untranslated sentence lost:\n%s", body)
	}
	// Every outcome has its French heading and sentence.
	for k := oauth.PageSignedIn; k <= oauth.PageEnded; k++ {
		if p := fr(oauth.PageOutcome{Kind: k, Email: "a@b", Err: refused}); p.What == "" || p.Heading == "" || p == oauth.EnglishPage(oauth.PageOutcome{Kind: k}) {
			t.Errorf("outcome %d: %+v", k, p)
		}
	}
}

func TestPageLanguageFollowsEnvironment(t *testing.T) {
	cases := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"LANG": "fr_FR.UTF-8"}, "fr"},
		{map[string]string{"LANG": "en_US.UTF-8", "LC_MESSAGES": "fr_CA.UTF-8"}, "fr"},
		{map[string]string{"LC_ALL": "de_DE.UTF-8", "LANG": "fr_FR.UTF-8"}, "en"},
		{map[string]string{"LANG": "de_DE.UTF-8", "LANGUAGE": "de:fr"}, "fr"},
		{map[string]string{"LC_ALL": "C", "LANGUAGE": "fr"}, "en"},
		{map[string]string{"LANG": "C.UTF-8"}, "en"},
		{map[string]string{}, "en"},
	}
	for _, c := range cases {
		if got := envLanguage(func(k string) string { return c.env[k] }); got != c.want {
			t.Errorf("envLanguage(%v) = %q, want %q", c.env, got, c.want)
		}
		if got := signInPage(func(k string) string { return c.env[k] })(oauth.PageOutcome{}).Lang; got != c.want {
			t.Errorf("page under %v in %q, want %q", c.env, got, c.want)
		}
	}
}

// TestPageFrenchIsTheGUIs holds the CLI's French page to the GUI's: every
// sentence under the same key in ui/translations/fr.json, and every one of
// the GUI's page sentences in the CLI's, so that the two cannot drift.
func TestPageFrenchIsTheGUIs(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "ui", "translations", "fr.json"))
	if err != nil {
		t.Fatal(err)
	}
	var gui map[string]any
	if err := json.Unmarshal(b, &gui); err != nil {
		t.Fatal(err)
	}
	for key, v := range gui {
		if !strings.HasPrefix(key, "signin.page.") {
			continue
		}
		if got, ok := pageFrench[key]; !ok || got != v {
			t.Errorf("%s: the CLI's page says %q, the GUI's fr.json %q", key, got, v)
		}
	}
	for key := range pageFrench {
		if _, ok := gui[key]; !ok {
			t.Errorf("%s: in the CLI's French page, not in the GUI's fr.json", key)
		}
	}
}
