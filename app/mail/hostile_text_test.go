package mail

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/mailkey-app/mailkey/app/advice"
)

// texts returns every text a send failure shows or keeps: the error's
// message, its What, Next and data, each cause's message, and the transcript.
func texts(err error, transcript string) []string {
	out := []string{transcript}
	// The facts the queue saves of the failure (its file) are a text too.
	if f, ok := FailureOf(err); ok {
		b, jerr := json.Marshal(f)
		if jerr != nil {
			b = []byte(jerr.Error())
		}
		out = append(out, string(b))
	}
	for e := err; e != nil; e = errors.Unwrap(e) {
		out = append(out, e.Error(), fmt.Sprintf("%+v", e))
		var ae *advice.Error
		if errors.As(e, &ae) {
			out = append(out, ae.What, ae.Next)
			for _, v := range ae.Data {
				out = append(out, advice.Format(v))
			}
		}
	}
	return out
}

// TestServerEchoOfTheCredentialIsRedacted: a server whose reply echoes the
// credential, in any of the forms it could (the app password with or without
// its spaces, in base64, the AUTH PLAIN or XOAUTH2 blob as received, the
// token), gets it redacted from the error, its causes and the transcript.
func TestServerEchoOfTheCredentialIsRedacted(t *testing.T) {
	const token = "ya29.a0AfH6SMB-secret_token-value"
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	plainBlob := b64("\x00" + ann + "\x00" + annPass)
	oauthBlob := b64("user=" + ann + "\x01auth=Bearer " + token + "\x01\x01")
	spaced := annPass[:4] + " " + annPass[4:8] + " " + annPass[8:12] + " " + annPass[12:]
	tests := []struct {
		name   string
		cred   Credential
		stage  string // "auth" or "mail": where the echo comes
		echo   string // "" echoes what the client sent with AUTH
		secret []string
	}{
		{"app password", Credential{Username: ann, Password: annPass}, "auth", annPass, []string{annPass}},
		{"app password with spaces", Credential{Username: ann, Password: annPass}, "auth", spaced, []string{spaced, annPass}},
		{"app password in capitals", Credential{Username: ann, Password: annPass}, "auth", strings.ToUpper(annPass), []string{strings.ToUpper(annPass)}},
		{"app password in base64", Credential{Username: ann, Password: annPass}, "auth", b64(annPass), []string{b64(annPass)}},
		{"AUTH PLAIN blob", Credential{Username: ann, Password: annPass}, "auth", "", []string{plainBlob}},
		{"AUTH PLAIN blob at MAIL", Credential{Username: ann, Password: annPass}, "mail", plainBlob, []string{plainBlob}},
		{"token", Credential{Username: ann, Token: token}, "auth", token, []string{token}},
		{"token in base64", Credential{Username: ann, Token: token}, "auth", b64(token), []string{b64(token)}},
		{"XOAUTH2 blob", Credential{Username: ann, Token: token}, "auth", "", []string{oauthBlob}},
		{"token at MAIL", Credential{Username: ann, Token: token}, "mail", "Bearer " + token, []string{token}},
		// Parts: a server may cut what it echoes.
		{"part of the app password", Credential{Username: ann, Password: annPass}, "auth", "(" + annPass[:10] + ")", []string{annPass[:10]}},
		{"part of the app password with spaces", Credential{Username: ann, Password: annPass}, "auth", spaced[:14], []string{spaced[:14], annPass[:8]}},
		{"part of the AUTH PLAIN blob", Credential{Username: ann, Password: annPass}, "auth", plainBlob[:34] + "...", []string{plainBlob[:34]}},
		{"AUTH PLAIN blob inside other base64", Credential{Username: ann, Password: annPass}, "auth", b64("data: \x00" + ann + "\x00" + annPass + " end"), []string{b64("data: \x00" + ann + "\x00" + annPass + " end")}},
		{"part of the token", Credential{Username: ann, Token: token}, "auth", "token=" + token[:20] + "…", []string{token[:20]}},
		{"part of the XOAUTH2 blob", Credential{Username: ann, Token: token}, "mail", oauthBlob[8:60], []string{oauthBlob[8:60]}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := startHostile(t, false, func(h *hostileConn) int64 {
				h.ehloStartTLS()
				h.ehloAuth()
				auth := h.line()
				echo := tt.echo
				if echo == "" {
					echo = auth[strings.LastIndex(auth, " ")+1:]
				}
				if tt.stage == "auth" {
					h.send("535-5.7.8 Username and Password not accepted: " + echo + "\r\n535 5.7.8 (" + echo + ")\r\n")
					h.line()
					return 0
				}
				h.send("235 2.7.0 Accepted\r\n")
				h.line() // MAIL FROM
				h.send("550 5.7.1 Rejected " + echo + "\r\n")
				h.line()
				return 0
			})
			res, err := sendSMTP(s.sender(), context.Background(), s.endpoint(false), tt.cred,
				Message{From: ann, To: []string{"bob@example.com"}, Subject: "hi", Body: "hi"})
			if err == nil {
				t.Fatal("send succeeded")
			}
			t.Logf("%v", err)
			for _, txt := range texts(err, res.Transcript) {
				for _, sec := range tt.secret {
					if strings.Contains(txt, sec) {
						t.Errorf("the secret %q shows in %q", sec, txt)
					}
				}
			}
			if !strings.Contains(err.Error(), "<redacted>") {
				t.Errorf("the error %q does not say what was redacted", err)
			}
		})
	}
}

// hostileText is server text with everything that must not reach a terminal
// or the window: ESC sequences (a title change, a screen clear, colours), a
// bell, NUL, DEL, C1 controls (raw and in UTF-8), bidi overrides and isolates.
const hostileText = "\x1b]0;pwned\x07 \x1b[2J\x1b[31mEvil\x1b[0m \u202eevil\u202c \u2066x\u2069 nul\x00 del\x7f c1\xc2\x9b raw\x9b bs\x08"

// unsafeRune reports a character that sanitised text must not hold.
func unsafeRune(s string) (rune, bool) {
	if !utf8.ValidString(s) {
		return utf8.RuneError, true
	}
	for _, r := range s {
		if r == '\n' {
			continue
		}
		if unicode.IsControl(r) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) || r == 0x200e || r == 0x200f || r == 0x061c {
			return r, true
		}
	}
	return 0, false
}

// TestServerTextIsSanitised: control characters and escape sequences in the
// greeting, the EHLO reply and an error reply never reach the error or the
// transcript.
func TestServerTextIsSanitised(t *testing.T) {
	for _, stage := range []string{"auth", "mail", "starttls"} {
		t.Run(stage, func(t *testing.T) {
			s := startHostile(t, false, func(h *hostileConn) int64 {
				h.answer("220 hostile.example " + hostileText + "\r\n")
				h.answer("250-hostile.example " + hostileText + "\r\n250 STARTTLS\r\n")
				if stage == "starttls" {
					h.answer("454 4.7.0 " + hostileText + "\r\n")
					return 0
				}
				h.send("220 2.0.0 Ready " + hostileText + "\r\n")
				h.startTLS()
				h.ehloAuth()
				h.line()
				if stage == "auth" {
					h.answer("535 5.7.8 " + hostileText + "\r\n")
					return 0
				}
				h.answer("235 2.7.0 Accepted " + hostileText + "\r\n")
				h.answer("550-5.7.1 " + hostileText + "\r\n550 5.7.1 " + hostileText + "\r\n")
				return 0
			})
			res, err := sendSMTP(s.sender(), context.Background(), s.endpoint(false), Credential{Username: ann, Password: annPass},
				Message{From: ann, To: []string{"bob@example.com"}, Subject: "hi", Body: "hi"})
			if err == nil {
				t.Fatal("send succeeded")
			}
			t.Logf("%v\n%s", err, res.Transcript)
			if !strings.Contains(res.Transcript, "pwned") || !strings.Contains(err.Error(), "Evil") {
				t.Errorf("the server's words should still show, made safe")
			}
			for _, txt := range texts(err, res.Transcript) {
				if r, bad := unsafeRune(txt); bad {
					t.Errorf("%U reaches the user in %q", r, txt)
				}
			}
		})
	}
}

// TestRefusedSTARTTLSIsExplained: a server that refuses STARTTLS (454 or 502)
// is explained as that, not as Gmail limiting logins, and mailkey sends
// nothing without TLS.
func TestRefusedSTARTTLSIsExplained(t *testing.T) {
	for _, reply := range []string{"454 4.7.0 TLS not available due to local problem", "502 5.5.1 Unrecognized command."} {
		t.Run(reply[:3], func(t *testing.T) {
			s := startHostile(t, false, func(h *hostileConn) int64 {
				h.send("220 hostile.example ESMTP\r\n")
				h.line()
				h.send("250-hostile.example\r\n250-AUTH PLAIN\r\n250 STARTTLS\r\n")
				h.line()
				h.send(reply + "\r\n")
				if l := h.line(); strings.HasPrefix(l, "AUTH") || strings.HasPrefix(l, "MAIL") {
					h.t.Errorf("the client went on without TLS: %q", l)
				}
				return 0
			})
			_, err := s.sender().Verify(context.Background(), s.endpoint(false), Credential{Username: ann, Password: annPass})
			t.Logf("%v", err)
			if !errors.Is(err, ErrTLS) || errors.Is(err, ErrRateLimited) {
				t.Fatalf("error %v, want ErrTLS and not ErrRateLimited", err)
			}
			for _, want := range []string{"STARTTLS", reply[:3], "without encryption", "smtps://smtp.gmail.com:465"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q lacks %q", err, want)
				}
			}
		})
	}
}

// TestRedactorLeavesOrdinaryText: the redactor of an app password and of a
// token changes none of Gmail's usual replies, and the texts stay readable.
func TestRedactorLeavesOrdinaryText(t *testing.T) {
	ordinary := []string{
		"C: AUTH PLAIN <SMTP auth data redacted>",
		"S: 250-smtp.gmail.com at your service, [203.0.113.9]",
		"S: 250 2.0.0 OK  1700000000 d2e1a72fcca58-6e6b0a9b5b6si123456pfb.123 - gsmtp",
		"S: 334 eyJzdGF0dXMiOiI0MDAiLCJzY2hlbWVzIjoiQmVhcmVyIiwic2NvcGUiOiJodHRwczovL21haWwuZ29vZ2xlLmNvbS8ifQ==",
		"Message-ID: <q3j5k2l4m6n8p0r2t4v6x8z0ab@mailkey.localhost>",
	}
	for _, tc := range replyCases {
		ordinary = append(ordinary, tc.wire)
	}
	for _, cred := range []Credential{{Username: ann, Password: annPass}, {Username: ann, Token: "ya29.a0AfH6SMB-secret_token-value"}} {
		red := newRedactor(cred)
		for _, s := range ordinary {
			if got := red.redact(s); got != s {
				t.Errorf("redact(%q) = %q", s, got)
			}
		}
	}
}

// TestSTARTTLSInjectionIsRefused: bytes sent after the 220 to STARTTLS but
// before TLS (a man in the middle injecting replies that would be read as
// if they came over TLS) end the session before TLS and AUTH.
func TestSTARTTLSInjectionIsRefused(t *testing.T) {
	s := startHostile(t, false, func(h *hostileConn) int64 {
		h.answer("220 hostile.example ESMTP\r\n")
		h.answer("250-hostile.example\r\n250-AUTH PLAIN\r\n250 STARTTLS\r\n")
		if l := h.answer("220 2.0.0 Ready to start TLS\r\n250-injected\r\n250 AUTH PLAIN\r\n235 2.7.0 Accepted\r\n"); l != "" {
			h.t.Errorf("the client went on after the injection: %.40q", l)
		}
		return 0
	})
	_, err := s.sender().Verify(context.Background(), s.endpoint(false), Credential{Username: ann, Password: annPass})
	t.Logf("%v", err)
	if !errors.Is(err, ErrTLS) || !strings.Contains(err.Error(), "STARTTLS") {
		t.Fatalf("error %v, want ErrTLS about STARTTLS", err)
	}
}
