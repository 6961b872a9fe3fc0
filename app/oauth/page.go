package oauth

import (
	"html/template"
	"net/http"
	"os"
	"strings"
	"sync"

	"github.com/mailkey-app/mailkey/app/advice"
)

var pageTmpl = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><title>mailkey</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:system-ui,sans-serif;background:#f6f7f9;color:#1d1f23;display:flex;min-height:90vh;align-items:center;justify-content:center;margin:0}
main{background:#fff;border-radius:12px;padding:2em 2.5em;max-width:32em;box-shadow:0 2px 12px rgba(0,0,0,.08)}
h1{font-size:1.3em;margin-top:0}.ok{color:#1a7f37}.bad{color:#c62828}
@media (prefers-color-scheme: dark){body{background:#16181c;color:#e6e6e6}main{background:#22252b}}
</style></head>
<body><main>
<h1 class="{{if .OK}}ok{{else}}bad{{end}}">{{.Heading}}</h1>
<p>{{.What}}</p>
{{if .Next}}<p>{{.Next}}</p>{{end}}
</main></body></html>
`))

// pageText is the browser page's text in one language. Sentences are
// whole, keyed by their English text; a sentence missing from a table
// stays in English.
type pageText struct {
	ok, bad string
	// prefixed translates the sentences that start with a fixed text
	// (signedInPrefix, saveFailedPrefix) and end with "X.": each is a
	// format with %s for X.
	prefixed  map[string]string
	sentences map[string]string
}

// The sentences of the page that carry a value: the address that signed in,
// and what went wrong when mailkey could not save the sign-in.
const (
	signedInPrefix   = "You are signed in as "
	saveFailedPrefix = "Google signed you in, but mailkey could not save the sign-in: "
	saveFailedNext   = "Go back to mailkey: mailkey says what to do next."
	notSavedText     = "Google signed you in, but you kept the account mailkey had saved: nothing from this sign-in was saved."
)

// ErrNotSaved, wrapped in the error of a Finish, says that the person chose
// not to save the sign-in; the browser's page says that nothing was saved.
var ErrNotSaved = advice.Sentinel(advice.Failure, "the sign-in was not saved")

var pageTexts = map[string]pageText{
	"en": {ok: "✓ Signed in", bad: "✗ Sign-in did not work"},
	"fr": {
		ok:  "✓ Connexion réussie",
		bad: "✗ La connexion n'a pas abouti",
		prefixed: map[string]string{
			signedInPrefix:   "Vous êtes connecté en tant que %s.",
			saveFailedPrefix: "Google vous a connecté, mais mailkey n'a pas pu enregistrer la connexion : %s.",
		},
		sentences: map[string]string{
			saveFailedNext: "Revenez à mailkey : mailkey vous dit quoi faire.",
			notSavedText:   "Google vous a connecté, mais vous avez gardé le compte que mailkey avait enregistré : rien de cette connexion n'a été enregistré.",
			"This answer does not belong to the sign-in mailkey is waiting for.":      "Cette réponse ne correspond pas à la connexion que mailkey attend.",
			"If you started several sign-ins, use the browser tab of the latest one.": "Si vous avez lancé plusieurs connexions, utilisez l'onglet du navigateur de la plus récente.",
			"Google's answer carried neither a code nor an error.":                    "La réponse de Google ne contenait ni code ni erreur.",
			"Go back to mailkey and start the sign-in again.":                         "Revenez à mailkey et relancez la connexion.",
			"This sign-in has already been used.":                                     "Cette connexion a déjà été utilisée.",
			"This sign-in has ended: mailkey stopped waiting for it.":                 "Cette connexion est terminée : mailkey ne l'attend plus.",
			"Go back to mailkey.":                            "Revenez à mailkey.",
			"You can close this tab and go back to mailkey.": "Vous pouvez fermer cet onglet et revenir à mailkey.",
			"Sign in again":                                  "Reconnectez-vous",
		},
	},
}

var (
	pageLangMu sync.Mutex
	pageLang   string // "" follows the environment
)

// SetLanguage sets the language of the page the browser shows after the
// sign-in: "en" or "fr". An empty or unknown code follows the environment
// (LC_ALL, LC_MESSAGES, LANG, LANGUAGE), as the command line does.
func SetLanguage(code string) {
	pageLangMu.Lock()
	defer pageLangMu.Unlock()
	pageLang = code
}

// language returns the page's language: the one set with SetLanguage, or
// else the environment's, falling back to English.
func language() string {
	pageLangMu.Lock()
	code := pageLang
	pageLangMu.Unlock()
	if _, ok := pageTexts[code]; ok {
		return code
	}
	return envLanguage(os.Getenv)
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
		if _, ok := pageTexts[base]; ok {
			return base
		}
	}
	return "en"
}

// translate returns s in the table's language, or s itself when the table
// has no translation of it.
func (t pageText) translate(s string) string {
	for prefix, format := range t.prefixed {
		if rest, ok := strings.CutPrefix(s, prefix); ok && strings.HasSuffix(rest, ".") {
			return strings.Replace(format, "%s", strings.TrimSuffix(rest, "."), 1)
		}
	}
	if tr, ok := t.sentences[s]; ok {
		return tr
	}
	return s
}

// page writes the small page the browser shows after the redirect, in the
// language of language().
func page(w http.ResponseWriter, status int, ok bool, what, next string) {
	code := language()
	t := pageTexts[code]
	heading := t.bad
	if ok {
		heading = t.ok
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = pageTmpl.Execute(w, struct {
		OK                        bool
		Lang, Heading, What, Next string
	}{ok, code, heading, t.translate(what), t.translate(next)})
}
