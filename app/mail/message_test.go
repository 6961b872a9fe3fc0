package mail

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseEndpoint(t *testing.T) {
	tests := []struct {
		in   string
		want Endpoint
		ok   bool
	}{
		{"smtp://smtp.gmail.com", Endpoint{"smtp.gmail.com", 587, false}, true},
		{"smtp://smtp.gmail.com:2525", Endpoint{"smtp.gmail.com", 2525, false}, true},
		{"smtps://smtp.gmail.com", Endpoint{"smtp.gmail.com", 465, true}, true},
		{"smtps://[::1]:4650", Endpoint{"::1", 4650, true}, true},
		{"http://smtp.gmail.com", Endpoint{}, false},
		{"smtp://user:pw@smtp.gmail.com", Endpoint{}, false},
		{"smtp://:587", Endpoint{}, false},
		{"smtp://smtp.gmail.com:99999", Endpoint{}, false},
		{"smtp.gmail.com:587", Endpoint{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseEndpoint(tt.in)
			if tt.ok != (err == nil) || got != tt.want {
				t.Fatalf("ParseEndpoint(%q) = %+v, %v", tt.in, got, err)
			}
			if err != nil && !errors.Is(err, ErrBadEndpoint) {
				t.Fatalf("error %v is not ErrBadEndpoint", err)
			}
		})
	}
}

func TestCheck(t *testing.T) {
	file := filepath.Join(t.TempDir(), "a.txt")
	if err := os.WriteFile(file, []byte("hi"), 0o600); err != nil {
		t.Fatal(err)
	}
	ok := Message{From: "ann@gmail.com", To: []string{"bob@example.com"}, Subject: "Hé", Attachments: []string{file}}
	if _, err := ok.Check(); err != nil {
		t.Fatalf("valid message refused: %v", err)
	}
	tests := []struct {
		name string
		edit func(*Message)
		want error
	}{
		{"bad from", func(m *Message) { m.From = "ann@" }, ErrInvalidAddress},
		{"no recipient", func(m *Message) { m.To = nil }, ErrNoRecipient},
		{"bad cc", func(m *Message) { m.Cc = []string{"not an address"} }, ErrInvalidAddress},
		{"CRLF in subject", func(m *Message) { m.Subject = "hi\r\nBcc: evil@example.com" }, ErrHeaderInjection},
		{"LF in to", func(m *Message) { m.To = []string{"bob@example.com\nBcc: x@y.z"} }, ErrHeaderInjection},
		{"missing attachment", func(m *Message) { m.Attachments = []string{file + ".gone"} }, ErrAttachment},
		{"directory attachment", func(m *Message) { m.Attachments = []string{filepath.Dir(file)} }, ErrAttachment},
		{"101 recipients", func(m *Message) {
			for i := range MaxRecipients {
				m.Bcc = append(m.Bcc, fmt.Sprintf("r%d@example.com", i))
			}
		}, ErrTooManyRecipients},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := ok
			tt.edit(&m)
			if _, err := m.Check(); !errors.Is(err, tt.want) {
				t.Fatalf("Check = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestParseList(t *testing.T) {
	got, err := ParseList("To", "Ann <ann@example.com>, bob@example.com")
	if err != nil || len(got) != 2 || got[1] != "bob@example.com" || got[0] != `"Ann" <ann@example.com>` {
		t.Fatalf("ParseList = %q, %v", got, err)
	}
	if _, err := ParseList("To", "ann@example.com,, bob"); !errors.Is(err, ErrInvalidAddress) {
		t.Fatalf("bad list: %v", err)
	}
	if got, err := ParseList("Cc", "  "); err != nil || got != nil {
		t.Fatalf("empty list: %q, %v", got, err)
	}
}

// TestOverlongAddressIsRefused: an address longer than SMTP carries (a
// 3,000-character local part, found by FuzzParseList) is refused by
// ParseList and Check, instead of going out on a header line over 998
// octets.
func TestOverlongAddressIsRefused(t *testing.T) {
	for _, a := range []string{
		strings.Repeat("a", 3000) + "@example.com", strings.Repeat("b", 65) + "@example.com",
		"c@" + strings.Repeat("d", 250) + ".com",
	} {
		if _, err := ParseList("To", "ann@example.com, "+a); !errors.Is(err, ErrInvalidAddress) || !strings.Contains(err.Error(), "too long") {
			t.Errorf("ParseList(%.20q…) = %v", a, err)
		}
		m := Message{From: ann, To: []string{a}}
		if _, err := m.Check(); !errors.Is(err, ErrInvalidAddress) {
			t.Errorf("Check(%.20q…) = %v", a, err)
		}
	}
	if _, err := ParseList("To", strings.Repeat("e", 64)+"@"+strings.Repeat("f", 185)+".com"); err != nil {
		t.Errorf("a 254-character address is refused: %v", err)
	}
}
