package ui

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"text/template"
	"time"

	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/mail"
)

// appText is one translatable text made in app/: advice.Keyed,
// advice.Explain or a Check's say.
type appText struct {
	pos        string
	key        string
	what, next string
	dataKeys   []string // the keys of a literal advice.Data, or nil
	dataIsNil  bool
	dataIsLit  bool
	keyLiteral bool
	// textLiteral is true when what and next are literals: a text made from
	// variables could not be translated.
	textLiteral bool
}

// keyArg is the index of the key among the arguments of each function that
// makes a translatable text; data, what and next follow it.
var keyArg = map[string]int{"Keyed": 1, "Explain": 0, "say": 0}

// appTexts parses every non-test Go file under app/ and returns the texts
// made with a key, and where advice.New makes a text without one.
func appTexts(t *testing.T) (out []appText, untranslated []string) {
	t.Helper()
	fset := token.NewFileSet()
	err := filepath.WalkDir(filepath.Join("..", "app"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		var inFunc string // the function being walked
		ast.Inspect(f, func(n ast.Node) bool {
			if fd, ok := n.(*ast.FuncDecl); ok {
				inFunc = fd.Name.Name
			}
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			var name string
			switch fn := call.Fun.(type) {
			case *ast.SelectorExpr:
				name = fn.Sel.Name
				if x, ok := fn.X.(*ast.Ident); ok && x.Name == "advice" && name == "New" {
					untranslated = append(untranslated, fset.Position(call.Pos()).String())
				}
				if x, ok := fn.X.(*ast.Ident); ok && x.Name == "advice" && name == "say" {
					return true
				}
			case *ast.Ident:
				name = fn.Name
			}
			i, ok := keyArg[name]
			if !ok || len(call.Args) != i+4 {
				return true
			}
			if _, fwd := keyArg[inFunc]; fwd {
				if _, isIdent := call.Args[i].(*ast.Ident); isIdent {
					return true // say forwarding its own key to advice.Explain
				}
			}
			at := appText{pos: fset.Position(call.Pos()).String()}
			at.key, at.keyLiteral = literal(call.Args[i])
			var okWhat, okNext bool
			at.what, okWhat = literal(call.Args[i+2])
			at.next, okNext = literal(call.Args[i+3])
			at.textLiteral = okWhat && okNext
			switch d := call.Args[i+1].(type) {
			case *ast.Ident:
				at.dataIsNil = d.Name == "nil"
			case *ast.CompositeLit:
				at.dataIsLit = true
				for _, e := range d.Elts {
					if kv, ok := e.(*ast.KeyValueExpr); ok {
						if k, ok := literal(kv.Key); ok {
							at.dataKeys = append(at.dataKeys, k)
						}
					}
				}
			}
			out = append(out, at)
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out, untranslated
}

// literal returns the value of a string literal, or of literals joined by +.
func literal(e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(e.Value)
		return s, err == nil
	case *ast.BinaryExpr:
		if e.Op != token.ADD {
			return "", false
		}
		a, ok1 := literal(e.X)
		b, ok2 := literal(e.Y)
		return a + b, ok1 && ok2
	case *ast.ParenExpr:
		return literal(e.X)
	}
	return "", false
}

// appTranslations reads the French translations of app/'s texts: every
// app-*.fr.json file.
func appTranslations(t *testing.T) map[string]any {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("translations", "app-*.fr.json"))
	if err != nil {
		t.Fatal(err)
	}
	all := map[string]any{}
	for _, f := range files {
		for k, v := range readTranslations(t, filepath.Base(f)) {
			if _, dup := all[k]; dup {
				t.Errorf("%s: %q is also in another file", f, k)
			}
			all[k] = v
		}
	}
	return all
}

// forms returns a translation's texts: the string, or each plural form.
func forms(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case map[string]any:
		var out []string
		for _, f := range slices.Sorted(maps.Keys(v)) {
			if s, ok := v[f].(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// Every text app/ makes with a key has its French translation, with the same
// placeholders, and every French text of app/ is used.
func TestEveryAppTextIsInFrench(t *testing.T) {
	texts, untranslated := appTexts(t)
	if len(texts) < 100 {
		t.Fatalf("found only %d keyed texts under app/; is the parser still right?", len(texts))
	}
	// advice.New makes a text the GUI cannot translate: only the CLI, which
	// speaks English, may use it.
	for _, pos := range untranslated {
		if !strings.HasPrefix(filepath.ToSlash(pos), "../app/cli/") {
			t.Errorf("%s: advice.New outside app/cli; use advice.Keyed so the GUI can translate it", pos)
		}
	}
	fr := appTranslations(t)
	used := map[string]bool{}
	english := map[string]string{}
	for _, at := range texts {
		if !at.keyLiteral || at.key == "" {
			t.Errorf("%s: the key must be a non-empty string literal", at.pos)
			continue
		}
		if !at.textLiteral {
			t.Errorf("%s: %q: the English texts must be string literals (templates)", at.pos, at.key)
		}
		for part, en := range map[string]string{"what": at.what, "next": at.next} {
			if en == "" {
				continue
			}
			k := at.key + "." + part
			used[k] = true
			if prev, ok := english[k]; ok && prev != en {
				t.Errorf("%s: %q has two English texts:\n  %q\n  %q", at.pos, k, prev, en)
			}
			english[k] = en
			enNames := advice.Placeholders(en)
			if at.dataIsLit {
				for _, n := range enNames {
					if !slices.Contains(at.dataKeys, n) {
						t.Errorf("%s: %q uses {{.%s}}, which its data lacks", at.pos, k, n)
					}
				}
			} else if at.dataIsNil && len(enNames) > 0 {
				t.Errorf("%s: %q has placeholders but no data", at.pos, k)
			}
			v, ok := fr[k]
			if !ok {
				t.Errorf("%s: %q has no French translation (English: %q)", at.pos, k, en)
				continue
			}
			if _, plural := v.(map[string]any); plural && !slices.Contains(at.dataKeys, "Count") {
				t.Errorf("%s: %q has plural forms in French but its data has no Count", at.pos, k)
			}
			fs := forms(v)
			if len(fs) == 0 {
				t.Errorf("%q: not a text or plural forms", k)
			}
			for _, f := range fs {
				if strings.TrimSpace(f) == "" {
					t.Errorf("%q: empty French text", k)
				}
				if _, err := template.New(k).Parse(f); err != nil {
					t.Errorf("%q: %v", k, err)
				}
				for _, n := range advice.Placeholders(f) {
					if !slices.Contains(enNames, n) && n != "Count" {
						t.Errorf("%q: the French text uses {{.%s}}, which the English %q does not", k, n, en)
					}
				}
			}
			all := strings.Join(fs, "\n")
			for _, n := range enNames {
				if !slices.Contains(advice.Placeholders(all), n) {
					t.Errorf("%q: the French text %q drops {{.%s}}", k, all, n)
				}
			}
		}
	}
	for _, k := range slices.Sorted(maps.Keys(fr)) {
		if !used[k] {
			t.Errorf("app-*.fr.json: %q is not used under app/", k)
		}
	}
}

func TestLocalTextInFrench(t *testing.T) {
	useLanguage("fr")
	t.Cleanup(func() { useLanguage("en") })

	inner := advice.Keyed(mail.ErrTooBig, "test.inner", nil, "inner", "")
	cases := []struct {
		data     advice.Data
		want     string
		wantNext string
	}{
		{advice.Data{"Wait": 5 * time.Minute}, "5 minutes", ""},
		{advice.Data{"Wait": time.Second}, "1 seconde", ""},
		{advice.Data{"Wait": inner}, "inner", ""},
		// A piece of text from app/secret, translated on its own.
		{advice.Data{"Wait": advice.Explain("secret.cause_no_bus", nil, "no session bus to reach it", "")}, "aucun bus de session pour le joindre", ""},
		{advice.Data{"Wait": advice.Label("Bcc")}, "Cci", ""},
	}
	for _, c := range cases {
		got := localData(c.data)["Wait"]
		if got != c.want {
			t.Errorf("localData(%v) = %q, want %q", c.data, got, c.want)
		}
	}
	// A key without a translation keeps the English text, filled in.
	e := advice.Keyed(errors.New("x"), "test.untranslated", advice.Data{"N": 3}, "{{.N}} things", "do {{.N}}")
	if w, n := localAdvice(e); w != "3 things" || n != "do 3" {
		t.Errorf("untranslated: %q / %q", w, n)
	}
}
