package mail

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/mailkey-app/mailkey/app/google"
	"github.com/mailkey-app/mailkey/app/oauth"
	"github.com/mailkey-app/mailkey/internal/testpeer"
)

// tokenFor signs ann in at the OAuth peer, through the real loopback flow.
func tokenFor(t *testing.T, p *peers) string {
	t.Helper()
	client, err := google.ParseClient(p.OAuth.ClientJSON("installed"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := oauth.LoginThen(context.Background(), client, testpeer.Browse, 10*time.Second, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return res.Token.AccessToken
}

const (
	ann     = "ann@gmail.com"
	annPass = "abcdefghijklmnop"
)

type peers struct {
	*testpeer.Gmail
	sender *Sender
}

func startPeers(t *testing.T) *peers {
	t.Helper()
	g, err := testpeer.StartGmail(testpeer.GmailOptions{
		Dir: t.TempDir(), TestUsers: []string{ann},
		Passwords: map[string]string{ann: annPass}, AccountPasswords: map[string]string{ann: "Hunter2-account!"},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(g.Close)
	return &peers{Gmail: g, sender: &Sender{RootCAs: g.CA.Pool, Timeout: 5 * time.Second}}
}

func mustEndpoint(t *testing.T, raw string) Endpoint {
	t.Helper()
	ep, err := ParseEndpoint(raw)
	if err != nil {
		t.Fatal(err)
	}
	return ep
}

func TestSendPlainOverSTARTTLSAndImplicitTLS(t *testing.T) {
	p := startPeers(t)
	att := filepath.Join(t.TempDir(), "report.bin")
	payload := bytes.Repeat([]byte("mailkey\x00\xff"), 5000)
	if err := os.WriteFile(att, payload, 0o600); err != nil {
		t.Fatal(err)
	}
	for i, url := range []string{p.SMTP.StartTLSURL(), p.SMTP.ImplicitTLSURL()} {
		t.Run(url[:5], func(t *testing.T) {
			m := Message{
				From: ann, To: []string{"bob@example.com"}, Cc: []string{"Carol <carol@example.com>"},
				Bcc: []string{"dave@example.com"}, Subject: "Grüße ✓", Body: "Hello\nworld", Attachments: []string{att},
			}
			res, err := sendSMTP(p.sender, context.Background(), mustEndpoint(t, url), Credential{Username: ann, Password: annPass}, m)
			if err != nil {
				t.Fatalf("Send: %v\n%s", err, res.Transcript)
			}
			msgs := p.SMTP.Messages()
			if len(msgs) != i+1 {
				t.Fatalf("server holds %d messages, want %d", len(msgs), i+1)
			}
			got := msgs[i]
			if got.Mech != "PLAIN" || strings.Join(got.To, ",") != "bob@example.com,carol@example.com,dave@example.com" {
				t.Fatalf("received %s to %v", got.Mech, got.To)
			}
			data := string(got.Data)
			for _, want := range []string{"Message-ID: " + res.MessageID, "Subject: =?UTF-8?", "report.bin"} {
				if !strings.Contains(data, want) {
					t.Errorf("message lacks %q", want)
				}
			}
			if strings.Contains(data, "dave@example.com") {
				t.Error("the Bcc address leaked into the message headers")
			}
			if strings.Contains(res.Transcript, annPass) || !strings.Contains(res.Transcript, "AUTH") {
				t.Errorf("transcript not redacted or incomplete:\n%s", res.Transcript)
			}
		})
	}
}

func TestSendXOAUTH2(t *testing.T) {
	p := startPeers(t)
	tok := tokenFor(t, p)
	ep := mustEndpoint(t, p.SMTP.StartTLSURL())
	m := Message{From: ann, To: []string{"bob@example.com"}, Subject: "x", Body: "y"}
	res, err := sendSMTP(p.sender, context.Background(), ep, Credential{Username: ann, Token: tok}, m)
	if err != nil {
		t.Fatalf("Send: %v\n%s", err, res.Transcript)
	}
	if got := p.SMTP.Messages(); len(got) != 1 || got[0].Mech != "XOAUTH2" {
		t.Fatalf("received %+v", got)
	}
	if strings.Contains(res.Transcript, tok) {
		t.Fatal("the access token appears in the transcript")
	}

	// A token the provider no longer knows: Gmail's 334 JSON challenge, decoded.
	p.OAuth.RevokeUser(ann)
	_, err = sendSMTP(p.sender, context.Background(), ep, Credential{Username: ann, Token: tok}, m)
	if !errors.Is(err, ErrTokenRejected) || !strings.Contains(err.Error(), "expired or revoked") || !strings.Contains(err.Error(), "535") {
		t.Fatalf("revoked token: %v", err)
	}
	if strings.Contains(err.Error(), tok) {
		t.Fatal("the token appears in the error")
	}
	if n := len(p.SMTP.Messages()); n != 1 {
		t.Fatalf("a message was delivered with a revoked token (%d messages)", n)
	}
}

func TestVerifyExplainsGmailReplies(t *testing.T) {
	p := startPeers(t)
	ep := mustEndpoint(t, p.SMTP.StartTLSURL())
	tests := []struct {
		pw   string
		want error
	}{
		{annPass, nil},
		{"zzzzzzzzzzzzzzzz", ErrAuthRejected},
		{"Hunter2-account!", ErrAppPasswordRequired},
	}
	for _, tt := range tests {
		res, err := p.sender.Verify(context.Background(), ep, Credential{Username: ann, Password: tt.pw})
		if !errors.Is(err, tt.want) && !(tt.want == nil && err == nil) {
			t.Errorf("Verify(%q) = %v, want %v", tt.pw, err, tt.want)
		}
		if strings.Contains(res.Transcript, tt.pw) || (err != nil && strings.Contains(err.Error(), tt.pw)) {
			t.Errorf("password %q leaked into the transcript or the error", tt.pw)
		}
	}
}

func TestSTARTTLSIsMandatory(t *testing.T) {
	plain, err := testpeer.StartSMTP(testpeer.SMTPOptions{Passwords: map[string]string{ann: annPass}})
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	_, err = (&Sender{Timeout: 5 * time.Second}).Verify(context.Background(), mustEndpoint(t, plain.StartTLSURL()), Credential{Username: ann, Password: annPass})
	if !errors.Is(err, ErrTLS) || !strings.Contains(err.Error(), "never sends without encryption") {
		t.Fatalf("server without STARTTLS: %v", err)
	}
	if plain.AuthAttempts() != 0 {
		t.Fatal("credentials were offered over an unencrypted connection")
	}
}

func TestConnectionFailures(t *testing.T) {
	p := startPeers(t)
	cred := Credential{Username: ann, Password: annPass}
	// Implicit TLS against the STARTTLS port: the server speaks plain text first.
	_, err := p.sender.Verify(context.Background(), Endpoint{Host: "127.0.0.1", Port: mustEndpoint(t, p.SMTP.StartTLSURL()).Port, ImplicitTLS: true}, cred)
	if err == nil {
		t.Fatal("implicit TLS to a plain port succeeded")
	}
	// Nothing listens: connection refused.
	_, err = p.sender.Verify(context.Background(), Endpoint{Host: "127.0.0.1", Port: 1}, cred)
	if !errors.Is(err, ErrConnect) || !strings.Contains(err.Error(), "port") {
		t.Fatalf("refused: %v", err)
	}
	// An untrusted certificate.
	_, err = (&Sender{Timeout: 5 * time.Second}).Verify(context.Background(), mustEndpoint(t, p.SMTP.ImplicitTLSURL()), cred)
	if !errors.Is(err, ErrTLS) {
		t.Fatalf("untrusted certificate: %v", err)
	}
}

func TestCancelStopsAtOnce(t *testing.T) {
	p := startPeers(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := sendSMTP(p.sender, ctx, mustEndpoint(t, p.SMTP.StartTLSURL()), Credential{Username: ann, Password: annPass},
		Message{From: ann, To: []string{"bob@example.com"}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled send: %v", err)
	}
}

func TestServerRepliesDuringSend(t *testing.T) {
	p := startPeers(t)
	p.SMTP.SetReplyFault(func(stage string) error {
		if stage == "data" {
			return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 4, 5}, Message: "Daily user sending limit exceeded."}
		}
		return nil
	})
	_, err := sendSMTP(p.sender, context.Background(), mustEndpoint(t, p.SMTP.StartTLSURL()), Credential{Username: ann, Password: annPass},
		Message{From: ann, To: []string{"bob@example.com"}, Subject: "s"})
	if !errors.Is(err, ErrDailyLimit) {
		t.Fatalf("550 5.4.5: %v", err)
	}
}

func TestCancelDuringStalledData(t *testing.T) {
	p := startPeers(t)
	release := make(chan struct{})
	defer close(release)
	stalled := make(chan struct{}, 1)
	p.SMTP.SetReplyFault(func(stage string) error {
		if stage != "data" {
			return nil
		}
		stalled <- struct{}{}
		<-release // the server never answers the end of DATA
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "gave up"}
	})
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		_, err := sendSMTP(p.sender, ctx, mustEndpoint(t, p.SMTP.StartTLSURL()), Credential{Username: ann, Password: annPass},
			Message{From: ann, To: []string{"bob@example.com"}, Subject: "stall"})
		errc <- err
	}()
	<-stalled
	cancel()
	select {
	case err := <-errc:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelled send returned %v", err)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("Send did not return after cancel while the server stalled")
	}
}

func TestIdleTimeoutOnSilentServer(t *testing.T) {
	tests := []struct {
		stage  string
		want   error
		advice string
	}{
		{"mail", ErrTimeout, "stopped answering"},
		// Silent after the whole message went out: it may have been delivered.
		{"data", ErrMaybeSent, "Sent folder"},
	}
	for _, tt := range tests {
		t.Run(tt.stage, func(t *testing.T) {
			p := startPeers(t)
			release := make(chan struct{})
			defer close(release)
			p.SMTP.SetReplyFault(func(stage string) error {
				if stage == tt.stage {
					<-release
				}
				return nil
			})
			s := &Sender{RootCAs: p.CA.Pool, Timeout: 300 * time.Millisecond}
			_, err := sendSMTP(s, context.Background(), mustEndpoint(t, p.SMTP.StartTLSURL()), Credential{Username: ann, Password: annPass},
				Message{From: ann, To: []string{"bob@example.com"}, Subject: "silent"})
			if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.advice) {
				t.Fatalf("silent server at %s: %v", tt.stage, err)
			}
		})
	}
}
