package google

import (
	"strings"
	"testing"
)

func TestTroublesComplete(t *testing.T) {
	seen := map[string]bool{}
	for _, tr := range Troubles {
		if tr.ID == "" || seen[tr.ID] {
			t.Errorf("empty or duplicate ID %q", tr.ID)
		}
		seen[tr.ID] = true
		for name, text := range map[string]string{"Symptom": tr.Symptom, "Cause": tr.Cause, "Fix": tr.Fix} {
			if !strings.HasSuffix(text, ".") {
				t.Errorf("%s: %s is empty or not a full sentence: %q", tr.ID, name, text)
			}
		}
		if len(tr.Keywords) == 0 {
			t.Errorf("%s has no keywords", tr.ID)
		}
		if tr.Link != "" && !strings.HasPrefix(tr.Link, "https://") {
			t.Errorf("%s has link %q", tr.ID, tr.Link)
		}
	}
}

// troubleByID returns the entry of Troubles with the given ID, and fails the
// test when there is none.
func troubleByID(t *testing.T, id string) Trouble {
	t.Helper()
	for _, tr := range Troubles {
		if tr.ID == id {
			return tr
		}
	}
	t.Fatalf("no entry %q in Troubles", id)
	return Trouble{}
}

// Each symptom of the brief, found by what the user would type or paste.
func TestSearchTroubles(t *testing.T) {
	tests := []struct {
		query string
		want  string // an ID that must be among the results
	}{
		{"Error 403: access_denied", "access-denied"},
		{"ACCESS_DENIED", "access-denied"},
		{"test users", "access-denied"},
		{"redirect_uri_mismatch", "redirect-uri-mismatch"},
		{"invalid_grant 7 days", "invalid-grant-testing"},
		{"invalid_grant revoked", "invalid-grant"},
		{"invalid_grant password changed", "invalid-grant"},
		{"invalid_client", "invalid-client"},
		{"535-5.7.8 Username and Password not accepted", "smtp-535-bad-credentials"},
		{"BadCredentials", "smtp-535-bad-credentials"},
		{"534-5.7.9 Application-specific password required", "smtp-534-app-password-required"},
		{"534-5.7.14", "smtp-534-web-login"},
		{"Please log in with your web browser", "smtp-534-web-login"},
		{"454 4.7.0 Too many login attempts", "smtp-too-many-logins"},
		{"421", "smtp-too-many-logins"},
		{"550 5.4.5 Daily user sending limit exceeded", "smtp-550-daily-limit"},
		{"552 5.3.4 Message too big", "smtp-552-too-big"},
		{"app passwords missing", "no-app-passwords-page"},
		{"work school", "no-app-passwords-page"},
		{"advanced protection", "no-app-passwords-page"},
		{"security key", "no-app-passwords-page"},
		{"invalid_request oob", "oob-invalid-request"},
		{"urn:ietf:wg:oauth:2.0:oob", "oob-invalid-request"},
		{"invalid_scope device", "device-flow-invalid-scope"},
		{"This browser or app may not be secure", "browser-not-secure"},
		{"Google hasn't verified this app", "unverified-app"},
		{"Go to (unsafe)", "unverified-app"},
		{"334 gmail.send", "smtp-xoauth2-scope"},
		{"xoauth2 401", "smtp-xoauth2-rejected"},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			found := SearchTroubles(tc.query)
			var ids []string
			for _, tr := range found {
				ids = append(ids, tr.ID)
			}
			if !strings.Contains(" "+strings.Join(ids, " ")+" ", " "+tc.want+" ") {
				t.Errorf("SearchTroubles(%q) = %v, want %s among them", tc.query, ids, tc.want)
			}
		})
	}
}

func TestSearchTroublesEdges(t *testing.T) {
	for _, q := range []string{"", "   ", " , ; "} {
		if got := SearchTroubles(q); len(got) != len(Troubles) {
			t.Errorf("SearchTroubles(%q) returned %d entries, want all %d", q, len(got), len(Troubles))
		}
	}
	if got := SearchTroubles("xyzzy-no-such-thing"); len(got) != 0 {
		t.Errorf("SearchTroubles found %d entries for nonsense", len(got))
	}
	// Every word must match: 535 and 550 are different entries.
	if got := SearchTroubles("535 550"); len(got) != 0 {
		t.Errorf("SearchTroubles(\"535 550\") = %d entries, want none", len(got))
	}
	// The result is a fresh slice: changing it leaves Troubles alone.
	got := SearchTroubles("")
	got[0].ID = "changed"
	if Troubles[0].ID == "changed" {
		t.Error("SearchTroubles returned Troubles itself")
	}
}

// Google's own error pages never come back to mailkey, so the waiting screen
// and the CLI list them; each says what to do and where.
func TestSignInPageTroubles(t *testing.T) {
	var pages []string
	for _, tb := range SignInPageTroubles() {
		pages = append(pages, tb.Page)
		if tb.Fix == "" || !strings.Contains(tb.Symptom+tb.Cause, strings.Fields(tb.Page)[2]) {
			t.Errorf("%s: the entry does not name its code %q", tb.ID, tb.Page)
		}
	}
	want := []string{
		"Error 403: access_denied", "Error 401: deleted_client", "Error 400: admin_policy_enforced",
		"Error 400: redirect_uri_mismatch", "Error 403: org_internal", "Error 400: invalid_request",
	}
	if strings.Join(pages, "|") != strings.Join(want, "|") {
		t.Fatalf("pages %q, want %q", pages, want)
	}
	denied := troubleByID(t, "access-denied")
	if got := denied.LinkFor("mailkey-123456"); got != audienceURL+"?project=mailkey-123456" {
		t.Errorf("access_denied links to %q", got)
	}
	if got := denied.LinkFor(""); got != audienceURL {
		t.Errorf("without a project, access_denied links to %q", got)
	}
	if !strings.Contains(denied.Fix, "Test users") {
		t.Errorf("access_denied fix: %q", denied.Fix)
	}
	mismatch := troubleByID(t, "redirect-uri-mismatch")
	if !strings.Contains(mismatch.Fix, "step 6") || mismatch.Link != clientsURL {
		t.Errorf("redirect_uri_mismatch: %q at %q", mismatch.Fix, mismatch.Link)
	}
}

// The warning before the consent screen depends on the publishing status.
func TestWarnings(t *testing.T) {
	if !strings.Contains(WarningTesting, "You've been given access to an app that's currently being tested") ||
		!strings.Contains(WarningTesting, "Continue") || strings.Contains(WarningTesting, "unsafe") {
		t.Errorf("Testing: %q", WarningTesting)
	}
	if !strings.Contains(WarningProduction, "Advanced") || !strings.Contains(WarningProduction, "Go to … (unsafe)") {
		t.Errorf("production: %q", WarningProduction)
	}
}

// Nothing says work accounts never get app passwords: an admin may allow them.
func TestWorkAccountsMayHaveAppPasswords(t *testing.T) {
	var texts []string
	for _, tb := range Troubles {
		texts = append(texts, tb.Cause, tb.Fix)
	}
	for _, st := range append(append([]Step{}, AppPasswordSteps...), ConsoleSteps...) {
		texts = append(texts, st.Do, st.Pitfall, st.Workspace)
	}
	for _, text := range texts {
		if strings.Contains(text, "not for work or school") || strings.Contains(text, "or if it is a work or school account") {
			t.Errorf("says work accounts have no app passwords: %q", text)
		}
	}
	tb := troubleByID(t, "no-app-passwords-page")
	if !strings.Contains(tb.Cause, "unless the administrator allows them") {
		t.Errorf("cause: %q", tb.Cause)
	}
}
