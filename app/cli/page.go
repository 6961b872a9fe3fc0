package cli

import (
	"strings"

	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/oauth"
)

// signInPage words the browser's page after 'mailkey login' in the language
// of the locale variables (envLanguage): French under a French locale, else
// English. mailkey's own sentences are translated; an error's text stays in
// English, as the command line prints it.
func signInPage(getenv func(string) string) oauth.Page {
	if envLanguage(getenv) != "fr" {
		return oauth.EnglishPage
	}
	return frenchPage
}

// frenchPage words the page in French.
func frenchPage(o oauth.PageOutcome) oauth.PageText {
	t := oauth.PageText{Lang: "fr", Heading: "✗ La connexion n'a pas abouti"}
	const closeTab, goBack, startAgain = "Vous pouvez fermer cet onglet et revenir à mailkey.", "Revenez à mailkey.", "Revenez à mailkey et relancez la connexion."
	switch o.Kind {
	case oauth.PageSignedIn:
		t.Heading, t.What, t.Next = "✓ Connexion réussie", "Vous êtes connecté en tant que "+o.Email+".", closeTab
	case oauth.PageNotSaved:
		t.What, t.Next = "Google vous a connecté, mais vous avez gardé le compte que mailkey avait enregistré : rien de cette connexion n'a été enregistré.", closeTab
	case oauth.PageSaveFailed:
		t.What = "Google vous a connecté, mais mailkey n'a pas pu enregistrer la connexion : " + advice.What(o.Err) + "."
		t.Next = "Revenez à mailkey : mailkey vous dit quoi faire."
	case oauth.PageFailed:
		t.What, t.Next = advice.What(o.Err)+".", nextStep(o.Err)
	case oauth.PageWrongState:
		t.What = "Cette réponse ne correspond pas à la connexion que mailkey attend."
		t.Next = "Si vous avez lancé plusieurs connexions, utilisez l'onglet du navigateur de la plus récente."
	case oauth.PageNoAnswer:
		t.What, t.Next = "La réponse de Google ne contenait ni code ni erreur.", startAgain
	case oauth.PageUsed:
		t.What, t.Next = "Cette connexion a déjà été utilisée.", goBack
	case oauth.PageEnded:
		t.What, t.Next = "Cette connexion est terminée : mailkey ne l'attend plus.", startAgain
	}
	return t
}

// envLanguage picks "fr" or "en" from the locale variables, in gettext's
// order of precedence: LC_ALL, LC_MESSAGES, LANG, then LANGUAGE's list
// unless the locale is C or POSIX.
func envLanguage(getenv func(string) string) string {
	loc := ""
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if loc = getenv(v); loc != "" {
			break
		}
	}
	if loc == "C" || loc == "POSIX" || strings.HasPrefix(loc, "C.") {
		return "en"
	}
	cands := []string{loc}
	if l := getenv("LANGUAGE"); l != "" {
		cands = append(strings.Split(l, ":"), loc)
	}
	for _, c := range cands {
		base := strings.ToLower(c)
		if i := strings.IndexAny(base, "_-.@"); i >= 0 {
			base = base[:i]
		}
		if base == "fr" || base == "en" {
			return base
		}
	}
	return "en"
}
