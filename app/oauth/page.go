package oauth

import (
	"html/template"
	"net/http"
)

var pageTmpl = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>mailkey</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:system-ui,sans-serif;background:#f6f7f9;color:#1d1f23;display:flex;min-height:90vh;align-items:center;justify-content:center;margin:0}
main{background:#fff;border-radius:12px;padding:2em 2.5em;max-width:32em;box-shadow:0 2px 12px rgba(0,0,0,.08)}
h1{font-size:1.3em;margin-top:0}.ok{color:#1a7f37}.bad{color:#c62828}
@media (prefers-color-scheme: dark){body{background:#16181c;color:#e6e6e6}main{background:#22252b}}
</style></head>
<body><main>
<h1 class="{{if .OK}}ok{{else}}bad{{end}}">{{if .OK}}✓ Signed in{{else}}✗ Sign-in did not work{{end}}</h1>
<p>{{.What}}</p>
{{if .Next}}<p>{{.Next}}</p>{{end}}
</main></body></html>
`))

// page writes the small page the browser shows after the redirect.
func page(w http.ResponseWriter, status int, ok bool, what, next string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = pageTmpl.Execute(w, struct {
		OK         bool
		What, Next string
	}{ok, what, next})
}
