package cli_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net"
	netmail "net/mail"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mailkey-app/mailkey/app/cli"
	"github.com/mailkey-app/mailkey/app/mail"
	"github.com/mailkey-app/mailkey/internal/testpeer"
)

// transportRig signs ann in with the Gmail API at a local peer of its own,
// the given transport ("" for the default) and, if not empty, the SMTP URL.
func transportRig(t *testing.T, transport, smtpURL string) (*rig, *testpeer.GmailAPI) {
	t.Helper()
	r := newRig(t)
	api, err := testpeer.StartGmailAPI(r.oauth, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(api.Close)
	args := []string{"--api", api.URL}
	if transport != "" {
		args = append(args, "--transport", transport)
	}
	if smtpURL != "" {
		args = append(args, "--smtp", smtpURL) // the last --smtp wins
	}
	res, _ := r.signIn(nil, args...)
	r.wantCode(res, cli.ExitOK)
	return r, api
}

// closedPort returns an SMTP URL on loopback where nothing listens.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return "smtp://" + addr
}

// draft writes a body and two attachments and returns the message as the
// CLI flags below describe it, and those flags.
func draft(t *testing.T) (mail.Message, []string) {
	t.Helper()
	dir := t.TempDir()
	att1, att2 := filepath.Join(dir, "notes.txt"), filepath.Join(dir, "photo.jpg")
	_ = os.WriteFile(att1, []byte("first attachment"), 0o600)
	_ = os.WriteFile(att2, []byte(strings.Repeat("\xff\xd8jpeg", 3000)), 0o600)
	body := "Bonjour,\nce message part en HTTPS.\n"
	m := mail.Message{
		From: ann, To: []string{"bob@example.com", "Carol <carol@example.com>"}, Cc: []string{"dan@example.com"},
		Subject: "Essai réussi ✓", Body: body, Attachments: []string{att1, att2},
	}
	args := []string{
		"send", "--from", ann, "--to", "bob@example.com, Carol <carol@example.com>", "--cc", "dan@example.com",
		"--subject", m.Subject, "--body", body, "--attach", att1, "--attach", att2,
	}
	return m, args
}

var boundaryRE = regexp.MustCompile(`boundary=([0-9a-f]+)`)

// sameMessage checks that raw is, byte for byte, what mailkey writes for m
// with the Message-ID it printed and the Date in raw; only the random
// multipart boundary is taken from raw. It also parses raw and checks every
// part, so that a mismatch is easy to read.
func sameMessage(t *testing.T, raw []byte, m mail.Message, id string) {
	t.Helper()
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("the API received an unreadable message: %v\n%s", err, raw)
	}
	if got := msg.Header.Get("Message-ID"); got != id {
		t.Fatalf("Message-ID %q, mailkey printed %q", got, id)
	}
	if subj, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject")); subj != m.Subject {
		t.Errorf("subject %q", subj)
	}
	date, err := msg.Header.Date()
	if err != nil || time.Since(date) > time.Minute {
		t.Fatalf("date %v, %v", date, err)
	}
	var want bytes.Buffer
	if err := mail.WriteMessage(&want, m, id, date); err != nil {
		t.Fatal(err)
	}
	exp := want.Bytes()
	if len(m.Attachments) > 0 {
		got, wb := boundaryRE.FindSubmatch(raw), boundaryRE.FindSubmatch(exp)
		if got == nil || wb == nil {
			t.Fatalf("no multipart boundary in\n%s", raw)
		}
		exp = bytes.ReplaceAll(exp, wb[1], got[1])
		// The parts themselves.
		_, params, _ := mime.ParseMediaType(msg.Header.Get("Content-Type"))
		mr := multipart.NewReader(msg.Body, params["boundary"])
		text, err := mr.NextPart() // decodes quoted-printable
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(text)
		if string(b) != strings.ReplaceAll(m.Body, "\n", "\r\n") {
			t.Errorf("body %q", b)
		}
		for _, path := range m.Attachments {
			p, err := mr.NextPart()
			if err != nil {
				t.Fatal(err)
			}
			wantData, _ := os.ReadFile(path)
			got, _ := io.ReadAll(base64.NewDecoder(base64.StdEncoding, p))
			if p.FileName() != filepath.Base(path) || !bytes.Equal(got, wantData) {
				t.Errorf("attachment %q: %d bytes, want %s with %d", p.FileName(), len(got), filepath.Base(path), len(wantData))
			}
		}
	}
	if !bytes.Equal(raw, exp) {
		t.Fatalf("the API received\n%s\nmailkey writes\n%s", raw, exp)
	}
}

func TestTransportAutoFallsBackWhenSMTPUnreachable(t *testing.T) {
	r, api := transportRig(t, "", closedPort(t)) // OAuth's default is auto
	m, args := draft(t)
	res := r.run("", args...)
	r.wantCode(res, cli.ExitOK)
	id := strings.TrimSpace(res.stdout)
	sent := api.Sent()
	if len(sent) != 1 {
		t.Fatalf("the API received %d messages", len(sent))
	}
	sameMessage(t, sent[0], m, id)
	if n := len(r.smtp.Messages()); n != 0 {
		t.Errorf("the SMTP server received %d messages", n)
	}
	if !regexp.MustCompile(`^Sent through the Gmail API \(HTTPS\) because port \d+ could not be reached\.\n$`).MatchString(res.stderr) {
		t.Errorf("stderr %q", res.stderr)
	}
	r.noSecretsOnDisk()
}

func TestTransportAutoUsesSMTPWhenUp(t *testing.T) {
	r, api := transportRig(t, "auto", "")
	_, args := draft(t)
	res := r.run("", args...)
	r.wantCode(res, cli.ExitOK)
	msgs := r.smtp.Messages()
	if len(msgs) != 1 || !strings.Contains(string(msgs[0].Data), "Message-ID: "+strings.TrimSpace(res.stdout)) {
		t.Fatalf("the SMTP server received %d messages", len(msgs))
	}
	if api.Hits() != 0 || len(api.Sent()) != 0 {
		t.Errorf("the API was called %d times", api.Hits())
	}
	if res.stderr != "" {
		t.Errorf("stderr %q", res.stderr)
	}
}

func TestTransportSMTPDoesNotFallBack(t *testing.T) {
	r, api := transportRig(t, "smtp", closedPort(t))
	_, args := draft(t)
	res := r.run("", args...)
	r.wantCode(res, cli.ExitTemporary)
	if !strings.Contains(res.stderr, "Cannot connect to 127.0.0.1:") || res.stdout != "" {
		t.Errorf("stdout %q stderr %q", res.stdout, res.stderr)
	}
	if api.Hits() != 0 {
		t.Errorf("the API was called %d times", api.Hits())
	}
}

func TestTransportAPIEvenWithSMTPUp(t *testing.T) {
	r, api := transportRig(t, "api", "")
	m := mail.Message{From: ann, To: []string{"bob@example.com"}, Subject: "plain", Body: "over HTTPS\n"}
	res := r.run("", "send", "--from", ann, "--to", "bob@example.com", "--subject", m.Subject, "--body", m.Body)
	r.wantCode(res, cli.ExitOK)
	sent := api.Sent()
	if len(sent) != 1 {
		t.Fatalf("the API received %d messages", len(sent))
	}
	sameMessage(t, sent[0], m, strings.TrimSpace(res.stdout))
	if n := len(r.smtp.Messages()); n != 0 || r.smtp.AuthAttempts() != 0 {
		t.Errorf("the SMTP server received %d messages, %d logins", n, r.smtp.AuthAttempts())
	}
	if res.stderr != "" { // chosen, not a fallback: nothing to say
		t.Errorf("stderr %q", res.stderr)
	}

	// Bcc: the API takes recipients from the headers, and Gmail removes Bcc.
	res = r.run("", "send", "--from", ann, "--to", "bob@example.com", "--bcc", "eve@example.com", "--subject", "bcc", "--body", "x")
	r.wantCode(res, cli.ExitOK)
	if sent := api.Sent(); len(sent) != 2 || !strings.Contains(string(sent[1]), "\r\nBcc: <eve@example.com>\r\n") {
		t.Fatalf("the API got no Bcc header:\n%s", sent[len(sent)-1])
	}

	// A refused token is refreshed once, and the send goes through.
	r.oauth.ExpireAccessTokens()
	res = r.run("", "send", "--from", ann, "--to", "bob@example.com", "--subject", "after refresh", "--body", "x", "--verbose")
	r.wantCode(res, cli.ExitOK)
	if n := len(api.Sent()); n != 3 {
		t.Fatalf("the API holds %d messages after the refresh", n)
	}
	if !strings.Contains(res.stderr, "Bearer <redacted>") || !strings.Contains(res.stderr, "401") {
		t.Errorf("--verbose shows no 401 then retry: %s", res.stderr)
	}
	r.noSecretsOnDisk()
}

func TestTransportAutoNoFallbackAfterData(t *testing.T) {
	r, api := transportRig(t, "auto", "")
	r.smtp.SetReplyFault(func(stage string) error {
		if stage == "data-partial" {
			return errors.New("crash")
		}
		return nil
	})
	_, args := draft(t)
	res := r.run("", args...)
	if res.code == cli.ExitOK {
		t.Fatal("the send succeeded")
	}
	if api.Hits() != 0 || len(api.Sent()) != 0 {
		t.Fatalf("fell back to the API after DATA: %d calls", api.Hits())
	}
	if !strings.Contains(res.stderr, "Sent folder") && !strings.Contains(res.stderr, "failed") {
		t.Errorf("stderr %q", res.stderr)
	}
}

func TestTransportAPIDisabled(t *testing.T) {
	r, api := transportRig(t, "api", "")
	api.SetAPIDisabled(true)
	res := r.run("", "send", "--from", ann, "--to", "bob@example.com", "--subject", "s", "--body", "b")
	r.wantCode(res, cli.ExitFailure)
	want := "The Gmail API is turned off in your Google Cloud project (mailkey-test).\n" +
		"Enable it at https://console.developers.google.com/apis/api/gmail.googleapis.com/overview?project=" + testpeer.DefaultProjectNumber + // Google's activationUrl
		", wait a few minutes for it to take effect, then send again; or send over SMTP.\n"
	if res.stderr != want || res.stdout != "" {
		t.Fatalf("stderr %q, want %q", res.stderr, want)
	}
	if len(api.Sent()) != 0 {
		t.Error("a disabled API stored the message")
	}
}

func TestTransportLoginFlags(t *testing.T) {
	r := newRig(t)
	res := r.run("x\n", "login", "--app-password", "--email", ann, "--transport", "api")
	r.wantCode(res, cli.ExitUsage)
	res = r.run("", "login", "--client-secret", r.clientFile("installed"), "--transport", "pigeon")
	r.wantCode(res, cli.ExitUsage)
}

// rawServer accepts SMTP connections on loopback and handles each with h.
func rawServer(t *testing.T, h func(net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			h(c)
			_ = c.Close()
		}
	}()
	return "smtp://" + ln.Addr().String()
}

func TestTransportAutoResetBeforeGreeting(t *testing.T) {
	url := rawServer(t, func(c net.Conn) {
		if tc, ok := c.(*net.TCPConn); ok {
			_ = tc.SetLinger(0) // RST, as a middlebox that blocks the port
		}
	})
	r, api := transportRig(t, "auto", url)
	res := r.run("", "send", "--from", ann, "--to", "bob@example.com", "--subject", "s", "--body", "b")
	r.wantCode(res, cli.ExitOK)
	if len(api.Sent()) != 1 || !strings.Contains(res.stderr, "Gmail API (HTTPS)") {
		t.Fatalf("no fallback: stderr %q", res.stderr)
	}
}

func TestTransportAutoNoFallbackAfterReply(t *testing.T) {
	url := rawServer(t, func(c net.Conn) {
		_, _ = io.WriteString(c, "421 4.7.0 Try again later, closing connection.\r\n")
	})
	r, api := transportRig(t, "auto", url)
	res := r.run("", "send", "--from", ann, "--to", "bob@example.com", "--subject", "s", "--body", "b")
	if res.code == cli.ExitOK || api.Hits() != 0 {
		t.Fatalf("exit %d, %d API calls: the server had replied, so no fallback", res.code, api.Hits())
	}
}
