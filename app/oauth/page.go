package oauth

import (
	"html/template"
	"net/http"

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

// PageKind is what the browser's page after the sign-in tells.
type PageKind int

// The outcomes the page tells.
const (
	// PageSignedIn: the sign-in worked and was saved (PageOutcome.Email).
	PageSignedIn PageKind = iota
	// PageNotSaved: Google signed the person in, but they kept the account
	// mailkey had saved (ErrNotSaved).
	PageNotSaved
	// PageSaveFailed: Google signed the person in, but saving failed
	// (PageOutcome.Err).
	PageSaveFailed
	// PageFailed: the sign-in itself failed (PageOutcome.Err).
	PageFailed
	// PageWrongState: the answer belongs to another sign-in (state mismatch).
	PageWrongState
	// PageNoAnswer: Google's answer carried neither a code nor an error.
	PageNoAnswer
	// PageUsed: this sign-in has already been used.
	PageUsed
	// PageEnded: LoginThen stopped waiting before the browser came back.
	PageEnded
)

// PageOutcome is what the browser's page tells: its kind, with the address
// that signed in or the error.
type PageOutcome struct {
	Kind  PageKind
	Email string
	Err   error
}

// OK reports whether the page tells a success.
func (o PageOutcome) OK() bool { return o.Kind == PageSignedIn }

// PageText is the page's words in one language: its language code (the
// page's lang attribute), its heading, and two sentences.
type PageText struct {
	Lang, Heading, What, Next string
}

// Page words the browser's page for an outcome. The caller of LoginThen
// supplies it in the language of its front end, as cli/oauth's caller does
// with WriteSuccessHTML; LoginThen keeps the page's look and escapes the words.
// A nil Page is EnglishPage.
type Page func(PageOutcome) PageText

// ErrNotSaved, wrapped in the error of a Finish, says that the person chose
// not to save the sign-in; the browser's page says that nothing was saved.
var ErrNotSaved = advice.Sentinel(advice.Failure, "the sign-in was not saved")

// EnglishPage words the page in English.
func EnglishPage(o PageOutcome) PageText {
	t := PageText{Lang: "en", Heading: "✗ Sign-in did not work"}
	const closeTab, goBack, startAgain = "You can close this tab and go back to mailkey.", "Go back to mailkey.", "Go back to mailkey and start the sign-in again."
	switch o.Kind {
	case PageSignedIn:
		t.Heading, t.What, t.Next = "✓ Signed in", "You are signed in as "+o.Email+".", closeTab
	case PageNotSaved:
		t.What, t.Next = "Google signed you in, but you kept the account mailkey had saved: nothing from this sign-in was saved.", closeTab
	case PageSaveFailed:
		t.What = "Google signed you in, but mailkey could not save the sign-in: " + advice.What(o.Err) + "."
		t.Next = "Go back to mailkey: mailkey says what to do next."
	case PageFailed:
		t.What, t.Next = advice.What(o.Err)+".", advice.Next(o.Err)
	case PageWrongState:
		t.What = "This answer does not belong to the sign-in mailkey is waiting for."
		t.Next = "If you started several sign-ins, use the browser tab of the latest one."
	case PageNoAnswer:
		t.What, t.Next = "Google's answer carried neither a code nor an error.", startAgain
	case PageUsed:
		t.What, t.Next = "This sign-in has already been used.", goBack
	case PageEnded:
		t.What, t.Next = "This sign-in has ended: mailkey stopped waiting for it.", startAgain
	}
	return t
}

// writePage writes the small page the browser shows after the redirect,
// worded by words (EnglishPage when nil).
func writePage(w http.ResponseWriter, status int, words Page, o PageOutcome) {
	if words == nil {
		words = EnglishPage
	}
	t := words(o)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = pageTmpl.Execute(w, struct {
		OK                        bool
		Lang, Heading, What, Next string
	}{o.OK(), t.Lang, t.Heading, t.What, t.Next})
}
