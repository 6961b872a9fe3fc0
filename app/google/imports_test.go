package google

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The package may use only the standard library, app/advice and the small
// helpers of app/internal (which use only the standard library); in
// particular it never imports Fyne, so the CLI and tests can use it.
func TestImportsOnlyStdAndAdvice(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			first, _, _ := strings.Cut(path, "/")
			if strings.Contains(first, ".") && path != "github.com/mailkey-app/mailkey/app/advice" &&
				!strings.HasPrefix(path, "github.com/mailkey-app/mailkey/app/internal/") {
				t.Errorf("%s imports %s", name, path)
			}
		}
	}
}
