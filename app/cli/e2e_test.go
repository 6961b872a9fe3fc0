package cli_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mailkey-app/mailkey/app/cli"
	"github.com/mailkey-app/mailkey/app/secret"
	"github.com/mailkey-app/mailkey/internal/testpeer"
)

func TestAppPasswordLoginSendRemove(t *testing.T) {
	r := newRig(t)
	res := r.run(annShown+"\n", "login", "--app-password", "--email", ann, "--smtp", r.smtp.StartTLSURL())
	r.wantCode(res, cli.ExitOK)
	if strings.TrimSpace(res.stdout) != ann {
		t.Fatalf("login printed %q, want the address", res.stdout)
	}
	if v, err := r.secret(secret.AppPassword); err != nil || v != annPass {
		t.Fatalf("keyring holds %q, %v; want the normalised app password", v, err)
	}
	res = r.run("", "accounts")
	r.wantCode(res, cli.ExitOK)
	if f := strings.Fields(res.stdout); len(f) != 3 || f[0] != ann || f[1] != "app-password" || f[2] != "ok" {
		t.Fatalf("accounts printed %q", res.stdout)
	}

	dir := t.TempDir()
	att1, att2 := filepath.Join(dir, "notes.txt"), filepath.Join(dir, "photo.jpg")
	_ = os.WriteFile(att1, []byte("first attachment"), 0o600)
	_ = os.WriteFile(att2, []byte(strings.Repeat("\xff\xd8jpeg", 3000)), 0o600)
	body := filepath.Join(dir, "body.txt")
	_ = os.WriteFile(body, []byte("Bonjour,\nce message vient de mailkey.\n"), 0o600)
	res = r.run("", "send", "--from", ann, "--to", "bob@example.com, Carol <carol@example.com>", "--cc", "dan@example.com",
		"--bcc", "eve@example.com", "--subject", "Essai réussi ✓", "--body-file", body, "--attach", att1, "--attach", att2)
	r.wantCode(res, cli.ExitOK)
	msgs := r.smtp.Messages()
	if len(msgs) != 1 {
		t.Fatalf("server received %d messages", len(msgs))
	}
	id := strings.TrimSpace(res.stdout)
	data := string(msgs[0].Data)
	if !strings.HasPrefix(id, "<") || !strings.Contains(data, "Message-ID: "+id) {
		t.Fatalf("printed Message-ID %q is not the message's", id)
	}
	for _, want := range []string{"notes.txt", "photo.jpg", "Content-Transfer-Encoding: base64", "=?UTF-8?"} {
		if !strings.Contains(data, want) {
			t.Errorf("sent message lacks %q", want)
		}
	}
	if got := strings.Join(msgs[0].To, " "); got != "bob@example.com carol@example.com dan@example.com eve@example.com" {
		t.Errorf("recipients %q", got)
	}

	// Body from stdin.
	res = r.run("from stdin\n", "send", "--from", ann, "--to", "bob@example.com", "--subject", "stdin", "--body-file", "-", "--verbose")
	r.wantCode(res, cli.ExitOK)
	if !strings.Contains(res.stderr, "AUTH PLAIN <redacted>") && !strings.Contains(res.stderr, "<SMTP auth data redacted>") {
		t.Errorf("--verbose printed no redacted transcript: %s", res.stderr)
	}
	if strings.Contains(res.stderr, annPass) {
		t.Error("the transcript holds the app password")
	}
	if msgs := r.smtp.Messages(); !strings.Contains(string(msgs[1].Data), "from stdin") {
		t.Fatal("body from stdin missing")
	}

	r.noSecretsOnDisk()
	res = r.run("", "remove", ann)
	r.wantCode(res, cli.ExitOK)
	if _, err := r.secret(secret.AppPassword); !errors.Is(err, secret.ErrNotFound) {
		t.Fatalf("app password still in the keyring after remove: %v", err)
	}
	res = r.run("", "accounts")
	if res.stdout != "" || !strings.Contains(res.stderr, "No accounts yet") {
		t.Fatalf("accounts after remove: %+v", res)
	}
	r.wantCode(r.run("", "remove", ann), cli.ExitNoAccount)
}

func TestAppPasswordRejectedSavesNothing(t *testing.T) {
	tests := []struct {
		name, input string
		code        int
		advice      string
		attempts    int
	}{
		{"wrong app password", "zzzz zzzz zzzz zzzz", cli.ExitAuth, "create a new app password", 1},
		{"account password over SMTP", annAccount, cli.ExitUsage, "normal Google account password", 0},
		{"too short", "abcd efgh", cli.ExitUsage, "16 letters", 0},
		{"empty", "\n", cli.ExitUsage, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t)
			res := r.run(tt.input+"\n", "login", "--app-password", "--email", ann, "--smtp", r.smtp.StartTLSURL())
			r.wantCode(res, tt.code)
			if !strings.Contains(res.stderr, tt.advice) {
				t.Errorf("stderr %q lacks %q", res.stderr, tt.advice)
			}
			if strings.Contains(res.stderr, strings.TrimSpace(tt.input)) && len(strings.TrimSpace(tt.input)) > 3 {
				t.Error("the password was echoed in the error")
			}
			if got := r.smtp.AuthAttempts(); got != tt.attempts {
				t.Errorf("%d SMTP logins, want %d", got, tt.attempts)
			}
			if _, err := r.secret(secret.AppPassword); !errors.Is(err, secret.ErrNotFound) {
				t.Errorf("keyring holds a secret after a failed login: %v", err)
			}
			if list, _ := r.eng.List(); len(list) != 0 {
				t.Errorf("an account was saved: %+v", list)
			}
		})
	}
}

// The account password has the right length only by accident; Gmail's own
// 534 5.7.9 reply is explained when it gets that far.
func TestGmailSaysAppPasswordRequired(t *testing.T) {
	r := newRig(t)
	r.smtp.Close()
	sp, err := testpeer.StartSMTP(testpeer.SMTPOptions{TLS: r.ca.ServerTLS, AccountPasswords: map[string]string{ann: "qwertyuiopasdfgh"}})
	if err != nil {
		t.Fatal(err)
	}
	defer sp.Close()
	res := r.run("qwertyuiopasdfgh", "login", "--app-password", "--email", ann, "--smtp", sp.ImplicitTLSURL())
	r.wantCode(res, cli.ExitAuth)
	if !strings.Contains(res.stderr, "534") || !strings.Contains(res.stderr, "app password") {
		t.Fatalf("stderr: %s", res.stderr)
	}
}

// signIn runs 'mailkey login --no-browser' and drives the printed URL like a
// browser would. before runs first against the waiting loopback listener.
func (r *rig) signIn(before func(redirect string), extra ...string) (result, url.Values) {
	res, q, _ := r.signInPage(before, extra...)
	return res, q
}

// signInPage is signIn that also returns the page the browser showed at the end.
func (r *rig) signInPage(before func(redirect string), extra ...string) (result, url.Values, testpeer.BrowseResult) {
	return r.signInWith("", before, append([]string{"--client-secret", r.clientFile("installed")}, extra...)...)
}

// signInWith is signInPage with the client given by args and stdin.
func (r *rig) signInWith(stdin string, before func(redirect string), extra ...string) (result, url.Values, testpeer.BrowseResult) {
	var authQuery url.Values
	var page testpeer.BrowseResult
	args := append([]string{"login", "--no-browser", "--smtp", r.smtp.StartTLSURL()}, extra...)
	res := r.runStreaming(stdin, func(line string) {
		u, err := url.Parse(line)
		if err != nil || u.Scheme != "http" {
			return
		}
		authQuery = u.Query()
		if before != nil {
			before(authQuery.Get("redirect_uri"))
		}
		page = testpeer.Fetch(line)
	}, args...)
	return res, authQuery, page
}

func TestOAuthLoginSendTokenRefresh(t *testing.T) {
	r := newRig(t)
	r.oauth.SetRotateRefreshTokens(true)
	res, q, page := r.signInPage(func(redirect string) {
		// Requests that are not the genuine callback are refused and do not end the wait.
		for _, bad := range []struct {
			url  string
			want int
		}{
			{redirect + "?state=forged&code=stolen", http.StatusBadRequest},
			{redirect + "?code=stolen", http.StatusBadRequest},
			{redirect + "?state=forged&error=access_denied", http.StatusBadRequest},
			{strings.TrimSuffix(redirect, "/") + "/favicon.ico", http.StatusNotFound},
		} {
			if got := testpeer.Fetch(bad.url); got.Status != bad.want {
				r.t.Errorf("GET %s = %d, want %d", bad.url, got.Status, bad.want)
			}
		}
	})
	r.wantCode(res, cli.ExitOK)
	if page.Status != http.StatusOK || !strings.Contains(page.Body, "Signed in") || !strings.Contains(page.Body, ann) {
		t.Errorf("the browser showed %d %q", page.Status, page.Body)
	}
	lines := strings.Split(res.stdout, "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], r.oauth.AuthURI()) || lines[1] != ann {
		t.Fatalf("stdout %q: want the authorization URL, then the address", res.stdout)
	}
	redirect, _ := url.Parse(q.Get("redirect_uri"))
	for k, want := range map[string]string{"access_type": "offline", "prompt": "consent", "code_challenge_method": "S256", "response_type": "code"} {
		if q.Get(k) != want {
			t.Errorf("authorization URL has %s=%q, want %q", k, q.Get(k), want)
		}
	}
	if q.Get("scope") != "openid email https://mail.google.com/" || redirect.Hostname() != "127.0.0.1" || redirect.Port() == "" || len(q.Get("state")) < 16 {
		t.Errorf("scope %q, redirect %q, state %q", q.Get("scope"), redirect, q.Get("state"))
	}
	if !strings.Contains(res.stderr, "this sign-in ends on") {
		t.Errorf("no Testing expiry note: %s", res.stderr)
	}
	if _, err := http.Get(q.Get("redirect_uri")); err == nil {
		t.Error("the loopback listener is still open after sign-in")
	}
	refresh1, err := r.secret(secret.RefreshToken)
	if err != nil || refresh1 == "" {
		t.Fatalf("refresh token not in keyring: %v", err)
	}
	r.remember(refresh1)
	if cs, _ := r.secret(secret.ClientSecret); cs != r.oauth.ClientSecret {
		t.Fatal("client secret not in keyring")
	}

	res = r.run("", "accounts", "--json")
	var list []map[string]any
	if err := json.Unmarshal([]byte(res.stdout), &list); err != nil || len(list) != 1 {
		t.Fatalf("accounts --json: %v %q", err, res.stdout)
	}
	if list[0]["method"] != "oauth" || list[0]["status"] != "expires in 7 days" || list[0]["days_left"] != float64(7) ||
		list[0]["transport"] != "auto" {
		t.Fatalf("accounts --json: %v", list[0])
	}

	// A cached token costs no trip to the token endpoint.
	hits := r.oauth.TokenHits()
	res = r.run("", "token", ann)
	r.wantCode(res, cli.ExitOK)
	tok1 := strings.TrimSpace(res.stdout)
	r.remember(tok1)
	if _, _, ok := r.oauth.Validate(tok1); !ok || r.oauth.TokenHits() != hits {
		t.Fatalf("token %q valid=%v, token endpoint hits %d → %d", tok1, ok, hits, r.oauth.TokenHits())
	}

	// Send over XOAUTH2.
	res = r.run("", "send", "--from", ann, "--to", "bob@example.com", "--subject", "oauth", "--body", "hi")
	r.wantCode(res, cli.ExitOK)
	if m := r.smtp.Messages(); len(m) != 1 || m[0].Mech != "XOAUTH2" {
		t.Fatalf("messages: %+v", m)
	}

	// Two hours later the access token has expired: token refreshes, and the
	// rotated refresh token is saved.
	r.advance(2 * time.Hour)
	res = r.run("", "token", ann)
	r.wantCode(res, cli.ExitOK)
	tok2 := strings.TrimSpace(res.stdout)
	r.remember(tok2)
	if tok2 == tok1 || r.oauth.TokenHits() != hits+1 {
		t.Fatalf("no refresh: %q → %q, hits %d", tok1, tok2, r.oauth.TokenHits()-hits)
	}
	refresh2, _ := r.secret(secret.RefreshToken)
	r.remember(refresh2)
	if refresh2 == refresh1 || refresh2 == "" {
		t.Fatal("the rotated refresh token was not saved")
	}

	// The provider expires every token while our cache still trusts it: Gmail
	// refuses it (334 + 535), mailkey refreshes once and the send succeeds.
	r.oauth.ExpireAccessTokens()
	res = r.run("", "send", "--from", ann, "--to", "bob@example.com", "--subject", "after expiry", "--body", "hi")
	r.wantCode(res, cli.ExitOK)
	if n := len(r.smtp.Messages()); n != 2 {
		t.Fatalf("%d messages after the retried send, want 2", n)
	}
	r.noSecretsOnDisk()
}

func TestOAuthInvalidGrantKeepsAccount(t *testing.T) {
	r := newRig(t)
	r.oauth.SetInProduction(true)
	res, _ := r.signIn(nil, "--production")
	r.wantCode(res, cli.ExitOK)
	r.oauth.RevokeUser(ann)
	r.advance(2 * time.Hour)
	res = r.run("", "token", ann)
	r.wantCode(res, cli.ExitAuth)
	if !strings.Contains(res.stderr, "invalid_grant") || !strings.Contains(res.stderr, "Sign in again") {
		t.Fatalf("stderr: %s", res.stderr)
	}
	res = r.run("", "accounts")
	if !strings.Contains(res.stdout, ann) || !strings.Contains(res.stdout, "needs sign-in") {
		t.Fatalf("account after invalid_grant: %q", res.stdout)
	}
	// Google's own description is kept for later runs.
	res = r.run("", "accounts", "--json")
	if want := `"needs_sign_in_reason": "Google no longer accepts this account's sign-in (invalid_grant: Token has been expired or revoked.)"`; !strings.Contains(res.stdout, want) {
		t.Fatalf("accounts --json after invalid_grant lacks %s: %s", want, res.stdout)
	}
	res = r.run("", "send", "--from", ann, "--to", "bob@example.com", "--subject", "x", "--body", "y")
	r.wantCode(res, cli.ExitAuth)
	if len(r.smtp.Messages()) != 0 {
		t.Fatal("a message went out")
	}
	// Signing in again heals the account.
	res, _ = r.signIn(nil, "--production")
	r.wantCode(res, cli.ExitOK)
	if res = r.run("", "accounts"); !strings.Contains(res.stdout, " ok") {
		t.Fatalf("after signing in again: %q", res.stdout)
	}
}

func TestOAuthRefusals(t *testing.T) {
	tests := []struct {
		name   string
		setup  func(r *rig)
		code   int
		advice string
	}{
		{"consent cancelled", func(r *rig) { r.oauth.SetDenyConsent(true) }, cli.ExitAuth, "access_denied"},
		{"gmail permission unticked", func(r *rig) { r.oauth.SetGrantedScope("openid email") }, cli.ExitAuth, "tick"},
		{"token endpoint down", func(r *rig) {
			r.oauth.SetTokenFault(func(string) (int, time.Duration) { return 500, 0 })
		}, cli.ExitTemporary, "Try again"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t)
			tt.setup(r)
			res, _, page := r.signInPage(nil)
			r.wantCode(res, tt.code)
			if !strings.Contains(page.Body, "did not work") || !strings.Contains(page.Body, tt.advice) {
				t.Errorf("the browser showed %d %q", page.Status, page.Body)
			}
			if !strings.Contains(res.stderr, tt.advice) {
				t.Fatalf("stderr %q lacks %q", res.stderr, tt.advice)
			}
			if list, _ := r.eng.List(); len(list) != 0 {
				t.Fatalf("an account was saved: %+v", list)
			}
			if _, err := r.secret(secret.ClientSecret); !errors.Is(err, secret.ErrNotFound) {
				t.Fatalf("client secret saved after a failed sign-in: %v", err)
			}
		})
	}
}

func TestOAuthTimeout(t *testing.T) {
	r := newRig(t)
	start := time.Now()
	res := r.run("", "login", "--client-secret", r.clientFile("installed"), "--no-browser", "--timeout", "300ms")
	r.wantCode(res, cli.ExitTemporary)
	if !strings.Contains(res.stderr, "answer came back from the browser within 300ms") || time.Since(start) > 5*time.Second {
		t.Fatalf("timeout after %v: %s", time.Since(start), res.stderr)
	}
}

func TestBadInput(t *testing.T) {
	r := newRig(t)
	notJSON := filepath.Join(t.TempDir(), "x.json")
	_ = os.WriteFile(notJSON, []byte("<html>"), 0o600)
	big := filepath.Join(t.TempDir(), "big.json")
	_ = os.WriteFile(big, make([]byte, 70<<10), 0o600)
	tests := []struct {
		name   string
		args   []string
		code   int
		advice string
	}{
		{"web client", []string{"login", "--client-secret", r.clientFile("web")}, cli.ExitUsage, "Desktop app"},
		{"not json", []string{"login", "--client-secret", notJSON}, cli.ExitUsage, "web page"},
		{"too big", []string{"login", "--client-secret", big}, cli.ExitUsage, "KiB"},
		{"missing file", []string{"login", "--client-secret", notJSON + ".gone"}, cli.ExitUsage, ""},
		{"no method", []string{"login"}, cli.ExitUsage, "--client-secret"},
		{"both methods", []string{"login", "--app-password", "--client-secret", "x"}, cli.ExitUsage, "not both"},
		{"testing and production", []string{"login", "--client-secret", "x", "--testing", "--production"}, cli.ExitUsage, "either"},
		{"bad smtp url", []string{"login", "--app-password", "--email", ann, "--smtp", "http://x"}, cli.ExitUsage, "smtp://"},
		{"unknown command", []string{"frobnicate"}, cli.ExitUsage, "mailkey help"},
		{"unknown flag", []string{"send", "--form", ann}, cli.ExitUsage, "Usage"},
		{"no from", []string{"send", "--to", "bob@example.com", "--subject", "x"}, cli.ExitUsage, "--from"},
		{"bad to", []string{"send", "--from", ann, "--to", "bob@", "--subject", "x"}, cli.ExitUsage, "valid"},
		{"header injection", []string{"send", "--from", ann, "--to", "bob@example.com", "--subject", "x\r\nBcc: evil@example.com"}, cli.ExitUsage, "line break"},
		{"missing attachment", []string{"send", "--from", ann, "--to", "bob@example.com", "--subject", "x", "--attach", "/nonexistent"}, cli.ExitUsage, "attachment"},
		{"unknown sender", []string{"send", "--from", "zed@gmail.com", "--to", "bob@example.com", "--subject", "x"}, cli.ExitNoAccount, "mailkey accounts"},
		{"token without account", []string{"token", "zed@gmail.com"}, cli.ExitNoAccount, "mailkey login"},
		{"token without address", []string{"token"}, cli.ExitUsage, "one address"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := r.run("", tt.args...)
			r.wantCode(res, tt.code)
			if !strings.Contains(res.stderr, tt.advice) {
				t.Fatalf("stderr %q lacks %q", res.stderr, tt.advice)
			}
		})
	}
	if r.smtp.AuthAttempts() != 0 || len(r.smtp.Messages()) != 0 {
		t.Fatal("bad input reached the SMTP server")
	}
	if r.oauth.TokenHits() != 0 {
		t.Fatal("bad input reached the token endpoint")
	}
}

func TestHelp(t *testing.T) {
	r := newRig(t)
	res := r.run("", "help")
	r.wantCode(res, cli.ExitOK)
	for _, cmd := range []string{"accounts", "login", "send", "token", "remove"} {
		if !strings.Contains(res.stdout, "mailkey "+cmd) {
			t.Errorf("help lacks %s", cmd)
		}
	}
	r.wantCode(r.run("", "send", "--help"), cli.ExitOK)
}

// The client ID on the command line and the secret on standard input, as
// copied from Google's dialog: echo SECRET | mailkey login --client-id ID …
func TestOAuthLoginWithClientID(t *testing.T) {
	r := newRig(t)
	res, q, page := r.signInWith(r.oauth.ClientSecret+"\n", nil, "--client-id", r.oauth.ClientID, "--project-id", "mailkey-test",
		"--auth-uri", r.oauth.AuthURI(), "--token-uri", r.oauth.TokenURI())
	r.wantCode(res, cli.ExitOK)
	if !strings.HasSuffix(res.stdout, ann) || q.Get("client_id") != r.oauth.ClientID || !strings.Contains(page.Body, "Signed in") {
		t.Fatalf("stdout %q, client %q, page %q", res.stdout, q.Get("client_id"), page.Body)
	}
	if strings.Contains(res.stdout+res.stderr, r.oauth.ClientSecret) {
		t.Fatal("the client secret was printed")
	}
	if cs, _ := r.secret(secret.ClientSecret); cs != r.oauth.ClientSecret {
		t.Fatal("client secret not in the keyring")
	}
	list, err := r.eng.List()
	if err != nil || len(list) != 1 || list[0].ProjectID != "mailkey-test" || list[0].AuthURI != r.oauth.AuthURI() || list[0].TokenURI != r.oauth.TokenURI() {
		t.Fatalf("account %+v, %v", list, err)
	}
	// The saved client works for a token refresh.
	r.advance(2 * time.Hour)
	r.wantCode(r.run("", "token", ann), cli.ExitOK)
	r.noSecretsOnDisk()

	// A wrong secret reaches Google's token endpoint and is refused there.
	r2 := newRig(t)
	res, _, _ = r2.signInWith("GOCSPX-wrong\n", nil, "--client-id", r2.oauth.ClientID, "--auth-uri", r2.oauth.AuthURI(), "--token-uri", r2.oauth.TokenURI())
	r2.wantCode(res, cli.ExitAuth)
	if list, _ := r2.eng.List(); len(list) != 0 {
		t.Fatalf("an account was saved with a wrong secret: %+v", list)
	}
}

// Without --auth-uri and --token-uri, the sign-in goes to Google's endpoints.
// Nothing is fetched: the printed link is only checked.
func TestOAuthLoginWithClientIDUsesGoogle(t *testing.T) {
	r := newRig(t)
	res := r.run("GOCSPX-x\n", "login", "--client-id", r.oauth.ClientID, "--no-browser", "--timeout", "200ms")
	r.wantCode(res, cli.ExitTemporary)
	if !strings.HasPrefix(res.stdout, "https://accounts.google.com/o/oauth2/auth?") {
		t.Fatalf("link %q", res.stdout)
	}
}

func TestOAuthLoginWithClientIDBadInput(t *testing.T) {
	r := newRig(t)
	tests := []struct {
		name, stdin string
		args        []string
		advice      string
	}{
		{"no secret", "", []string{"--client-id", r.oauth.ClientID}, "Add secret"},
		{"secret with spaces", "GOCSPX a b\n", []string{"--client-id", r.oauth.ClientID}, "not a client secret"},
		{"bad client ID", "GOCSPX-x\n", []string{"--client-id", "GOCSPX-x"}, ".apps.googleusercontent.com"},
		{"project name", "GOCSPX-x\n", []string{"--client-id", r.oauth.ClientID, "--project-id", "My Mail"}, "not a project ID"},
		{"http auth uri", "GOCSPX-x\n", []string{"--client-id", r.oauth.ClientID, "--auth-uri", "http://example.com/auth"}, "https://"},
		{"both client kinds", "", []string{"--client-id", r.oauth.ClientID, "--client-secret", "x.json"}, "not both"},
		{"project without ID", "", []string{"--project-id", "mailkey-test"}, "go with --client-id"},
		{"app password and client", "", []string{"--app-password", "--email", ann, "--client-id", r.oauth.ClientID}, "not both"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := r.run(tt.stdin, append([]string{"login", "--no-browser"}, tt.args...)...)
			r.wantCode(res, cli.ExitUsage)
			if !strings.Contains(res.stderr, tt.advice) {
				t.Fatalf("stderr %q lacks %q", res.stderr, tt.advice)
			}
		})
	}
	if r.oauth.TokenHits() != 0 || r.oauth.LastAuthRequest() != nil {
		t.Fatal("bad input reached the provider")
	}
}

// A user who is not a test user gets Google's own page, and nothing comes back
// to mailkey: the advice must be on stderr while it waits.
func TestOAuthNotATestUserWaitsWithAdvice(t *testing.T) {
	r := newRig(t)
	r.oauth.SetSignInAs(mallory)
	res, _, page := r.signInPage(nil, "--timeout", "1s")
	if page.Status != http.StatusForbidden || !strings.Contains(page.Body, "Error 403: access_denied") ||
		!strings.Contains(page.Body, "has not completed the Google verification process") {
		t.Fatalf("the browser showed %d %q", page.Status, page.Body)
	}
	r.wantCode(res, cli.ExitTemporary)
	audience := "https://console.cloud.google.com/auth/audience?project=mailkey-test"
	for _, want := range []string{
		"Error 403: access_denied", "Test users", audience, "Error 401: deleted_client", "Error 400: admin_policy_enforced",
		"Error 400: redirect_uri_mismatch", "step 6", "Error 403: org_internal", "Error 400: invalid_request",
		"You've been given access to an app that's currently being tested", "Continue", "error pages listed above",
	} {
		if !strings.Contains(res.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, res.stderr)
		}
	}
	if strings.Contains(res.stderr, "(unsafe)") {
		t.Error("Testing told to click through the production warning")
	}
	// The advice came before the wait ended, not only with the timeout.
	if i, j := strings.Index(res.stderr, "Error 403: access_denied"), strings.Index(res.stderr, "Waiting for the browser"); i < 0 || i > j {
		t.Error("the advice is not printed before the wait")
	}
	if list, _ := r.eng.List(); len(list) != 0 {
		t.Fatalf("an account was saved: %+v", list)
	}
	// In production the warning is the other one.
	res = r.run("", "login", "--client-secret", r.clientFile("installed"), "--no-browser", "--production", "--timeout", "100ms")
	if !strings.Contains(res.stderr, "Advanced, then “Go to … (unsafe)”") || strings.Contains(res.stderr, "currently being tested") {
		t.Errorf("production warning: %s", res.stderr)
	}
}

// Publishing the app does not lift the 7-day end of a sign-in made in
// Testing: Google's refresh_token_expires_in says so, and mailkey keeps it
// until a sign-in made in production.
func TestOAuthProductionAfterTestingKeepsTheEnd(t *testing.T) {
	r := newRig(t)
	res, _ := r.signIn(nil, "--production") // the user published, but Google still counts the consent as Testing
	r.wantCode(res, cli.ExitOK)
	if !strings.Contains(res.stderr, "still in Testing") {
		t.Errorf("no note that this sign-in still ends: %s", res.stderr)
	}
	acct := func() map[string]any {
		res := r.run("", "accounts", "--json")
		var list []map[string]any
		if err := json.Unmarshal([]byte(res.stdout), &list); err != nil || len(list) != 1 {
			t.Fatalf("accounts --json: %v %q", err, res.stdout)
		}
		return list[0]
	}
	if a := acct(); a["publishing"] != "production" || a["expires_at"] == nil || a["days_left"] != float64(7) {
		t.Fatalf("after a Testing consent declared production: %v", a)
	}
	r.oauth.SetInProduction(true)
	res, _ = r.signIn(nil, "--production")
	r.wantCode(res, cli.ExitOK)
	if a := acct(); a["expires_at"] != nil || a["status"] != "ok" {
		t.Fatalf("a sign-in made in production still ends: %v", a)
	}
	if strings.Contains(res.stderr, "ends on") {
		t.Errorf("stderr: %s", res.stderr)
	}
}

// A Workspace address learns about the Internal user type.
func TestOAuthWorkspaceAddress(t *testing.T) {
	r := newRig(t)
	const zoe = "zoe@example.org"
	r.oauth.SetWorkspace("example.org")
	r.oauth.AddTestUser(zoe)
	r.oauth.SetSignInAs(zoe)
	res, _ := r.signIn(nil)
	r.wantCode(res, cli.ExitOK)
	if !strings.Contains(res.stderr, "Google Workspace address (example.org)") || !strings.Contains(res.stderr, "Internal") {
		t.Fatalf("stderr: %s", res.stderr)
	}
	if list, _ := r.eng.List(); len(list) != 1 || list[0].HostedDomain != "example.org" {
		t.Fatalf("hd not saved: %+v", list)
	}
}
