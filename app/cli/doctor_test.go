package cli_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/mailkey-app/mailkey/app/cli"
	"github.com/mailkey-app/mailkey/internal/testpeer"
)

// doctorRig signs ann in with the Gmail API at a local peer of its own.
func doctorRig(t *testing.T) (*rig, *testpeer.GmailAPI) {
	t.Helper()
	r := newRig(t)
	api, err := testpeer.StartGmailAPI(r.oauth, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(api.Close)
	res, _ := r.signIn(nil, "--api", api.URL)
	r.wantCode(res, cli.ExitOK)
	return r, api
}

func TestDoctorHealthy(t *testing.T) {
	r, _ := doctorRig(t)
	res := r.run("", "doctor", ann)
	r.wantCode(res, cli.ExitOK)
	want := "✓ Permission to send mail granted\n✓ Gmail API enabled\n✓ Signed-in address matches\n✓ SMTP login accepted\n✓ OAuth client kept in use\n"
	if res.stdout != want || res.stderr != "" {
		t.Fatalf("stdout %q stderr %q, want %q", res.stdout, res.stderr, want)
	}
	r.noSecretsOnDisk()
}

func TestDoctorAPIDisabled(t *testing.T) {
	r, api := doctorRig(t)
	api.SetAPIDisabled(true)
	res := r.run("", "doctor", ann)
	r.wantCode(res, cli.ExitFailure)
	lines := strings.Split(strings.TrimSuffix(res.stdout, "\n"), "\n")
	want := []string{
		"✓ Permission to send mail granted",
		"✗ Gmail API enabled: The Gmail API is turned off in your Google Cloud project (mailkey-test).",
		"    Open the link, click Enable, wait a few minutes for it to take effect, then check again.",
		"    https://console.developers.google.com/apis/api/gmail.googleapis.com/overview?project=" + testpeer.DefaultProjectNumber,
		"– Signed-in address matches: Needs the Gmail API, see above.",
		"✓ SMTP login accepted",
		"✓ OAuth client kept in use",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Fatalf("stdout:\n%s\nwant:\n%s", res.stdout, strings.Join(want, "\n"))
	}
	if !strings.Contains(res.stderr, "1 check failed") {
		t.Errorf("stderr %q", res.stderr)
	}
}

func TestDoctorNeedsSignIn(t *testing.T) {
	r, _ := doctorRig(t)
	r.oauth.ExpireAccessTokens()
	r.oauth.RevokeUser(ann)
	res := r.run("", "doctor", ann)
	r.wantCode(res, cli.ExitAuth)
	if !strings.Contains(res.stdout, "✗ Gmail API enabled") || !strings.Contains(res.stderr, "Sign in again") {
		t.Fatalf("stdout %q stderr %q", res.stdout, res.stderr)
	}
}

func TestDoctorUsageAndUnknownAccount(t *testing.T) {
	r := newRig(t)
	r.wantCode(r.run("", "doctor"), cli.ExitUsage)
	r.wantCode(r.run("", "doctor", "a@gmail.com", "b@gmail.com"), cli.ExitUsage)
	r.wantCode(r.run("", "doctor", "nobody@gmail.com"), cli.ExitNoAccount)
}

func TestDoctorAppPasswordAccount(t *testing.T) {
	r := newRig(t)
	r.wantCode(r.run(annShown, "login", "--app-password", "--email", ann, "--smtp", r.smtp.StartTLSURL()), cli.ExitOK)
	res := r.run("", "doctor", ann)
	r.wantCode(res, cli.ExitOK)
	if strings.Count(res.stdout, "– ") != 3 || !strings.Contains(res.stdout, "Not applicable") || !strings.Contains(res.stdout, "✓ SMTP login accepted") {
		t.Fatalf("stdout %q", res.stdout)
	}
}

func TestDoctorJSON(t *testing.T) {
	r, api := doctorRig(t)
	type check struct {
		ID, Title, Result, Detail, Fix, Link string
	}
	var out struct {
		Address string
		OK      bool
		Checks  []check
	}
	decode := func(res result) {
		t.Helper()
		out.Checks = nil
		if err := json.Unmarshal([]byte(res.stdout), &out); err != nil {
			t.Fatalf("doctor --json: %v: %q", err, res.stdout)
		}
	}
	res := r.run("", "doctor", "--json", ann)
	r.wantCode(res, cli.ExitOK)
	decode(res)
	if out.Address != ann || !out.OK || len(out.Checks) != 5 {
		t.Fatalf("healthy: %+v", out)
	}
	for _, c := range out.Checks {
		if c.Result != "ok" || c.Title == "" || c.ID == "" {
			t.Errorf("healthy check %+v", c)
		}
	}
	api.SetAPIDisabled(true)
	res = r.run("", "doctor", ann, "--json")
	r.wantCode(res, cli.ExitFailure)
	decode(res)
	results := map[string]check{}
	for _, c := range out.Checks {
		results[c.ID] = c
	}
	if out.OK || results["gmail-api"].Result != "failed" || !strings.Contains(results["gmail-api"].Link, "gmail.googleapis.com") ||
		results["address"].Result != "skipped" || results["smtp-login"].Result != "ok" {
		t.Fatalf("API disabled: %+v", out)
	}
	if !strings.Contains(res.stderr, "1 check failed") || strings.Contains(res.stdout, "✗") {
		t.Errorf("stdout %q stderr %q", res.stdout, res.stderr)
	}
}
