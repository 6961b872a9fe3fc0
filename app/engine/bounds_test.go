package engine

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestNetworkCallsAreBounded keeps two rules for code written later: every
// read of a whole stream is bounded, and every network call has a deadline.
// It parses every non-test Go file under app/ and fails on
//   - io.ReadAll of anything but io.LimitReader(...) or http.MaxBytesReader(...);
//   - http.DefaultClient, http.Get/Head/Post/PostForm (no timeout);
//   - an http.Client without Timeout, an http.Server without
//     ReadHeaderTimeout or ReadTimeout, a net.Dialer without Timeout or
//     Deadline (a zero value declared with var included);
//   - net.Dial and tls.Dial (no timeout);
//
// unless the line, or the line above it, says why it is bounded anyway in a
// comment starting with "bounded:".
func TestNetworkCallsAreBounded(t *testing.T) {
	fset := token.NewFileSet()
	var found []finding
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
		if err != nil {
			return err
		}
		found = append(found, unbounded(fset, f)...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]bool{}
	for _, f := range found {
		files[f.pos.Filename] = true
	}
	t.Logf("checked app/: %d finding(s)", len(found))
	used := map[knownFinding]bool{}
	for _, f := range found {
		k := knownFinding{filepath.ToSlash(strings.TrimPrefix(f.pos.Filename, "../")), f.rule}
		if reason, ok := known[k]; ok {
			used[k] = true
			t.Logf("%s: %s (known: %s)", f.pos, f.rule, reason)
			continue
		}
		t.Errorf("%s: %s", f.pos, f.rule)
	}
	for k := range known {
		if !used[k] {
			t.Errorf("known finding %v no longer occurs: remove it from the list", k)
		}
	}
}

type knownFinding struct{ file, rule string }

// known lists findings left to parallel work on issue 10, each with who fixes
// it; an entry that no longer matches fails the test, so the list only shrinks.
var known = map[knownFinding]string{}

// TestBoundsCheckerCatchesPlantedCode checks the checker itself on a planted
// source: every violation is found, at its line, and every bounded or
// justified form passes.
func TestBoundsCheckerCatchesPlantedCode(t *testing.T) {
	const src = `package p

import (
	"crypto/tls"
	"io"
	ioutil "io/ioutil"
	"net"
	nethttp "net/http"
	"time"
)

func bad(r io.Reader, c net.Conn) {
	_, _ = io.ReadAll(r)                                   // line 13
	_, _ = ioutil.ReadAll(c)                               // line 14
	_, _ = nethttp.DefaultClient.Get("http://x")           // line 15
	_, _ = nethttp.Get("http://x")                         // line 16
	_ = &nethttp.Client{Transport: nil}                    // line 17
	_ = nethttp.Server{Addr: ":0"}                         // line 18
	_, _ = net.Dial("tcp", "x:1")                          // line 19
	_, _ = tls.Dial("tcp", "x:1", nil)                     // line 20
	d := net.Dialer{KeepAlive: time.Second}                // line 21
	var z net.Dialer                                       // line 22
	_, _ = nethttp.PostForm("http://x", nil)               // line 23
	_, _, _ = d, z, r
}

func good(r io.Reader, w nethttp.ResponseWriter, req *nethttp.Request) {
	_, _ = io.ReadAll(io.LimitReader(r, 1<<20))
	_, _ = io.ReadAll(nethttp.MaxBytesReader(w, req.Body, 1<<20))
	_ = &nethttp.Client{Timeout: time.Second}
	_ = nethttp.Server{ReadHeaderTimeout: time.Second}
	_ = net.Dialer{Timeout: time.Second}
	_, _ = net.DialTimeout("tcp", "x:1", time.Second)
	// bounded: r is a bytes.Reader over a 4 KB buffer
	_, _ = io.ReadAll(r)
	_, _ = io.ReadAll(r) // bounded: same buffer
	var h nethttp.Handler
	_ = h
}
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "planted.go", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, fd := range unbounded(fset, f) {
		got = append(got, fmt.Sprintf("%d %s", fd.pos.Line, fd.rule))
	}
	want := []string{
		"13 " + ruleReadAll, "14 " + ruleReadAll, "15 " + ruleDefaultClient, "16 " + ruleDefaultClient,
		"17 " + ruleClient, "18 " + ruleServer, "19 " + ruleDial, "20 " + ruleDial, "21 " + ruleDialer,
		"22 " + ruleDialer, "23 " + ruleDefaultClient,
	}
	if !slices.Equal(got, want) {
		t.Errorf("findings on the planted source:\n got %q\nwant %q", got, want)
	}
}

// The rules, as the test reports them.
const (
	ruleReadAll       = "io.ReadAll of a reader without a limit: wrap it in io.LimitReader or http.MaxBytesReader"
	ruleDefaultClient = "http.DefaultClient (or http.Get/Post…, which use it) has no timeout: use an http.Client with Timeout"
	ruleClient        = "http.Client without Timeout"
	ruleServer        = "http.Server without ReadHeaderTimeout or ReadTimeout"
	ruleDialer        = "net.Dialer without Timeout or Deadline"
	ruleDial          = "net.Dial/tls.Dial have no timeout: use a net.Dialer with Timeout"
)

type finding struct {
	pos  token.Position
	rule string
}

// unbounded returns the findings of one parsed file.
func unbounded(fset *token.FileSet, f *ast.File) []finding {
	names := map[string]string{} // local name → import path
	for _, imp := range f.Imports {
		path, _ := strconv.Unquote(imp.Path.Value)
		name := path[strings.LastIndex(path, "/")+1:]
		if imp.Name != nil {
			name = imp.Name.Name
		}
		names[name] = path
	}
	// is reports whether e is pkgPath.sel.
	is := func(e ast.Expr, pkgPath string, sels ...string) bool {
		s, ok := e.(*ast.SelectorExpr)
		if !ok {
			return false
		}
		x, ok := s.X.(*ast.Ident)
		return ok && names[x.Name] == pkgPath && slices.Contains(sels, s.Sel.Name)
	}
	justified := map[int]bool{}
	for _, cg := range f.Comments {
		for _, c := range cg.List {
			if strings.Contains(c.Text, "bounded:") {
				justified[fset.Position(c.Pos()).Line] = true
			}
		}
	}
	var out []finding
	report := func(n ast.Node, rule string) {
		pos := fset.Position(n.Pos())
		if !justified[pos.Line] && !justified[pos.Line-1] {
			out = append(out, finding{pos, rule})
		}
	}
	// missing reports whether a composite literal sets none of fields.
	missing := func(lit *ast.CompositeLit, fields ...string) bool {
		for _, e := range lit.Elts {
			if kv, ok := e.(*ast.KeyValueExpr); ok {
				if k, ok := kv.Key.(*ast.Ident); ok && slices.Contains(fields, k.Name) {
					return false
				}
			}
		}
		return true
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			switch {
			case is(n.Fun, "io", "ReadAll"), is(n.Fun, "io/ioutil", "ReadAll"):
				if len(n.Args) != 1 || !isCall(n.Args[0], is, "io", "LimitReader") && !isCall(n.Args[0], is, "net/http", "MaxBytesReader") {
					report(n, ruleReadAll)
				}
			case is(n.Fun, "net/http", "Get", "Head", "Post", "PostForm"):
				report(n, ruleDefaultClient)
			case is(n.Fun, "net", "Dial"), is(n.Fun, "crypto/tls", "Dial"):
				report(n, ruleDial)
			}
		case *ast.SelectorExpr:
			if is(n, "net/http", "DefaultClient") {
				report(n, ruleDefaultClient)
			}
		case *ast.CompositeLit:
			switch {
			case is(n.Type, "net/http", "Client") && missing(n, "Timeout"):
				report(n, ruleClient)
			case is(n.Type, "net/http", "Server") && missing(n, "ReadHeaderTimeout", "ReadTimeout"):
				report(n, ruleServer)
			case is(n.Type, "net", "Dialer") && missing(n, "Timeout", "Deadline"):
				report(n, ruleDialer)
			}
		case *ast.ValueSpec:
			if len(n.Values) == 0 && n.Type != nil {
				switch {
				case is(n.Type, "net/http", "Client"):
					report(n, ruleClient)
				case is(n.Type, "net/http", "Server"):
					report(n, ruleServer)
				case is(n.Type, "net", "Dialer"):
					report(n, ruleDialer)
				}
			}
		}
		return true
	})
	return out
}

func isCall(e ast.Expr, is func(ast.Expr, string, ...string) bool, pkgPath, sel string) bool {
	c, ok := e.(*ast.CallExpr)
	return ok && is(c.Fun, pkgPath, sel)
}
