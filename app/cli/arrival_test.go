package cli_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/mailkey-app/mailkey/app/cli"
	"github.com/mailkey-app/mailkey/internal/testpeer"
)

// loginFor signs ann in with method "app-password" (mailbox read over IMAP)
// or "oauth" (mailbox read through the Gmail API stand-in).
func (r *rig) loginFor(method string) {
	r.t.Helper()
	if method == "app-password" {
		r.wantCode(r.run(annShown, "login", "--app-password", "--email", ann, "--smtp", r.smtp.StartTLSURL(),
			"--imap", r.gmail.IMAP.URL), cli.ExitOK)
		return
	}
	res, _ := r.signIn(nil, "--api", r.gmail.API.URL)
	r.wantCode(res, cli.ExitOK)
}

// --imap is kept with the account and shown by accounts --json.
func TestLoginKeepsIMAP(t *testing.T) {
	r := newRig(t)
	r.loginFor("app-password")
	res := r.run("", "accounts", "--json")
	if !strings.Contains(res.stdout, `"imap": "`+r.gmail.IMAP.URL+`"`) {
		t.Errorf("accounts --json: %s", res.stdout)
	}
}

func TestTestFindsTheMessageInTheInbox(t *testing.T) {
	for _, method := range []string{"app-password", "oauth"} {
		t.Run(method, func(t *testing.T) {
			r := newRig(t)
			r.loginFor(method)
			res := r.run("", "test", ann)
			r.wantCode(res, cli.ExitOK)
			for _, want := range []string{"Arrived in your Inbox after ", "Authentication: SPF pass, DKIM pass, DMARC pass."} {
				if !strings.Contains(res.stdout, want) {
					t.Errorf("stdout lacks %q", want)
				}
			}
			res = r.run("", "test", ann, "--json")
			r.wantCode(res, cli.ExitOK)
			var got map[string]any
			if err := json.Unmarshal([]byte(res.stdout), &got); err != nil {
				t.Fatal(err)
			}
			wantMethod := map[string]string{"app-password": "imap", "oauth": "gmail-api"}[method]
			if got["place"] != "inbox" || got["method"] != wantMethod || !strings.HasPrefix(got["message_id"].(string), "<") {
				t.Errorf("--json gave %v", got)
			}
			if auth, _ := got["auth"].(map[string]any); auth["spf"] != "pass" || auth["dkim"] != "pass" || auth["dmarc"] != "pass" {
				t.Errorf("--json auth = %v", got["auth"])
			}
			if labels := r.gmail.Mailbox.Labels(ann, got["message_id"].(string)); !strings.Contains(strings.Join(labels, " "), "INBOX") {
				t.Errorf("the stand-in filed it under %v", labels)
			}
		})
	}
}

// Spam, or nowhere (the timeout shortened): exit 1, with what to do.
func TestTestNotInTheInbox(t *testing.T) {
	cases := []struct {
		name  string
		setup func(*testpeer.Mailbox)
		args  []string
		want  []string
	}{
		{"spam", func(m *testpeer.Mailbox) { m.SetSpam(true) }, nil, []string{"Landed in Spam after ", "Not spam"}},
		{
			"not found", func(m *testpeer.Mailbox) { m.SetDrop(true) },
			[]string{"--timeout", "1s"},
			[]string{"Not found in your mailbox after 1 second.", "Spam"},
		},
	}
	for _, c := range cases {
		for _, method := range []string{"app-password", "oauth"} {
			t.Run(c.name+"/"+method, func(t *testing.T) {
				r := newRig(t)
				r.loginFor(method)
				c.setup(r.gmail.Mailbox)
				res := r.run("", append([]string{"test", ann}, c.args...)...)
				r.wantCode(res, cli.ExitFailure)
				for _, want := range c.want {
					if !strings.Contains(res.stdout, want) {
						t.Errorf("stdout %q lacks %q", res.stdout, want)
					}
				}
			})
		}
	}
}

func TestTestWaitsForALateArrival(t *testing.T) {
	r := newRig(t)
	r.loginFor("app-password")
	r.gmail.Mailbox.SetDelay(700 * time.Millisecond)
	res := r.run("", "test", ann, "--timeout", "5s", "--json")
	r.wantCode(res, cli.ExitOK)
	var got struct {
		Place   string  `json:"place"`
		Seconds float64 `json:"seconds"`
	}
	if err := json.Unmarshal([]byte(res.stdout), &got); err != nil {
		t.Fatal(err)
	}
	if got.Place != "inbox" || got.Seconds < 0.7 || got.Seconds > 4 {
		t.Errorf("found in %q after %.1f s: want the Inbox after 0.7 s or a little more", got.Place, got.Seconds)
	}
}

func TestTestUsage(t *testing.T) {
	r := newRig(t)
	r.wantCode(r.run("", "test"), cli.ExitUsage)
	r.wantCode(r.run("", "test", ann, "--timeout", "0s"), cli.ExitUsage)
	r.wantCode(r.run("", "test", "nobody@gmail.com"), cli.ExitNoAccount)
	res := r.run(annShown, "login", "--app-password", "--email", ann, "--smtp", r.smtp.StartTLSURL(), "--imap", "imap://x:143")
	r.wantCode(res, cli.ExitUsage)
	if !strings.Contains(res.stderr, "not a usable IMAP URL") {
		t.Errorf("stderr %q", res.stderr)
	}
	if _, err := r.accounts.Get(ann); err == nil {
		t.Error("a refused --imap saved the account")
	}
}
