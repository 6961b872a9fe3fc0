package testpeer

import (
	"bufio"
	"crypto/tls"
	"encoding/base64"
	"io"
	"net"
	"net/http"
	"net/textproto"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/oauth2"
)

// TestGoogleSaysIsTheCorpus proves that the peers' words are the corpus's:
// every entry the peers send equals its file under testdata/google, status
// included, and every SMTP, token endpoint and Gmail API entry of the corpus
// is one the peers can send.
func TestGoogleSaysIsTheCorpus(t *testing.T) {
	corpus, err := ReadCorpus(CorpusDir())
	if err != nil {
		t.Fatal(err)
	}
	if len(corpus) < 40 {
		t.Fatalf("only %d corpus entries", len(corpus))
	}
	seen := map[string]bool{}
	for _, e := range corpus {
		if strings.HasPrefix(e.Name, "redirect/") {
			continue // the peers do not send a redirect's query as it is
		}
		seen[e.Name] = true
		got, ok := googleSays[e.Name]
		if !ok {
			t.Errorf("%s: the peers cannot send it", e.Name)
			continue
		}
		if got.body != e.Body || got.status != e.Status {
			t.Errorf("%s: peers say %d %q, the corpus %d %q", e.Name, got.status, got.body, e.Status, e.Body)
		}
	}
	for name := range googleSays {
		if !seen[name] {
			t.Errorf("%s: not in the corpus", name)
		}
	}
}

func TestReadCorpusRefusesEntriesWithoutSource(t *testing.T) {
	for _, text := range []string{
		"# date: 2026\n# recorded: copied\n---\nbody\n",
		"# source: x\n# date: 2026\n# recorded: guessed\n---\nbody\n",
		"# source: x\n# date: 2026\n# recorded: copied\nbody\n",
		"# source: x\n# date: 2026\n# recorded: copied\n# status: four\n---\nbody\n",
		"# source: x\n# date: 2026\n# recorded: copied\n---\n",
	} {
		if _, err := parseCorpus("x", text); err == nil {
			t.Errorf("accepted %q", text)
		}
	}
}

// readReply reads one SMTP reply as the wire carries it, lines joined by "\n".
func readReply(t *testing.T, r *bufio.Reader) string {
	t.Helper()
	var lines []string
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("read: %v (so far %q)", err, lines)
		}
		line = strings.TrimRight(line, "\r\n")
		lines = append(lines, line)
		if len(line) < 4 || line[3] == ' ' {
			return strings.Join(lines, "\n")
		}
	}
}

// TestSMTPSpeaksGmailsWords checks the peer's replies byte for byte against
// the corpus: EHLO's SIZE and AUTH lines, XOAUTH, both XOAUTH2 challenges
// and the final 535, and every error reply a fault can inject.
func TestSMTPSpeaksGmailsWords(t *testing.T) {
	e := startSMTPEnv(t, true)
	conn, err := tls.Dial("tcp", hostPort(t, e.smtp.ImplicitTLSURL()), e.clientTLS())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	r := bufio.NewReader(conn)
	cmd := func(line string) string {
		t.Helper()
		if _, err := io.WriteString(conn, line+"\r\n"); err != nil {
			t.Fatal(err)
		}
		return readReply(t, r)
	}
	readReply(t, r) // on implicit TLS the greeting is go-smtp's (see testdata/google/README.md)
	ehlo := strings.Split(cmd("EHLO client.example"), "\n")
	for _, want := range strings.Split(Says("smtp/ehlo-after-starttls"), "\n") {
		if !strings.HasPrefix(want, "250-SIZE") && !strings.HasPrefix(want, "250-AUTH") {
			continue
		}
		found := false // the line's place (and so its "250-" or "250 ") is go-smtp's
		for _, l := range ehlo {
			found = found || l[4:] == want[4:]
		}
		if !found {
			t.Errorf("EHLO lacks %q: %q", want, ehlo)
		}
	}
	if got := cmd("AUTH XOAUTH"); got != Says("smtp/504-xoauth") {
		t.Errorf("AUTH XOAUTH: %q", got)
	}
	ir := base64.StdEncoding.EncodeToString([]byte("user=" + alice + "\x01auth=Bearer ya29.unknown\x01\x01"))
	if got := cmd("AUTH XOAUTH2 " + ir); got != Says("smtp/334-xoauth2-invalid-token") {
		t.Errorf("XOAUTH2 challenge: %q", got)
	}
	if got := cmd(""); got != Says("smtp/535-bad-credentials") {
		t.Errorf("after the challenge: %q", got)
	}
	plain := base64.StdEncoding.EncodeToString([]byte("\x00" + alice + "\x00" + appPassword))
	if got := cmd("AUTH PLAIN " + plain); !strings.HasPrefix(got, "235 ") {
		t.Fatalf("AUTH PLAIN: %q", got)
	}
	for _, name := range []string{
		"smtp/552-blocked-content", "smtp/552-illegal-attachment", "smtp/552-size-5.3.4", "smtp/552-size-5.2.3",
		"smtp/452-too-many-recipients", "smtp/550-too-many-recipients", "smtp/550-daily-limit",
		"smtp/454-too-many-logins", "smtp/555-syntax-error", "smtp/530-starttls-first",
	} {
		e.smtp.SetReplyFault(func(stage string) error {
			if stage == "mail" {
				return GmailReply(name)
			}
			return nil
		})
		if got := cmd("MAIL FROM:<" + alice + ">"); got != Says(name) {
			t.Errorf("%s: the peer says\n%s\nthe corpus\n%s", name, got, Says(name))
		}
	}
	e.smtp.SetReplyFault(nil)
	if got := cmd("MAIL FROM:<" + alice + ">"); !strings.HasPrefix(got, "250 ") {
		t.Fatalf("MAIL: %q", got)
	}
	for i := 0; i < gmailMaxRecipients; i++ {
		if got := cmd("RCPT TO:<" + bob + ">"); !strings.HasPrefix(got, "250 ") {
			t.Fatalf("RCPT %d: %q", i+1, got)
		}
	}
	if got := cmd("RCPT TO:<" + bob + ">"); got != Says("smtp/452-too-many-recipients") {
		t.Errorf("RCPT 101: %q", got)
	}
}

func TestSMTPWrongScopeChallengeIsGmails(t *testing.T) {
	e := startSMTPEnv(t, true)
	e.oauth.SetGrantedScope("openid email https://www.googleapis.com/auth/gmail.send")
	tok := obtainToken(t, e.oauth)
	conn, err := tls.Dial("tcp", hostPort(t, e.smtp.ImplicitTLSURL()), e.clientTLS())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	tp := textproto.NewConn(conn)
	if _, _, err := tp.ReadResponse(220); err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(conn)
	_ = tp.PrintfLine("EHLO client.example")
	if _, _, err := tp.ReadResponse(250); err != nil {
		t.Fatal(err)
	}
	email := tokenEmail(t, e.oauth, tok.AccessToken)
	ir := base64.StdEncoding.EncodeToString([]byte("user=" + email + "\x01auth=Bearer " + tok.AccessToken + "\x01\x01"))
	_ = tp.PrintfLine("AUTH XOAUTH2 %s", ir)
	if got := readReply(t, r); got != Says("smtp/334-xoauth2-wrong-scope") {
		t.Errorf("wrong-scope challenge: %q", got)
	}
}

func tokenEmail(t *testing.T, p *OAuth, access string) string {
	t.Helper()
	email, _, ok := p.Validate(access)
	if !ok {
		t.Fatal("the access token is not valid")
	}
	return email
}

// TestTokenEndpointSpeaksGoogle checks the token endpoint's error answers
// byte for byte against the corpus.
func TestTokenEndpointSpeaksGoogle(t *testing.T) {
	p := startOAuth(t, OAuthOptions{})
	tok := obtainToken(t, p)
	post := func(secret string) (int, string) {
		t.Helper()
		form := url.Values{
			"grant_type": {"refresh_token"}, "refresh_token": {tok.RefreshToken},
			"client_id": {p.ClientID}, "client_secret": {secret},
		}
		resp, err := http.PostForm(p.TokenURI(), form)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		return resp.StatusCode, strings.TrimSuffix(string(b), "\n")
	}
	status, body := post("")
	wantSaid(t, "token/invalid-request-secret-missing", status, body)
	status, body = post("GOCSPX-wrong")
	wantSaid(t, "token/invalid-client-unauthorized", status, body)
	for name := range googleSays {
		if !strings.HasPrefix(name, "token/") {
			continue
		}
		p.SetTokenAnswer(name)
		status, body := post(p.ClientSecret)
		wantSaid(t, name, status, body)
	}
	p.SetClientDeleted(true)
	status, body = post(p.ClientSecret)
	wantSaid(t, "token/deleted-client", status, body)
	p.SetClientDeleted(false)
	if status, body := post(p.ClientSecret); status != http.StatusOK {
		t.Fatalf("after restoring the client: %d %s", status, body)
	}
}

// TestGmailAPISpeaksGoogle checks the Gmail API peer's error answers byte
// for byte against the corpus.
func TestGmailAPISpeaksGoogle(t *testing.T) {
	p := startOAuth(t, OAuthOptions{})
	tok := obtainToken(t, p)
	api, err := StartGmailAPI(p, "")
	if err != nil {
		t.Fatal(err)
	}
	defer api.Close()
	send := func(token string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, api.URL+"/upload/gmail/v1/users/me/messages/send?uploadType=media",
			strings.NewReader("To: bob@example.com\r\n\r\nhi\r\n"))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "message/rfc822")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		return resp.StatusCode, strings.TrimSuffix(string(b), "\n")
	}
	status, body := send("ya29.unknown")
	wantSaid(t, "api/auth-error", status, body)
	api.SetAPIDisabled(true)
	status, body = send(tok.AccessToken)
	wantSaid(t, "api/service-disabled", status, body)
	api.SetAPIDisabled(false)
	for name := range googleSays {
		if !strings.HasPrefix(name, "api/") {
			continue
		}
		api.SetAnswer(name)
		status, body := send(tok.AccessToken)
		wantSaid(t, name, status, body)
	}
	api.SetAnswer("")
	if status, body := send(tok.AccessToken); status != http.StatusOK {
		t.Fatalf("after clearing the answer: %d %s", status, body)
	}
}

// TestSMTPGreetsAsGmail: on the STARTTLS port the peer greets and answers
// EHLO in Gmail's words, and STARTTLS still works after them.
func TestSMTPGreetsAsGmail(t *testing.T) {
	e := startSMTPEnv(t, true)
	conn, err := net.Dial("tcp", hostPort(t, e.smtp.StartTLSURL()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	r := bufio.NewReader(conn)
	if got := readReply(t, r); got != Says("smtp/greeting") {
		t.Errorf("greeting %q", got)
	}
	_, _ = io.WriteString(conn, "EHLO client.example\r\n")
	want := strings.Replace(Says("smtp/ehlo-before-starttls"), "203.0.113.5", "127.0.0.1", 1)
	if got := readReply(t, r); got != want {
		t.Errorf("EHLO\n%s\nwant\n%s", got, want)
	}
	_, _ = io.WriteString(conn, "STARTTLS\r\n")
	if got := readReply(t, r); !strings.HasPrefix(got, "220 ") {
		t.Fatalf("STARTTLS: %q", got)
	}
	tc := tls.Client(conn, e.clientTLS())
	if err := tc.Handshake(); err != nil {
		t.Fatal(err)
	}
	tr := bufio.NewReader(tc)
	_, _ = io.WriteString(tc, "EHLO client.example\r\n")
	if got := readReply(t, tr); !strings.Contains(got, "AUTH LOGIN PLAIN XOAUTH2 PLAIN-CLIENTTOKEN OAUTHBEARER XOAUTH") {
		t.Errorf("EHLO after STARTTLS: %q", got)
	}
}

// wantSaid checks an HTTP answer against the corpus entry name.
func wantSaid(t *testing.T, name string, status int, body string) {
	t.Helper()
	if status != saysStatus(name) || body != Says(name) {
		t.Errorf("%s: %d %q", name, status, body)
	}
}

// TestRedirectCarriesGooglesParameters: the authorization endpoint's
// redirect has the parameters of the corpus's success redirect, spelled
// alike (the state and the code are the sign-in's own).
func TestRedirectCarriesGooglesParameters(t *testing.T) {
	corpus, err := ReadCorpus(CorpusDir())
	if err != nil {
		t.Fatal(err)
	}
	var want url.Values
	for _, e := range corpus {
		if e.Name == "redirect/success" {
			if want, err = url.ParseQuery(e.Body); err != nil {
				t.Fatal(err)
			}
		}
	}
	p := startOAuth(t, OAuthOptions{})
	lb := startLoopback(t)
	cfg := oauthConfig(p, lb.redirectURI, oauth2.AuthStyleInParams)
	got := signIn(t, lb, cfg, "state-123", oauth2.GenerateVerifier())
	if len(want) == 0 || len(got) != len(want) {
		t.Fatalf("redirect %v, corpus %v", got, want)
	}
	for k := range want {
		if k != "state" && k != "code" && got.Get(k) != want.Get(k) {
			t.Errorf("%s = %q, Google sends %q", k, got.Get(k), want.Get(k))
		}
	}
}
