package mail

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/google"
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

func TestValidate(t *testing.T) {
	file := filepath.Join(t.TempDir(), "a.txt")
	if err := os.WriteFile(file, []byte("hi"), 0o600); err != nil {
		t.Fatal(err)
	}
	ok := Message{From: "ann@gmail.com", To: []string{"bob@example.com"}, Subject: "Hé", Attachments: []string{file}}
	if err := ok.Validate(); err != nil {
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
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := ok
			tt.edit(&m)
			if err := m.Validate(); !errors.Is(err, tt.want) {
				t.Fatalf("Validate = %v, want %v", err, tt.want)
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

// TestCheckAttachment gives each kind of file that cannot be attached its own
// advice, and the size of one that can.
func TestCheckAttachment(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "report.pdf")
	if err := os.WriteFile(file, make([]byte, 1234), 0o600); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	if n, err := CheckAttachment(file); err != nil || n != 1234 {
		t.Fatalf("CheckAttachment(file) = %d, %v", n, err)
	}
	for _, tt := range []struct{ name, path, key string }{
		{"missing", file + ".gone", "mail.attachment_unreadable"},
		{"folder", dir, "mail.attachment_folder"},
		{"pipe", fifo, "mail.attachment_irregular"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := CheckAttachment(tt.path)
			var ae *advice.Error
			if !errors.Is(err, ErrAttachment) || !errors.As(err, &ae) || ae.Key != tt.key {
				t.Fatalf("CheckAttachment(%s) = %v, want ErrAttachment with key %s", tt.path, err, tt.key)
			}
			if !strings.Contains(err.Error(), tt.path) {
				t.Errorf("%q does not name the file", err)
			}
		})
	}
}

// TestEstimateSizeMatchesWireSize checks that the estimate from sizes alone
// (what the GUI has) equals the message's own, from the files on disk.
func TestEstimateSizeMatchesWireSize(t *testing.T) {
	dir := t.TempDir()
	var paths []string
	var sizes []int64
	for i, n := range []int{0, 1, 57, 4 << 20} {
		p := filepath.Join(dir, fmt.Sprintf("f%d", i))
		if err := os.WriteFile(p, make([]byte, n), 0o600); err != nil {
			t.Fatal(err)
		}
		paths, sizes = append(paths, p), append(sizes, int64(n))
	}
	m := Message{Subject: "Quarterly figures", Body: strings.Repeat("text ", 300), Attachments: paths}
	if got, want := EstimateSize(m.Subject, m.Body, sizes...), m.WireSize(); got != want {
		t.Fatalf("EstimateSize = %d, Message.WireSize = %d", got, want)
	}
	if got := EstimateSize("", ""); got != 2048 {
		t.Errorf("an empty message is estimated at %d bytes, want its 2048 of headers", got)
	}
	if a, b := EstimateSize("s", "b", 3000), EstimateSize("s", "b"); a-b != google.WireSize(3000)+512 {
		t.Errorf("one 3000-byte attachment adds %d bytes, want %d", a-b, google.WireSize(3000)+512)
	}
}
