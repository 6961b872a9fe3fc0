package google

import (
	"math"
	"slices"
	"testing"
)

func TestFacts(t *testing.T) {
	// These values come from shared/GOOGLE.md; change both together.
	facts := []struct{ name, got, want string }{
		{"ScopeMail", ScopeMail, "https://mail.google.com/"},
		{"defaultAuthURI", defaultAuthURI, "https://accounts.google.com/o/oauth2/auth"},
		{"defaultTokenURI", defaultTokenURI, "https://oauth2.googleapis.com/token"},
		{"DefaultSMTP", DefaultSMTP, "smtp://smtp.gmail.com:587"},
		{"SMTPImplicitTLS", SMTPImplicitTLS, "smtps://smtp.gmail.com:465"},
		{"AppPasswordsURL", AppPasswordsURL, "https://myaccount.google.com/apppasswords"},
		{"TwoStepURL", TwoStepURL, "https://myaccount.google.com/signinoptions/twosv"},
		{"consoleURL", consoleURL, "https://console.cloud.google.com/"},
	}
	for _, f := range facts {
		if f.got != f.want {
			t.Errorf("%s = %q, want %q", f.name, f.got, f.want)
		}
	}
	if want := []string{"openid", "email", ScopeMail}; !slices.Equal(SignInScopes, want) {
		t.Errorf("SignInScopes = %q, want %q", SignInScopes, want)
	}
	for _, u := range []string{DefaultSMTP, SMTPImplicitTLS} {
		if !IsGmailHost(u) {
			t.Errorf("IsGmailHost(%q) = false", u)
		}
	}
}

func TestWireSize(t *testing.T) {
	tests := []struct{ raw, want int64 }{
		{-1, 0},
		{0, 0},
		{1, 4 + 2},
		{3, 4 + 2},
		{4, 8 + 2},
		{57, 76 + 2},        // exactly one full line
		{58, 80 + 2*2},      // spills into a second line
		{57 * 1000, 78_000}, // 1000 full lines
		{math.MaxInt64, math.MaxInt64},
		{math.MaxInt64/2 + 1, math.MaxInt64},
	}
	for _, tc := range tests {
		if got := WireSize(tc.raw); got != tc.want {
			t.Errorf("WireSize(%d) = %d, want %d", tc.raw, got, tc.want)
		}
	}
	for raw := int64(1); raw < 1000; raw++ {
		if got := WireSize(raw); got < raw*4/3 || got > raw*4/3+raw/20+8 {
			t.Errorf("WireSize(%d) = %d, outside 4/3 growth plus line breaks", raw, got)
		}
	}
	if got := WireSize(math.MaxInt64 / 2); got <= 0 {
		t.Errorf("WireSize overflowed: %d", got)
	}
	// Gmail documents 25 MB of attachments and advertises SIZE 35882577
	// (GOOGLE.md): 25 MB of files fit once encoded (about 34 MB), 27 MB not.
	if n := WireSize(25_000_000); n > 35_882_577 || n < 34_000_000 {
		t.Errorf("WireSize(25 MB) = %d", n)
	}
	if n := WireSize(27_000_000); n <= 35_882_577 {
		t.Errorf("WireSize(27 MB) = %d fits under Gmail's SIZE", n)
	}
}

func TestIsGmailHost(t *testing.T) {
	tests := []struct {
		host string
		want bool
	}{
		{"smtp.gmail.com", true},
		{"SMTP.Gmail.COM", true},
		{"smtp.gmail.com.", true},
		{" smtp.gmail.com ", true},
		{"smtp.gmail.com:587", true},
		{"smtp.gmail.com:465", true},
		{"smtps://smtp.gmail.com:465", true},
		{"smtp://smtp.gmail.com", true},
		{"gmail.com", false},
		{"imap.gmail.com", false},
		{"smtp.gmail.com.evil.example", false},
		{"evilsmtp.gmail.com", false},
		{"smtp.gmail.co", false},
		{"", false},
		{"127.0.0.1:2525", false},
		{"smtp://%zz", false},
	}
	for _, tc := range tests {
		if got := IsGmailHost(tc.host); got != tc.want {
			t.Errorf("IsGmailHost(%q) = %v, want %v", tc.host, got, tc.want)
		}
	}
}
