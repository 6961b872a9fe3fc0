package mail

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	netmail "net/mail"
	"net/textproto"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// readerConn is a net.Conn that reads from r in pieces of at most step
// bytes, as a network would deliver them.
type readerConn struct {
	net.Conn
	r    io.Reader
	step int
}

func (c *readerConn) Read(b []byte) (int, error) { return c.r.Read(b[:min(len(b), c.step)]) }
func (c *readerConn) Close() error               { return nil }

// readReplies reads SMTP replies from r as go-mail does (textproto) until
// the first error.
func readReplies(r io.Reader) ([]string, error) {
	tp := textproto.NewReader(bufio.NewReader(r))
	var out []string
	for {
		code, msg, err := tp.ReadResponse(0)
		if err != nil {
			return out, err
		}
		out = append(out, fmt.Sprintf("%d %s", code, msg))
	}
}

// FuzzReplyLimit reads any byte stream, in pieces of any size, as SMTP
// replies through replyConn and checks that (1) no reply gets through with a
// line over maxReplyLine or more than maxReplyLines lines, (2) what gets
// through is what textproto reads without the guard, (3) the guard refuses
// only a stream over the limits, and (4) a stream it does not refuse reads
// exactly as without it.
func FuzzReplyLimit(f *testing.F) {
	f.Add([]byte("220 smtp.gmail.com ESMTP\r\n250-smtp.gmail.com\r\n250-STARTTLS\r\n250 SMTPUTF8\r\n"), 7)
	f.Add([]byte("220 "+strings.Repeat("A", maxReplyLine)+"\r\n"), 4096)
	f.Add([]byte("250-"+strings.Repeat("x\r\n", maxReplyLines+3)+"250 ok\r\n"), 3)
	f.Add([]byte(strings.Repeat("250-a\r\n", maxReplyLines-1)+"250 ok\r\n221 bye\r\n"), 64)
	f.Add([]byte("abc-x\r\nabc ok\r\n"), 1)
	f.Add([]byte("099-x\r\n099 y\r\n"), 2)
	f.Add([]byte("250-a\n250 b\n"), 5)
	f.Fuzz(func(t *testing.T, data []byte, step int) {
		step = 1 + abs(step)%8192
		rc := newReplyConn(&readerConn{r: bytes.NewReader(data), step: step}, "")
		got, gotErr := readReplies(rc)
		for _, r := range got {
			lines := strings.Split(r, "\n")
			if len(lines) > maxReplyLines {
				t.Fatalf("a reply of %d lines got through", len(lines))
			}
			for _, l := range lines {
				if len(l) > maxReplyLine {
					t.Fatalf("a line of %d bytes got through", len(l))
				}
			}
		}
		// The guard hands out whole lines only: an unterminated last line
		// never reaches textproto.
		whole := data[:bytes.LastIndexByte(data, '\n')+1]
		ref, refErr := readReplies(bytes.NewReader(whole))
		var g replyGuard
		if errors.Is(gotErr, ErrReplyTooLong) {
			if g.scan(data) == nil {
				t.Fatalf("the guard refused a stream within the limits: %v", gotErr)
			}
			// What got through before the refusal is what textproto reads.
			ref = ref[:min(len(ref), len(got))]
		} else if fmt.Sprint(gotErr) != fmt.Sprint(refErr) {
			t.Fatalf("reading ended with %v, without the guard with %v", gotErr, refErr)
		}
		if len(got) != len(ref) {
			t.Fatalf("guarded read gave %d replies (%v), unguarded %d (%v)", len(got), gotErr, len(ref), refErr)
		}
		for i := range got {
			if got[i] != ref[i] {
				t.Fatalf("reply %d: guarded %q, unguarded %q", i, got[i], ref[i])
			}
		}
	})
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// FuzzParseList parses any text as an address list; what it accepts goes
// into a message's To and Cc and comes back the same from its headers,
// every header line within 998 octets and no line break smuggled in.
func FuzzParseList(f *testing.F) {
	for _, s := range []string{
		"Ann <ann@example.com>, bob@example.com",
		`"Doe, John" <john@example.com>`,
		"=?UTF-8?q?Zo=C3=AB?= <zoe@example.com>",
		"Zoë Ångström <zoe@example.com>",
		"ann@example.com,, bob",
		strings.Repeat("x", 200) + " <long@example.com>",
		"undisclosed-recipients:;",
		"\"\\\"\" <q@example.com>",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		list, err := ParseList("To", s)
		if err != nil || len(list) == 0 {
			return
		}
		m := Message{From: ann, To: list, Cc: list, Subject: "x"}
		// To and Cc together may be more recipients than Gmail takes, and
		// only that may Check refuse.
		if _, err := m.Check(); err != nil && !(errors.Is(err, ErrTooManyRecipients) && 2*len(list) > MaxRecipients) {
			t.Fatalf("ParseList(%q) gave %q, which Check refuses: %v", s, list, err)
		}
		msg := writeAndRead(t, m)
		for _, field := range []string{"To", "Cc"} {
			back, err := msg.Header.AddressList(field)
			if err != nil || len(back) != len(list) {
				t.Fatalf("%s of %q reads back as %v (%v)", field, list, back, err)
			}
			for i, a := range back {
				want, _ := netmail.ParseAddress(list[i])
				// A name that decodes to bytes that are not UTF-8 goes out with U+FFFD.
				if a.Address != want.Address || a.Name != strings.ToValidUTF8(want.Name, "\uFFFD") {
					t.Fatalf("%s[%d]: %q <%s>, want %q <%s>", field, i, a.Name, a.Address, want.Name, want.Address)
				}
			}
		}
	})
}

// FuzzSubject writes any one-line subject and reads it back: folded, within
// the line limits, and decoding to the same text.
func FuzzSubject(f *testing.F) {
	for _, s := range []string{"Grüße ✓", strings.Repeat("y", 2000), "  two  spaces ", "=?UTF-8?q?x?=", "a\tb", "日本語"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m := Message{From: ann, To: []string{"bob@example.com"}, Subject: s}
		if _, err := m.Check(); err != nil || s == "" {
			return
		}
		msg := writeAndRead(t, m)
		var dec mime.WordDecoder
		got, err := dec.DecodeHeader(msg.Header.Get("Subject"))
		if want := strings.ToValidUTF8(s, "\uFFFD"); err != nil || got != want {
			t.Fatalf("subject %q reads back as %q (%v)", want, got, err)
		}
	})
}

// writeAndRead writes m, checks its header lines and parses it back.
func writeAndRead(t *testing.T, m Message) *netmail.Message {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteMessage(&buf, m, "<id@test>", time.Unix(0, 0)); err != nil {
		t.Fatal(err)
	}
	checkHeaderLines(t, buf.String())
	msg, err := netmail.ReadMessage(&buf)
	if err != nil {
		t.Fatalf("the message for %+v does not parse: %v", m, err)
	}
	return msg
}

// checkHeaderLines fails when a header line of msg passes 78 octets and
// could have been folded, passes 998 octets, or holds a bare CR or LF.
func checkHeaderLines(t *testing.T, msg string) {
	t.Helper()
	head, _, _ := strings.Cut(msg, "\r\n\r\n")
	for _, l := range strings.Split(head, "\r\n") {
		if strings.ContainsAny(l, "\r\n") || !utf8.ValidString(l) {
			t.Fatalf("bad header line %q", l)
		}
		if len(l) > 998 || (len(l) > 78 && strings.Contains(strings.TrimLeft(l, " "), " ")) {
			t.Fatalf("header line of %d octets: %q", len(l), l)
		}
	}
}
