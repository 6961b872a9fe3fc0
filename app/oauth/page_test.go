package oauth

import (
	"html"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func renderPage(t *testing.T, ok bool, what, next string) string {
	t.Helper()
	rec := httptest.NewRecorder()
	page(rec, http.StatusOK, ok, what, next)
	return html.UnescapeString(rec.Body.String())
}

func TestPageInFrench(t *testing.T) {
	SetLanguage("fr")
	t.Cleanup(func() { SetLanguage("") })
	body := renderPage(t, true, "You are signed in as ann@gmail.com.", "You can close this tab and go back to mailkey.")
	for _, want := range []string{`lang="fr"`, "Connexion réussie", "Vous êtes connecté en tant que ann@gmail.com.", "Vous pouvez fermer cet onglet"} {
		if !strings.Contains(body, want) {
			t.Errorf("French page lacks %q:\n%s", want, body)
		}
	}
	body = renderPage(t, false, "This sign-in has already been used.", "Go back to mailkey.")
	for _, want := range []string{"La connexion n'a pas abouti", "Cette connexion a déjà été utilisée.", "Revenez à mailkey."} {
		if !strings.Contains(body, want) {
			t.Errorf("French failure page lacks %q:\n%s", want, body)
		}
	}
	body = renderPage(t, false, saveFailedPrefix+"could not save the refresh token of ann@gmail.com in the system keyring.", saveFailedNext)
	for _, want := range []string{"mailkey n'a pas pu enregistrer la connexion : could not save the refresh token", "mailkey vous dit quoi faire"} {
		if !strings.Contains(body, want) {
			t.Errorf("French save-failure page lacks %q:\n%s", want, body)
		}
	}
	// A sentence without a translation stays in English rather than vanishing.
	if body := renderPage(t, false, "Google refused the sign-in (weird_error).", ""); !strings.Contains(body, "Google refused the sign-in (weird_error).") {
		t.Errorf("untranslated sentence lost:\n%s", body)
	}
}

func TestPageInEnglish(t *testing.T) {
	SetLanguage("en")
	t.Cleanup(func() { SetLanguage("") })
	body := renderPage(t, true, "You are signed in as ann@gmail.com.", "You can close this tab and go back to mailkey.")
	for _, want := range []string{`lang="en"`, "✓ Signed in", "You are signed in as ann@gmail.com.", "You can close this tab"} {
		if !strings.Contains(body, want) {
			t.Errorf("English page lacks %q:\n%s", want, body)
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
	}
}
