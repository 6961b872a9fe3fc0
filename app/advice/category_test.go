package advice

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func TestCategoryOfTakesTheGreatest(t *testing.T) {
	usage := Sentinel(Usage, "bad input")
	auth := Sentinel(Auth, "refused")
	temp := Sentinel(Temporary, "later")
	narrow := SentinelUnder(temp, Auth, "login refused")
	cases := []struct {
		name string
		err  error
		want Category
	}{
		{"nil", nil, Failure},
		{"plain error", errors.New("x"), Failure},
		{"sentinel", usage, Usage},
		{"wrapped by fmt", fmt.Errorf("reading: %w", usage), Usage},
		{"wrapped by an Error", Keyed(auth, "k", nil, "w", "n"), Auth},
		{"two wrapped", fmt.Errorf("%w: %w", temp, auth), Auth},
		{"joined", errors.Join(usage, errors.New("y"), temp), Temporary},
		{"deep", fmt.Errorf("a: %w", fmt.Errorf("b: %w", errors.Join(errors.New("c"), New(auth, "w", "")))), Auth},
		{"under a parent", narrow, Auth},
	}
	for _, c := range cases {
		if got := CategoryOf(c.err); got != c.want {
			t.Errorf("%s: CategoryOf = %v, want %v", c.name, got, c.want)
		}
	}
	if !errors.Is(narrow, temp) || narrow.Error() != "later: login refused" {
		t.Errorf("SentinelUnder: Is(parent) %v, message %q", errors.Is(narrow, temp), narrow.Error())
	}
}

// sentinelName is the name of a package-level error value.
var sentinelName = regexp.MustCompile(`^[Ee]rr[A-Z]`)

// Every sentinel error under app/ carries a category, so that a new one
// cannot fall silently to the CLI's exit code 1: it is made with Sentinel
// or SentinelUnder, or wraps (%w) one that is. (Typed error values, such as
// the SMTP replies the relay sends its clients, are not sentinels.)
func TestEverySentinelHasACategory(t *testing.T) {
	fset := token.NewFileSet()
	var found int
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.VAR {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, name := range vs.Names {
					if !sentinelName.MatchString(name.Name) || i >= len(vs.Values) {
						continue
					}
					found++
					if why := uncategorized(vs.Values[i]); why != "" {
						t.Errorf("%s: %s %s: give it a category with advice.Sentinel", fset.Position(name.Pos()), name.Name, why)
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found < 80 {
		t.Fatalf("found only %d sentinels under app/: is the walk looking in the right place?", found)
	}
}

// uncategorized says why the value of a sentinel has no category, or "".
func uncategorized(v ast.Expr) string {
	call, ok := v.(*ast.CallExpr)
	if !ok {
		return "" // a typed value (the relay's *smtp.SMTPError replies), not a sentinel
	}
	fn := ""
	switch f := call.Fun.(type) {
	case *ast.SelectorExpr:
		if x, ok := f.X.(*ast.Ident); ok {
			fn = x.Name + "." + f.Sel.Name
		}
	case *ast.Ident:
		fn = "advice." + f.Name // inside this package
	}
	switch fn {
	case "advice.Sentinel", "advice.SentinelUnder":
		return ""
	case "fmt.Errorf":
		if lit, ok := call.Args[0].(*ast.BasicLit); ok {
			if format, err := strconv.Unquote(lit.Value); err == nil && strings.Contains(format, "%w") {
				return "" // wraps a sentinel, whose category it has
			}
		}
		return "is fmt.Errorf without %w"
	}
	return "is made by " + fn
}
