package oauth

import (
	"html"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// renderPage writes the page of o worded by words, as the browser gets it
// (unescaped).
func renderPage(t *testing.T, words Page, o PageOutcome) string {
	t.Helper()
	rec := httptest.NewRecorder()
	writePage(rec, http.StatusOK, words, o)
	return html.UnescapeString(rec.Body.String())
}

func TestPageInEnglish(t *testing.T) {
	body := renderPage(t, EnglishPage, PageOutcome{Kind: PageSignedIn, Email: "ann@gmail.com"})
	for _, want := range []string{`lang="en"`, "✓ Signed in", "You are signed in as ann@gmail.com.", "You can close this tab"} {
		if !strings.Contains(body, want) {
			t.Errorf("English page lacks %q:\n%s", want, body)
		}
	}
	if nilBody := renderPage(t, nil, PageOutcome{Kind: PageSignedIn, Email: "ann@gmail.com"}); nilBody != body {
		t.Errorf("a nil Page is not EnglishPage:\n%s", nilBody)
	}
}

// The words a caller supplies are escaped: an address or an error's text
// cannot add markup to the page.
func TestPageEscapesTheWords(t *testing.T) {
	rec := httptest.NewRecorder()
	writePage(rec, http.StatusOK, func(PageOutcome) PageText {
		return PageText{Lang: `x" onload="y`, Heading: "<b>h</b>", What: "<script>alert(1)</script>", Next: "a & b"}
	}, PageOutcome{Kind: PageFailed})
	body := rec.Body.String()
	for _, bad := range []string{"<script>", "<b>", `" onload="`} {
		if strings.Contains(body, bad) {
			t.Errorf("page holds %q unescaped:\n%s", bad, body)
		}
	}
	if !strings.Contains(body, `class="bad"`) {
		t.Errorf("a failure's heading is not marked bad:\n%s", body)
	}
}
