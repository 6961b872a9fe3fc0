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

// frenchPage words the page in French. Its sentences are the GUI's, under
// the GUI's keys (pageFrench): a test holds them equal to
// ui/translations/fr.json, so that the two cannot drift apart.
func frenchPage(o oauth.PageOutcome) oauth.PageText {
	fr := func(key string) string { return pageFrench[key] }
	t := oauth.PageText{Lang: "fr", Heading: fr("signin.page.failed")}
	closeTab, startAgain := fr("signin.page.close_tab"), fr("signin.page.start_again")
	switch o.Kind {
	case oauth.PageSignedIn:
		t.Heading, t.Next = fr("signin.page.signed_in"), closeTab
		t.What = advice.Render(fr("signin.page.signed_in_as"), advice.Data{"Address": o.Email})
	case oauth.PageNotSaved:
		t.What, t.Next = fr("signin.page.not_saved"), closeTab
	case oauth.PageSaveFailed:
		t.What = advice.Render(fr("signin.page.save_failed"), advice.Data{"Reason": advice.What(o.Err)})
		t.Next = fr("signin.page.save_failed_next")
	case oauth.PageFailed:
		t.What, t.Next = advice.What(o.Err)+".", nextStep(o.Err)
	case oauth.PageWrongState:
		t.What, t.Next = fr("signin.page.wrong_state"), fr("signin.page.wrong_state_next")
	case oauth.PageNoAnswer:
		t.What, t.Next = fr("signin.page.no_answer"), startAgain
	case oauth.PageUsed:
		t.What, t.Next = fr("signin.page.used"), fr("signin.page.go_back")
	case oauth.PageEnded:
		t.What, t.Next = fr("signin.page.ended"), startAgain
	}
	return t
}

// pageFrench is the page's French, under the keys of the GUI's
// translations (ui/translations/fr.json), which hold the same sentences.
var pageFrench = map[string]string{
	"signin.page.close_tab":        "Vous pouvez fermer cet onglet et revenir à mailkey.",
	"signin.page.ended":            "Cette connexion est terminée : mailkey ne l'attend plus.",
	"signin.page.failed":           "✗ La connexion n'a pas abouti",
	"signin.page.go_back":          "Revenez à mailkey.",
	"signin.page.no_answer":        "La réponse de Google ne contenait ni code ni erreur.",
	"signin.page.not_saved":        "Google vous a connecté, mais vous avez gardé le compte que mailkey avait enregistré : rien de cette connexion n'a été enregistré.",
	"signin.page.save_failed":      "Google vous a connecté, mais mailkey n'a pas pu enregistrer la connexion : {{.Reason}}.",
	"signin.page.save_failed_next": "Revenez à mailkey : mailkey vous dit quoi faire.",
	"signin.page.signed_in":        "✓ Connexion réussie",
	"signin.page.signed_in_as":     "Vous êtes connecté en tant que {{.Address}}.",
	"signin.page.start_again":      "Revenez à mailkey et relancez la connexion.",
	"signin.page.used":             "Cette connexion a déjà été utilisée.",
	"signin.page.wrong_state":      "Cette réponse ne correspond pas à la connexion que mailkey attend.",
	"signin.page.wrong_state_next": "Si vous avez lancé plusieurs connexions, utilisez l'onglet du navigateur de la plus récente.",
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
