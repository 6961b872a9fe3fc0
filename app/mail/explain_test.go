package mail

import (
	"context"
	"errors"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/mailkey-app/mailkey/internal/testpeer"
)

var replyCases = []struct {
	wire     string
	oauth    bool
	sentinel error
	advice   string
}{
	{"535-5.7.8 Username and Password not accepted. For more information, go to\n535 5.7.8  https://support.google.com/mail/?p=BadCredentials", false, ErrAuthRejected, "create a new app password"},
	{"535 5.7.8 Username and Password not accepted.", true, ErrTokenRejected, "Sign in again"},
	{"534-5.7.9 Application-specific password required. For more information, go to\n534 5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor", false, ErrAppPasswordRequired, "Create an app password"},
	{"534-5.7.9 Please log in with your web browser and then try again.", false, ErrWebLoginRequired, "https://mail.google.com"},
	{"534-5.7.14 <https://accounts.google.com/signin/continue?...> Please log in via your web browser", false, ErrWebLoginRequired, "browser"},
	{"454 4.7.0 Too many login attempts, please try again later.", false, ErrRateLimited, "Wait a few minutes"},
	{"421 4.7.0 Try again later, closing connection.", true, ErrRateLimited, "Wait a few minutes"},
	{"550-5.4.5 Daily user sending limit exceeded.", false, ErrDailyLimit, "24 hours"},
	{"552-5.3.4 Your message exceeded Google's message size limits.", false, ErrTooBig, "25 MB"},
	{"451 4.3.0 Mail server temporarily rejected message.", false, ErrTemporary, "Try again"},
	{"553 5.1.2 The recipient address is not a valid RFC 5321 address.", false, ErrRejected, "Check the addresses"},
}

func TestExplainGmailReplies(t *testing.T) {
	for _, tc := range replyCases {
		t.Run(tc.wire[:9], func(t *testing.T) {
			r, ok := ParseReply(tc.wire)
			if !ok {
				t.Fatalf("ParseReply(%q) failed", tc.wire)
			}
			err := Explain(r, tc.oauth)
			if !errors.Is(err, tc.sentinel) {
				t.Errorf("Explain = %v, want %v", err, tc.sentinel)
			}
			if !strings.Contains(err.Error(), tc.advice) {
				t.Errorf("advice %q lacks %q", err.Error(), tc.advice)
			}
			if !strings.Contains(err.Error(), tc.wire[:3]) {
				t.Errorf("advice %q does not quote the reply code", err.Error())
			}
		})
	}
}

func TestParseReplyJoinsContinuationLines(t *testing.T) {
	r, ok := ParseReply("535-5.7.8 Username and Password not accepted. For more information, go to\r\n535 5.7.8  https://support.google.com/mail/?p=BadCredentials")
	if !ok || r.Code != 535 || r.Enhanced != "5.7.8" {
		t.Fatalf("got %+v", r)
	}
	if strings.Contains(r.Text, "5.7.8") || !strings.Contains(r.Text, "p=BadCredentials") {
		t.Fatalf("text = %q", r.Text)
	}
}

func TestExplainChallenge(t *testing.T) {
	final := Reply{Code: 535, Enhanced: "5.7.8", Text: "Username and Password not accepted."}
	c, ok := ParseChallenge([]byte(`{"status":"400","schemes":"Bearer","scope":"https://mail.google.com/"}`))
	if !ok {
		t.Fatal("ParseChallenge failed")
	}
	err := ExplainChallenge(c, final)
	if !errors.Is(err, ErrTokenRejected) || !strings.Contains(err.Error(), "https://mail.google.com/") {
		t.Fatalf("400 challenge: %v", err)
	}
	c.Status = "401"
	if err := ExplainChallenge(c, final); !strings.Contains(err.Error(), "expired or revoked") {
		t.Fatalf("401 challenge: %v", err)
	}
	if _, ok := ParseChallenge([]byte("not json")); ok {
		t.Fatal("ParseChallenge accepted garbage")
	}
}

func FuzzParseReply(f *testing.F) {
	for _, tc := range replyCases {
		f.Add(tc.wire, tc.oauth)
	}
	f.Add("", false)
	f.Add("999", true)
	if corpus, err := testpeer.ReadCorpus(testpeer.CorpusDir()); err == nil {
		for _, e := range corpus {
			if strings.HasPrefix(e.Name, "smtp/") {
				f.Add(e.Body, false) // Gmail's own replies
			}
		}
	}
	f.Fuzz(func(t *testing.T, s string, oauth bool) {
		r, ok := ParseReply(s)
		if !ok {
			return
		}
		if r.Code < 200 || r.Code > 599 {
			t.Fatalf("code %d out of range", r.Code)
		}
		err := Explain(r, oauth)
		if err == nil || err.What == "" || err.Next == "" {
			t.Fatalf("Explain gave no advice for %q", s)
		}
		if strings.ContainsFunc(err.Error(), unicode.IsControl) || utf8.RuneCountInString(r.Text) > maxReplyText+1 {
			t.Fatalf("server text not tidied: %q", r.Text)
		}
	})
}

// TestGmailRepliesReadAsOneSentence sends through the SMTP peer, which
// answers in Gmail's words (several lines, the enhanced code on each, the
// session tag at the end), and checks that the advice quotes one clean
// sentence: "go to https://…", not "go to 5.7.8 https://…", and no "- gsmtp".
func TestGmailRepliesReadAsOneSentence(t *testing.T) {
	p := startPeers(t)
	ep := mustEndpoint(t, p.SMTP.StartTLSURL())
	cred := Credential{Username: ann, Password: annPass}
	m := Message{From: ann, To: []string{"bob@example.com"}, Subject: "x", Body: "y"}
	for _, tc := range []struct {
		name, stage string
		sentinel    error
		want        string
	}{
		{
			"smtp/552-blocked-content", "data", ErrBlocked,
			"(552 5.7.0 This message was blocked because its content presents a potential security issue. Please visit " +
				"https://support.google.com/mail/?p=BlockedMessage to review our message content and attachment content guidelines.)",
		},
		{
			"smtp/452-too-many-recipients", "rcpt", ErrTooManyRecipients,
			"(452 4.5.3 Your message has too many recipients. For more information regarding Google's sending limits, go to " +
				"https://support.google.com/mail/?p=TooManyRecipientsError)",
		},
		{
			"smtp/550-daily-limit", "mail", ErrDailyLimit,
			"(550 5.4.5 Daily user sending limit exceeded. For more information on Gmail sending limits go to https://support.google.com/a/answer/166852)",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p.SMTP.SetReplyFault(func(stage string) error {
				if stage == tc.stage {
					return testpeer.GmailReply(tc.name)
				}
				return nil
			})
			_, err := sendSMTP(p.sender, context.Background(), ep, cred, m)
			if !errors.Is(err, tc.sentinel) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("advice %v\nwant %s", err, tc.want)
			}
		})
	}
	p.SMTP.SetReplyFault(nil)
	_, err := sendSMTP(p.sender, context.Background(), ep, Credential{Username: ann, Password: "wrongwrongwrongw"}, m)
	want := "(535 5.7.8 Username and Password not accepted. For more information, go to https://support.google.com/mail/?p=BadCredentials)"
	if !errors.Is(err, ErrAuthRejected) || !strings.Contains(err.Error(), want) {
		t.Fatalf("wrong app password: %v", err)
	}
}
