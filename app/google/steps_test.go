package google

import (
	"net/url"
	"strings"
	"testing"
)

func TestConsoleSteps(t *testing.T) {
	// The seven steps and pages of GOOGLE.md, "The console, step by step".
	want := []struct{ id, url string }{
		{"project", "https://console.cloud.google.com/projectcreate"},
		{"gmail-api", "https://console.cloud.google.com/apis/library/gmail.googleapis.com"},
		{"branding", "https://console.cloud.google.com/auth/branding"},
		{"audience", "https://console.cloud.google.com/auth/audience"},
		{"scopes", "https://console.cloud.google.com/auth/scopes"},
		{"client", "https://console.cloud.google.com/auth/clients"},
		{"download", "https://console.cloud.google.com/auth/clients"},
	}
	if len(ConsoleSteps) != len(want) {
		t.Fatalf("%d console steps, want %d", len(ConsoleSteps), len(want))
	}
	for i, w := range want {
		s := ConsoleSteps[i]
		if s.ID != w.id || s.URL != w.url {
			t.Errorf("step %d = %s %s, want %s %s", i+1, s.ID, s.URL, w.id, w.url)
		}
		checkStep(t, s, true)
	}
}

func TestAppPasswordSteps(t *testing.T) {
	want := []struct{ id, url string }{
		{"two-step", TwoStepURL},
		{"app-password", AppPasswordsURL},
		{"enter", ""},
	}
	if len(AppPasswordSteps) != len(want) {
		t.Fatalf("%d app-password steps, want %d", len(AppPasswordSteps), len(want))
	}
	for i, w := range want {
		s := AppPasswordSteps[i]
		if s.ID != w.id || s.URL != w.url {
			t.Errorf("step %d = %s %s, want %s %s", i+1, s.ID, s.URL, w.id, w.url)
		}
		checkStep(t, s, false)
	}
}

func checkStep(t *testing.T, s Step, needURL bool) {
	t.Helper()
	for name, text := range map[string]string{"Title": s.Title, "Do": s.Do, "Why": s.Why, "Pitfall": s.Pitfall} {
		if strings.TrimSpace(text) == "" {
			t.Errorf("step %s has no %s", s.ID, name)
		}
		if name != "Title" && !strings.HasSuffix(text, ".") {
			t.Errorf("step %s: %s is not a full sentence: %q", s.ID, name, text)
		}
	}
	if needURL && !strings.HasPrefix(s.URL, "https://") {
		t.Errorf("step %s has URL %q", s.ID, s.URL)
	}
}

// The texts must carry the facts of GOOGLE.md that the user trips over.
func TestStepTextsMentionPitfalls(t *testing.T) {
	want := map[string][]string{
		"audience": {
			"Test users", "External", "Error 403: access_denied", "never comes back", "7 days", "Publish app", "Go to … (unsafe)",
			"home page", "privacy policy", "authorised domain", "Internal", "org_internal", "admin_policy_enforced",
		},
		"branding":     {"home page", "privacy policy", "authorised domain"},
		"scopes":       {ScopeMail, "restricted", "gmail.send"},
		"client":       {"Desktop app", "Web application", "redirect_uri_mismatch", "SeaTable", "Odoo"},
		"download":     {"client ID", "client secret", "once", "Add secret", "client_secret_", "Download JSON", "service account"},
		"two-step":     {"security key", "Advanced Protection", "work or school"},
		"app-password": {"mailkey", "16 letters", "abcd efgh ijkl mnop"},
		"enter":        {"534-5.7.9"},
	}
	steps := append(append([]Step{}, ConsoleSteps...), AppPasswordSteps...)
	for _, s := range steps {
		text := s.Title + " " + s.Do + " " + s.Why + " " + s.Pitfall + " " + s.Workspace
		for _, w := range want[s.ID] {
			if !strings.Contains(text, w) {
				t.Errorf("step %s does not mention %q", s.ID, w)
			}
		}
		delete(want, s.ID)
	}
	for id := range want {
		t.Errorf("no step %s", id)
	}
	// Publishing is no longer "leave the Branding fields empty".
	if b := ConsoleSteps[2]; strings.Contains(b.Pitfall, "Leave the optional fields") {
		t.Errorf("branding still says to leave the fields empty: %q", b.Pitfall)
	}
	// Step 7 never sends the user to download the JSON later.
	if d := ConsoleSteps[6]; strings.Contains(d.Do+d.Pitfall, "download the JSON there") {
		t.Errorf("step 7 sends the user back for the JSON: %q", d.Do)
	}
}

func TestStepLink(t *testing.T) {
	audience := ConsoleSteps[3]
	project := ConsoleSteps[0]
	tests := []struct {
		name    string
		step    Step
		project string
		want    string
	}{
		{"no project yet", audience, "", audience.URL},
		{"blank project", audience, "  ", audience.URL},
		{"project appended", audience, "mailkey-123456", audience.URL + "?project=mailkey-123456"},
		{"project trimmed", audience, " mailkey-123456\n", audience.URL + "?project=mailkey-123456"},
		{"escaped", audience, "example.com:my proj&x=1", audience.URL + "?project=" + url.QueryEscape("example.com:my proj&x=1")},
		{"project creation needs none", project, "mailkey-123456", project.URL},
		{"account pages need none", AppPasswordSteps[1], "mailkey-123456", AppPasswordsURL},
		{"step without URL", AppPasswordSteps[2], "mailkey-123456", ""},
		{"existing query kept", Step{ID: "x", URL: consoleURL + "apis?tab=a"}, "p-123456", consoleURL + "apis?project=p-123456&tab=a"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.step.Link(tc.project); got != tc.want {
				t.Errorf("Link(%q) = %q, want %q", tc.project, got, tc.want)
			}
		})
	}
}

func TestValidProjectID(t *testing.T) {
	tests := []struct {
		id   string
		want bool
	}{
		{"mailkey-123456", true},
		{"abcdef", true},
		{"a12345", true},
		{"a-b-c-d", true},
		{"abcdefghijklmnopqrstuvwxyz1234", true}, // 30
		{"abcdefghijklmnopqrstuvwxyz12345", false},
		{"abcde", false},
		{"", false},
		{"1abcdef", false},
		{"-abcdef", false},
		{"abcdef-", false},
		{"Mailkey-123", false},
		{"mail_key_123", false},
		{"mail key 123", false},
		{"mailkey.123", false},
		{"example.com:proj", false},
		{"mailkéy-123", false},
	}
	for _, tc := range tests {
		if got := ValidProjectID(tc.id); got != tc.want {
			t.Errorf("ValidProjectID(%q) = %v, want %v", tc.id, got, tc.want)
		}
	}
}

func TestConsoleStepAndStepLink(t *testing.T) {
	for _, s := range ConsoleSteps {
		got, ok := ConsoleStep(s.ID)
		if !ok || got.ID != s.ID || got.URL != s.URL {
			t.Errorf("ConsoleStep(%q) = %+v, %v", s.ID, got, ok)
		}
	}
	if _, ok := ConsoleStep("no-such-step"); ok {
		t.Error("ConsoleStep found a step that does not exist")
	}
	tests := []struct{ id, project, want string }{
		{"audience", "my-mail-4711", audienceURL + "?project=my-mail-4711"},
		{"audience", "", audienceURL},
		{"gmail-api", "my-mail-4711", gmailAPIURL + "?project=my-mail-4711"},
		{"project", "my-mail-4711", projectCreateURL},
		{"no-such-step", "my-mail-4711", consoleURL},
	}
	for _, tt := range tests {
		if got := StepLink(tt.id, tt.project); got != tt.want {
			t.Errorf("StepLink(%q, %q) = %q, want %q", tt.id, tt.project, got, tt.want)
		}
	}
}

func TestSMTPURL(t *testing.T) {
	for raw, want := range map[string]string{
		"":                           DefaultSMTP,
		"smtps://smtp.gmail.com:465": "smtps://smtp.gmail.com:465",
		"smtp://127.0.0.1:2525":      "smtp://127.0.0.1:2525",
	} {
		if got := SMTPURL(raw); got != want {
			t.Errorf("SMTPURL(%q) = %q, want %q", raw, got, want)
		}
	}
}
