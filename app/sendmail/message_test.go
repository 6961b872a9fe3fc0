package sendmail

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/mailkey-app/mailkey/app/mail"
)

var when = time.Date(2026, 11, 30, 21, 0, 0, 0, time.UTC)

func TestPrepare(t *testing.T) {
	tests := []struct {
		name, in   string
		opt        Options
		want       string // the whole output, with <ID> for a generated Message-ID
		from       string
		recipients string
	}{
		{
			name: "kept as it is, Bcc removed",
			in: "From: Ann <ann@gmail.com>\r\nTo: bob@example.com,\r\n Carol <carol@example.com>\r\nBcc: eve@example.com\r\n" +
				"Subject: =?UTF-8?Q?Caf=C3=A9?=\r\nDate: Mon, 30 Nov 2026 20:00:00 +0000\r\nMessage-ID: <x@y>\r\nX-Odd:  spaces  kept \r\n\r\nBody\r\n.\r\nmore\r\n",
			want: "From: Ann <ann@gmail.com>\r\nTo: bob@example.com,\r\n Carol <carol@example.com>\r\n" +
				"Subject: =?UTF-8?Q?Caf=C3=A9?=\r\nDate: Mon, 30 Nov 2026 20:00:00 +0000\r\nMessage-ID: <x@y>\r\nX-Odd:  spaces  kept \r\n\r\nBody\r\n.\r\nmore\r\n",
			from: "ann@gmail.com", recipients: "bob@example.com carol@example.com eve@example.com",
		},
		{
			name:       "Date and Message-ID added, LF kept",
			in:         "To: bob@example.com\nSubject: cron\n\nhello\n",
			want:       "Date: Mon, 30 Nov 2026 21:00:00 +0000\nMessage-ID: <ID>\nTo: bob@example.com\nSubject: cron\n\nhello\n",
			recipients: "bob@example.com",
		},
		{
			name:       "From added from -F when missing",
			in:         "To: bob@example.com\nDate: x\nMessage-Id: <a@b>\n\nhi\n",
			opt:        Options{From: "ann@gmail.com", FromName: "Cron Daemon"},
			want:       "From: \"Cron Daemon\" <ann@gmail.com>\nTo: bob@example.com\nDate: x\nMessage-Id: <a@b>\n\nhi\n",
			recipients: "bob@example.com",
		},
		{
			name:       "mbox From line dropped, Bcc with continuation removed",
			in:         "From ann@gmail.com Mon Nov 30 20:00:00 2026\nBCC: a@x.org,\n\tb@x.org\nDate: x\nMessage-ID: <a@b>\nTo: c@x.org\n\nbody",
			want:       "Date: x\nMessage-ID: <a@b>\nTo: c@x.org\n\nbody",
			recipients: "c@x.org a@x.org b@x.org",
		},
		{
			name: "no empty line: the body starts at the first line that is no field",
			in:   "Date: x\nMessage-ID: <a@b>\nSubject: s\nthis is text\n",
			want: "Date: x\nMessage-ID: <a@b>\nSubject: s\n\nthis is text\n",
		},
		{
			name: "header only, without a last line end",
			in:   "Date: x\nMessage-ID: <a@b>\nTo: undisclosed-recipients:;",
			want: "Date: x\nMessage-ID: <a@b>\nTo: undisclosed-recipients:;\n\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opt.Now = when
			m, err := Prepare([]byte(tt.in), tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			want := strings.ReplaceAll(tt.want, "<ID>", m.MessageID)
			if string(m.Data) != want {
				t.Errorf("data\n%q\nwant\n%q", m.Data, want)
			}
			if m.From != tt.from {
				t.Errorf("From %q, want %q", m.From, tt.from)
			}
			if m.From != "" && (len(m.Senders) == 0 || m.Senders[0] != m.From) {
				t.Errorf("Senders %v lack From %q", m.Senders, m.From)
			}
			if got := strings.Join(m.Recipients, " "); got != tt.recipients {
				t.Errorf("recipients %q, want %q", got, tt.recipients)
			}
			if !strings.HasPrefix(m.MessageID, "<") || !strings.Contains(string(m.Data), m.MessageID) {
				t.Errorf("Message-ID %q not in the message", m.MessageID)
			}
		})
	}
}

func TestPrepareSenders(t *testing.T) {
	m, err := Prepare([]byte("From: a@x.org, Mallory <m@y.org>\nSender: s@z.org\nTo: b@x.org\n\nhi"), Options{})
	if err != nil || strings.Join(m.Senders, " ") != "a@x.org m@y.org s@z.org" || m.From != "a@x.org" {
		t.Fatalf("senders %v, From %q, %v", m.Senders, m.From, err)
	}
}

func TestPrepareRefuses(t *testing.T) {
	tests := []struct {
		name, in string
		opt      Options
		want     error
	}{
		{"empty", "", Options{}, ErrBadMessage},
		{"no header", "hello there\n\n", Options{}, ErrBadMessage},
		{"starts indented", " To: x@y.org\n\nhi", Options{}, ErrBadMessage},
		{"bad To", "To: not an address\n\nhi", Options{}, mail.ErrInvalidAddress},
		{"bad From", "From: @@\nTo: a@b.org\n\nhi", Options{}, mail.ErrInvalidAddress},
		{"line break in -F", "To: a@b.org\n\nhi", Options{From: "a@b.org", FromName: "x\r\nBcc: evil@x.org"}, mail.ErrHeaderInjection},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Prepare([]byte(tt.in), tt.opt)
			if !errors.Is(err, tt.want) {
				t.Fatalf("error %v, want %v", err, tt.want)
			}
		})
	}
}

func TestRead(t *testing.T) {
	in := "To: a@b.org\n\nfirst\n..dotted\n.\nafter the dot\n"
	b, err := Read(strings.NewReader(in), true)
	if err != nil || string(b) != "To: a@b.org\n\nfirst\n..dotted\n" {
		t.Fatalf("without -i: %q, %v", b, err)
	}
	b, err = Read(strings.NewReader(in), false)
	if err != nil || string(b) != in {
		t.Fatalf("with -i: %q, %v", b, err)
	}
	big := bytes.Repeat([]byte("x"), mail.MaxRawBytes+1)
	if _, err := Read(bytes.NewReader(big), false); !errors.Is(err, mail.ErrTooBig) {
		t.Fatalf("over the limit: %v", err)
	}
	if b, err := Read(bytes.NewReader(big[:mail.MaxRawBytes]), false); err != nil || len(b) != mail.MaxRawBytes {
		t.Fatalf("at the limit: %d, %v", len(b), err)
	}
}

// FuzzPrepare checks that any input either is refused or gives a message
// that keeps every field but Bcc, has a Date and a Message-ID, and no Bcc.
func FuzzPrepare(f *testing.F) {
	for _, s := range []string{"To: a@b.org\n\nhi", "From: A <a@b.org>\r\nBcc: c@d.org\r\n\r\nx", "a\n", " x: y\n", "X: y\n z\nBcc: q@r.st\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		m, err := Prepare(in, Options{Now: when})
		if err != nil {
			return
		}
		fields, _, _, err := split(m.Data)
		if err != nil {
			t.Fatalf("output does not split: %v", err)
		}
		var date, id bool
		for _, f := range fields {
			switch f.name {
			case "bcc":
				t.Fatalf("Bcc left in %q", m.Data)
			case "date":
				date = true
			case "message-id":
				id = true
			}
		}
		if !date || !id {
			t.Fatalf("Date %v, Message-ID %v in %q", date, id, m.Data)
		}
	})
}
