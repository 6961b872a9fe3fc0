package ui

import (
	"strings"
	"testing"

	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/oauth"
	"github.com/mailkey-app/mailkey/app/secret"
)

// pageOf is the page's words as one string, its language first.
func pageOf(o oauth.PageOutcome) string {
	t := signInPage(o)
	return `lang="` + t.Lang + `" ` + t.Heading + "\n" + t.What + "\n" + t.Next
}

// The GUI words the browser's page in its language, the engine's advice
// included.
func TestSignInPageInFrench(t *testing.T) {
	useLanguage("fr")
	t.Cleanup(func() { useLanguage("en") })
	body := pageOf(oauth.PageOutcome{Kind: oauth.PageSignedIn, Email: "ann@gmail.com"})
	for _, want := range []string{`lang="fr"`, "Connexion réussie", "Vous êtes connecté en tant que ann@gmail.com.", "Vous pouvez fermer cet onglet"} {
		if !strings.Contains(body, want) {
			t.Errorf("French page lacks %q:\n%s", want, body)
		}
	}
	body = pageOf(oauth.PageOutcome{Kind: oauth.PageUsed})
	for _, want := range []string{"La connexion n'a pas abouti", "Cette connexion a déjà été utilisée.", "Revenez à mailkey."} {
		if !strings.Contains(body, want) {
			t.Errorf("French failure page lacks %q:\n%s", want, body)
		}
	}
	saveErr := advice.Keyed(secret.ErrUnavailable, "secret.unavailable", nil, "the system keyring is not available", "Unlock it")
	body = pageOf(oauth.PageOutcome{Kind: oauth.PageSaveFailed, Err: saveErr})
	for _, want := range []string{"mailkey n'a pas pu enregistrer la connexion : ", "mailkey vous dit quoi faire"} {
		if !strings.Contains(body, want) {
			t.Errorf("French save-failure page lacks %q:\n%s", want, body)
		}
	}
	// An error without a translation stays in English rather than vanishing.
	refused := advice.New(oauth.ErrAuthorization, "Google refused the sign-in (weird_error)", "")
	if body := pageOf(oauth.PageOutcome{Kind: oauth.PageFailed, Err: refused}); !strings.Contains(body, "Google refused the sign-in (weird_error).") {
		t.Errorf("untranslated sentence lost:\n%s", body)
	}
	for k := oauth.PageSignedIn; k <= oauth.PageEnded; k++ {
		fr := signInPage(oauth.PageOutcome{Kind: k, Email: "a@b", Err: refused})
		if fr.What == "" || fr.Heading == "" || fr == oauth.EnglishPage(oauth.PageOutcome{Kind: k, Email: "a@b", Err: refused}) {
			t.Errorf("outcome %d is not in French: %+v", k, fr)
		}
	}
}

// In English the GUI's page says what app/oauth's English page says.
func TestSignInPageInEnglish(t *testing.T) {
	useLanguage("en")
	refused := advice.New(oauth.ErrAuthorization, "Google refused the sign-in (weird_error)", "Try again")
	for k := oauth.PageSignedIn; k <= oauth.PageEnded; k++ {
		o := oauth.PageOutcome{Kind: k, Email: "ann@gmail.com", Err: refused}
		if got, want := signInPage(o), oauth.EnglishPage(o); got != want {
			t.Errorf("outcome %d: the GUI says %+v, app/oauth %+v", k, got, want)
		}
	}
}
