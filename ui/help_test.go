package ui

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/mailkey-app/mailkey/app/google"
)

func openHelp(t *testing.T, h *harness) *help {
	t.Helper()
	h.g.showHelp()
	h.settle()
	s, ok := h.g.stage.current.(*help)
	if !ok {
		t.Fatalf("current screen is %T, want *help", h.g.stage.current)
	}
	return s
}

// helpShownIDs lists the IDs of the entries on show.
func helpShownIDs(s *help) []string {
	ids := make([]string, len(s.shown))
	for i, t := range s.shown {
		ids[i] = t.ID
	}
	return ids
}

func TestHelpSearchFilters(t *testing.T) {
	h := newHarness(t)
	s := openHelp(t, h)
	if len(s.list.Items) != len(google.Troubles) {
		t.Fatalf("%d entries with an empty search, want all %d", len(s.list.Items), len(google.Troubles))
	}

	test.Type(s.search, "redirect")
	if n := len(s.list.Items); n == 0 || n > 3 {
		t.Fatalf("search redirect shows %d entries: %v", n, helpShownIDs(s))
	}
	if !slices.Contains(helpShownIDs(s), "redirect-uri-mismatch") {
		t.Fatalf("search redirect shows %v", helpShownIDs(s))
	}
	found := false
	for _, it := range s.list.Items {
		found = found || strings.Contains(it.Title, "redirect_uri_mismatch")
	}
	if !found {
		t.Fatal("no title names redirect_uri_mismatch")
	}

	s.search.SetText("")
	if len(s.list.Items) != len(google.Troubles) || s.none.Visible() {
		t.Fatalf("%d entries after clearing the search", len(s.list.Items))
	}

	s.search.SetText("no such problem at all")
	if len(s.list.Items) != 0 || !s.none.Visible() {
		t.Fatal("an unmatched search does not say so")
	}
}

// The entries the brief requires, found by what a user would type.
func TestHelpHasRequiredEntries(t *testing.T) {
	h := newHarness(t)
	s := openHelp(t, h)
	for _, tc := range []struct{ query, id, title string }{
		{"access_denied", "access-denied", "403"},
		{"redirect_uri_mismatch", "redirect-uri-mismatch", "redirect_uri_mismatch"},
		{"invalid_grant 7 days", "invalid-grant-testing", "invalid_grant"},
		{"535", "smtp-535-bad-credentials", "535-5.7.8"},
		{"534", "smtp-534-app-password-required", "534-5.7.9"},
		{"app passwords missing", "no-app-passwords-page", "App passwords"},
		{"oob", "oob-invalid-request", "invalid_request"},
		{"deleted_client", "deleted-client", "deleted_client"},
		{"admin_policy_enforced", "admin-policy-enforced", "admin_policy_enforced"},
		{"org_internal", "org-internal", "org_internal"},
		{"add secret", "invalid-client", "invalid_client"},
	} {
		t.Run(tc.query, func(t *testing.T) {
			s.search.SetText(tc.query)
			i := slices.Index(helpShownIDs(s), tc.id)
			if i < 0 {
				t.Fatalf("search %q shows %v, want %s", tc.query, helpShownIDs(s), tc.id)
			}
			// A long symptom is shortened in the title and shown whole inside.
			text := s.list.Items[i].Title
			walk(s.list.Items[i].Detail, func(o fyne.CanvasObject) {
				if l, ok := o.(*widget.Label); ok {
					text += "\n" + l.Text
				}
			})
			if !strings.Contains(text, tc.title) {
				t.Errorf("entry %q lacks %q", text, tc.title)
			}
		})
	}
}

func TestHelpLinkOpensPage(t *testing.T) {
	h := newHarness(t)
	s := openHelp(t, h)
	test.Type(s.search, "access_denied")
	if len(s.list.Items) != 1 || !s.list.Items[0].Open {
		t.Fatalf("a single match should be open: %v", helpShownIDs(s))
	}
	var open *button
	walk(s.list.Items[0].Detail, func(o fyne.CanvasObject) {
		if b, ok := o.(*button); ok && b.Text == "Open the page" {
			open = b
		}
	})
	if open == nil {
		t.Fatal("no link button in the entry")
	}
	test.Tap(open)
	if links := h.links(); len(links) != 1 || !strings.Contains(links[0], "console.cloud.google.com/auth/audience") {
		t.Fatalf("opened %v", links)
	}
	// Long symptoms are shortened in the header and shown whole inside.
	for _, tr := range google.Troubles {
		if title := helpTitle(tr.Symptom); len([]rune(title)) > helpTitleRunes {
			t.Errorf("title of %s is %d runes long", tr.ID, len([]rune(title)))
		}
	}
}
