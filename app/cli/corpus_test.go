package cli

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/google"
	"github.com/mailkey-app/mailkey/app/mail"
	"github.com/mailkey-app/mailkey/app/oauth"
	"github.com/mailkey-app/mailkey/internal/testpeer"
	"golang.org/x/oauth2"
)

// corpusWant is what mailkey must make of one of Google's replies: the key of
// its advice, the CLI's exit code, and a piece of the advice the user reads.
type corpusWant struct {
	key  string
	exit int
	says string
}

// corpusWants covers every entry of testdata/google; TestCorpusReplay fails
// on an entry without one, and on one without an entry.
var corpusWants = map[string]corpusWant{
	"smtp/greeting":                        {"", ExitOK, "smtp.gmail.com ESMTP"},
	"smtp/ehlo-before-starttls":            {"", ExitOK, "SIZE 35882577"},
	"smtp/ehlo-after-starttls":             {"", ExitOK, "AUTH LOGIN PLAIN XOAUTH2 PLAIN-CLIENTTOKEN OAUTHBEARER XOAUTH"},
	"smtp/334-xoauth2-invalid-token":       {"mail.token_expired", ExitAuth, "Sign in again"},
	"smtp/334-xoauth2-wrong-scope":         {"mail.token_refused", ExitAuth, "lacks the permission https://mail.google.com/"},
	"smtp/452-too-many-recipients":         {"mail.too_many_recipients_reply", ExitUsage, "will not help"},
	"smtp/454-too-many-logins":             {"mail.rate_limited", ExitTemporary, "Wait a few minutes"},
	"smtp/501-cannot-decode":               {"mail.syntax_error", ExitFailure, "fault in mailkey"},
	"smtp/504-xoauth":                      {"mail.xoauth_unsupported", ExitFailure, "XOAUTH2"},
	"smtp/530-authentication-required":     {"mail.auth_required", ExitFailure, "smtp.gmail.com"},
	"smtp/530-starttls-first":              {"mail.starttls_required", ExitFailure, "smtp://smtp.gmail.com:587"},
	"smtp/534-app-password-required":       {"mail.app_password_required", ExitAuth, "Create an app password"},
	"smtp/534-web-login":                   {"mail.web_login_required", ExitAuth, "https://mail.google.com"},
	"smtp/535-bad-credentials":             {"mail.auth_rejected", ExitAuth, "Username and Password not accepted. For more information, go to https://support.google.com/mail/?p=BadCredentials)"},
	"smtp/550-daily-limit":                 {"mail.daily_limit", ExitTemporary, "Wait 24 hours"},
	"smtp/550-too-many-recipients":         {"mail.too_many_recipients_reply", ExitUsage, "at most 100 recipients"},
	"smtp/552-blocked-content":             {"mail.blocked_content", ExitUsage, "This message was blocked because its content presents a potential security issue. Please visit https://support.google.com/mail/?p=BlockedMessage to review our message content and attachment content guidelines.)"},
	"smtp/552-illegal-attachment":          {"mail.blocked_content", ExitUsage, "not about size"},
	"smtp/552-size-5.2.3":                  {"mail.too_big", ExitUsage, "too big"},
	"smtp/552-size-5.3.4":                  {"mail.too_big", ExitUsage, "too big"},
	"smtp/555-syntax-error":                {"mail.syntax_error", ExitFailure, "Syntax error, cannot decode response"},
	"token/deleted-client":                 {"oauth.client_deleted", ExitAuth, "restore it on the Clients page, https://console.cloud.google.com/auth/clients?project=corpus-project"},
	"token/invalid-client-not-found":       {"oauth.client_secret_refused", ExitAuth, "click Add secret"},
	"token/invalid-client-unauthorized":    {"oauth.client_secret_refused", ExitAuth, "click Add secret"},
	"token/invalid-request-secret-missing": {"oauth.client_secret_missing", ExitAuth, "enter the client secret"},
	"token/invalid-grant-expired":          {"oauth.refresh_rejected_described", ExitAuth, "Token has been expired or revoked."},
	"token/invalid-grant-bad-request":      {"oauth.refresh_rejected_described", ExitAuth, "Sign in again"},
	"token/invalid-grant-rapt":             {"oauth.refresh_rejected_rapt", ExitAuth, "session control"},
	"token/unauthorized-client":            {"oauth.client_type_refused", ExitAuth, "Desktop app"},
	"token/server-error":                   {"oauth.token_endpoint_error", ExitTemporary, "temporarily_unavailable"},
	"api/auth-error":                       {"mail.api_token_rejected", ExitAuth, "Sign in again"},
	"api/daily-sending-limit":              {"mail.api_daily_limit_until", ExitTemporary, retryLocal},
	"api/mail-service-not-enabled":         {"mail.api_no_mailbox", ExitFailure, "no Gmail mailbox"},
	"api/rate-limit-403":                   {"mail.api_rate_limited", ExitTemporary, "Wait a few minutes"},
	"api/rate-limit-429-quota-metric":      {"mail.api_rate_limited", ExitTemporary, "Quota exceeded for quota metric"},
	"api/recipient-required":               {"mail.api_rejected", ExitFailure, "Recipient address required"},
	"api/scope-insufficient":               {"mail.api_scope_missing", ExitAuth, "Sign in again"},
	"api/service-disabled":                 {"mail.api_disabled_in_project", ExitFailure, "Enable it at https://console.developers.google.com/apis/api/gmail.googleapis.com/overview?project=123456789012, wait a few minutes"},
	"redirect/success":                     {"", ExitOK, ""},
	"redirect/cancel":                      {"oauth.access_denied", ExitAuth, ""},
}

// retryLocal is the corpus's "Retry after 2026-12-01T14:32:07.412Z" in local time.
var retryLocal = time.Date(2026, 12, 1, 14, 32, 7, 0, time.UTC).Local().Format("2006-01-02 15:04 MST")

// TestCorpusReplay runs every one of Google's recorded replies through the
// explainer that meets it in mailkey (SMTP replies and XOAUTH2 challenges,
// token endpoint answers to a refresh, Gmail API error envelopes, the
// loopback redirect) and checks the advice and the exit code.
func TestCorpusReplay(t *testing.T) {
	corpus, err := testpeer.ReadCorpus(testpeer.CorpusDir())
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range corpus {
		seen[e.Name] = true
		t.Run(e.Name, func(t *testing.T) {
			want, ok := corpusWants[e.Name]
			if !ok {
				t.Fatal("no expectation for this entry: add one to corpusWants")
			}
			var err error
			switch dir, _, _ := strings.Cut(e.Name, "/"); dir {
			case "smtp":
				err = replaySMTP(t, e, want)
			case "token":
				err = replayToken(t, e)
			case "api":
				err = mail.ExplainAPI(mail.API{}, e.Status, []byte(e.Body))
			case "redirect":
				err = replayRedirect(t, e)
			default:
				t.Fatalf("unknown kind %q", dir)
			}
			checkAdvice(t, err, want)
		})
	}
	for name := range corpusWants {
		if !seen[name] {
			t.Errorf("%s: expected but not in the corpus", name)
		}
	}
}

func checkAdvice(t *testing.T, err error, want corpusWant) {
	t.Helper()
	if got := codeOf(err); err != nil && got != want.exit || err == nil && want.exit != ExitOK {
		t.Errorf("exit %d, want %d (%v)", got, want.exit, err)
	}
	if err == nil {
		return
	}
	text := advice.TextOf(err)
	if text.Key != want.key {
		t.Errorf("key %q, want %q (%v)", text.Key, want.key, err)
	}
	if !strings.Contains(err.Error(), want.says) {
		t.Errorf("advice %q\nlacks %q", err.Error(), want.says)
	}
	if strings.Contains(err.Error(), "gsmtp") || strings.ContainsAny(err.Error(), "\r\n") {
		t.Errorf("advice carries Gmail's session tag or a line break: %q", err.Error())
	}
}

// replaySMTP explains an SMTP reply as the user would read it, and checks
// that a reply of several lines reads as one sentence.
func replaySMTP(t *testing.T, e testpeer.CorpusEntry, want corpusWant) error {
	if b64, ok := strings.CutPrefix(e.Body, "334 "); ok {
		raw, err := base64.StdEncoding.DecodeString(b64)
		if err != nil {
			t.Fatal(err)
		}
		c, ok := mail.ParseChallenge(raw)
		if !ok {
			t.Fatalf("challenge %q not understood", raw)
		}
		final, _ := mail.ParseReply(testpeer.Says("smtp/535-bad-credentials"))
		return mail.ExplainChallenge(c, final)
	}
	r, ok := mail.ParseReply(e.Body)
	if !ok {
		t.Fatalf("ParseReply refused %q", e.Body)
	}
	if strings.Contains(r.Text, "gsmtp") || (r.Enhanced != "" && strings.Contains(r.Text, r.Enhanced)) {
		t.Errorf("text %q keeps the session tag or repeats %s", r.Text, r.Enhanced)
	}
	if r.Code < 400 {
		if !strings.Contains(r.Text, want.says) {
			t.Errorf("text %q lacks %q", r.Text, want.says)
		}
		return nil
	}
	return mail.Explain(r, false)
}

type discard struct{}

func (discard) SaveToken(context.Context, *oauth2.Token) error { return nil }

// replayToken has a token endpoint give the entry's answer to a real refresh.
func replayToken(t *testing.T, e testpeer.CorpusEntry) error {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(e.Status)
		fmt.Fprintln(w, e.Body)
	}))
	defer srv.Close()
	client := google.Client{
		ClientID: "1-corpus.apps.googleusercontent.com", ClientSecret: "GOCSPX-corpus",
		ProjectID: "corpus-project", AuthURI: srv.URL + "/auth", TokenURI: srv.URL + "/token",
	}
	ts := oauth.NewTokenSource(context.Background(), client, &oauth2.Token{RefreshToken: "1//corpus"}, discard{})
	_, err := ts.Token()
	if err == nil {
		t.Fatal("the refresh succeeded")
	}
	return err
}

// replayRedirect runs a real sign-in whose browser comes back with the
// entry's query: Google's parameters, with the state and the code of this
// sign-in in place of STATE and CODE.
func replayRedirect(t *testing.T, e testpeer.CorpusEntry) error {
	p, err := testpeer.StartOAuth(testpeer.OAuthOptions{TestUsers: []string{"ann@gmail.com"}})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	noFollow := &http.Client{
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	open := func(authURL string) error {
		go func() {
			resp, err := noFollow.Get(authURL)
			if err != nil {
				return
			}
			resp.Body.Close()
			back, err := url.Parse(resp.Header.Get("Location"))
			if err != nil {
				return
			}
			q := back.Query()
			query := strings.NewReplacer("STATE", url.QueryEscape(q.Get("state")), "CODE", url.QueryEscape(q.Get("code"))).Replace(e.Body)
			back.RawQuery = query
			if resp, err := noFollow.Get(back.String()); err == nil {
				resp.Body.Close()
			}
		}()
		return nil
	}
	client := google.Client{ClientID: p.ClientID, ClientSecret: p.ClientSecret, AuthURI: p.AuthURI(), TokenURI: p.TokenURI()}
	res, err := oauth.LoginThen(context.Background(), client, open, 10*time.Second, nil, nil)
	if err == nil && res.Email != "ann@gmail.com" {
		t.Errorf("signed in as %q", res.Email)
	}
	if err != nil && !errors.Is(err, oauth.ErrAccessDenied) {
		t.Errorf("sign-in failed: %v", err)
	}
	return err
}
