package mail

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	netmail "net/mail"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMessageRoundTrip parses what WriteMessage produces with the standard
// library and gets every field and byte back.
func TestMessageRoundTrip(t *testing.T) {
	dir := t.TempDir()
	bin := make([]byte, 100_003)
	_, _ = rand.Read(bin)
	binPath := filepath.Join(dir, "données.bin")
	if err := os.WriteFile(binPath, bin, 0o600); err != nil {
		t.Fatal(err)
	}
	txtPath := filepath.Join(dir, "notes.txt")
	_ = os.WriteFile(txtPath, []byte("hello\n"), 0o600)
	m := Message{
		From: "Ann Élise <ann@gmail.com>", To: []string{"bob@example.com", "Carol <carol@example.com>"},
		Cc: []string{"dan@example.com"}, Bcc: []string{"eve@example.com"}, Subject: "Grüße, ça marche ✓",
		Body: "Line one\nligne deux é\n" + strings.Repeat("long ", 40) + "\n.\n", Attachments: []string{binPath, txtPath},
	}
	var buf bytes.Buffer
	if err := WriteMessage(&buf, m, "<id-1@test>", time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	raw := buf.String()
	if strings.Contains(raw, "eve@example.com") {
		t.Fatal("the Bcc address is in the message")
	}
	for _, line := range strings.Split(raw, "\r\n") {
		if len(line) > 998 {
			t.Fatalf("a line of %d characters", len(line))
		}
	}
	msg, err := netmail.ReadMessage(strings.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	dec := &mime.WordDecoder{}
	if s, _ := dec.DecodeHeader(msg.Header.Get("Subject")); s != m.Subject {
		t.Errorf("subject %q", s)
	}
	if from, err := msg.Header.AddressList("From"); err != nil || from[0].Name != "Ann Élise" || from[0].Address != "ann@gmail.com" {
		t.Errorf("from %v, %v", from, err)
	}
	if to, err := msg.Header.AddressList("To"); err != nil || len(to) != 2 {
		t.Errorf("to %v, %v", to, err)
	}
	if msg.Header.Get("Message-ID") != "<id-1@test>" || msg.Header.Get("Date") != "Sat, 21 Nov 2026 09:00:00 +0000" {
		t.Errorf("id %q date %q", msg.Header.Get("Message-ID"), msg.Header.Get("Date"))
	}
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/mixed" {
		t.Fatalf("content type %q, %v", mt, err)
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	var parts []*multipart.Part
	var bodies [][]byte
	for {
		p, err := mr.NextPart() // decodes quoted-printable itself
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(p)
		parts = append(parts, p)
		bodies = append(bodies, b)
	}
	if len(parts) != 3 {
		t.Fatalf("%d parts", len(parts))
	}
	if got := strings.ReplaceAll(string(bodies[0]), "\r\n", "\n"); got != m.Body {
		t.Errorf("text body %q", got)
	}
	if parts[1].FileName() != "données.bin" {
		t.Errorf("file name %q", parts[1].FileName())
	}
	decoded, err := io.ReadAll(base64Reader(bodies[1]))
	if err != nil || !bytes.Equal(decoded, bin) {
		t.Fatalf("attachment differs after decoding (%d bytes, %v)", len(decoded), err)
	}
}

// TestAttachmentIsStreamed writes a 20 MB attachment and checks that the
// memory allocated stays far below its size.
func TestAttachmentIsStreamed(t *testing.T) {
	p := filepath.Join(t.TempDir(), "big.bin")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.CopyN(f, rand.Reader, 20<<20); err != nil {
		t.Fatal(err)
	}
	_ = f.Close()
	m := Message{From: "ann@gmail.com", To: []string{"bob@example.com"}, Subject: "big", Attachments: []string{p}}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	n := &countingWriter{}
	if err := WriteMessage(n, m, "<x@y>", time.Now()); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("wrote %d bytes, allocated %d KB", n.n, alloc>>10)
	if n.n < 27<<20 {
		t.Fatalf("only %d bytes written for a 20 MB attachment", n.n)
	}
	if alloc > 2<<20 {
		t.Fatalf("writing a 20 MB attachment allocated %d MB: it is buffered, not streamed", alloc>>20)
	}
}

type countingWriter struct{ n int64 }

func (c *countingWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

func base64Reader(b []byte) io.Reader {
	return base64.NewDecoder(base64.StdEncoding, bytes.NewReader(bytes.ReplaceAll(b, []byte("\r\n"), nil)))
}

// TestAttachmentMustStayARegularFile: Validate checks each attachment, but
// the file is opened again while sending; one that became a device or a
// FIFO in between (a symlink to /dev/zero) fails at once with
// ErrAttachment instead of streaming without end (or, for the Gmail API's
// counting pass, looping for ever).
func TestAttachmentMustStayARegularFile(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	zero := filepath.Join(dir, "zero.bin")
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{zero, fifo} {
		t.Run(filepath.Base(path), func(t *testing.T) {
			m := Message{From: ann, To: []string{"bob@example.com"}, Subject: "x", Attachments: []string{path}}
			done := make(chan error, 1)
			go func() { done <- WriteMessage(io.Discard, m, "<id@test>", time.Now()) }()
			select {
			case err := <-done:
				if !errors.Is(err, ErrAttachment) {
					t.Fatalf("WriteMessage = %v, want ErrAttachment", err)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("WriteMessage still streams the attachment after 5 s")
			}
		})
	}
}
