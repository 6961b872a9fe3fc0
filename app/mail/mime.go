package mail

import (
	"crypto/rand"
	"encoding/base32"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	netmail "net/mail"
	"net/textproto"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/mailkey-app/mailkey/app/internal/localfile"
)

// The message is written with the standard library's MIME packages, straight
// onto the SMTP DATA stream: go-mail's message writer base64-encodes each part
// into memory first (msgWriter.writeBody), so a 20 MB attachment cost about
// 100 MB of RAM. Here an attachment goes file → base64 → socket in 57-byte
// lines, and memory stays flat whatever its size. go-mail still carries the
// SMTP session: TLS, AUTH, MAIL, RCPT, DATA.

// newMessageID returns a fresh Message-ID, with angle brackets.
func newMessageID() string {
	b := make([]byte, 15)
	_, _ = rand.Read(b)
	host, err := os.Hostname()
	if err != nil || host == "" || strings.ContainsAny(host, "<>@ ") {
		host = "mailkey.localhost"
	}
	return "<" + strings.ToLower(base32.StdEncoding.EncodeToString(b)) + "@" + host + ">"
}

// WriteMessage writes m as an RFC 5322 message with MIME parts to w, with the
// given Message-ID (angle brackets included) and Date. It streams attachments
// from disk; memory stays flat whatever their size.
func WriteMessage(w io.Writer, m Message, id string, date time.Time) error {
	return writeMessageBcc(w, m, id, date, false)
}

// writeMessageBcc is WriteMessage that, with bcc, also writes a Bcc header:
// the Gmail API takes the recipients from the headers and strips Bcc before
// delivery. Over SMTP, Bcc recipients are only given in RCPT TO.
func writeMessageBcc(w io.Writer, m Message, id string, date time.Time, bcc bool) error {
	h := textproto.MIMEHeader{}
	h.Set("Date", date.Format(time.RFC1123Z))
	h.Set("From", formatList([]string{m.From}))
	if len(m.To) > 0 {
		h.Set("To", formatList(m.To))
	}
	if len(m.Cc) > 0 {
		h.Set("Cc", formatList(m.Cc))
	}
	if bcc && len(m.Bcc) > 0 {
		h.Set("Bcc", formatList(m.Bcc))
	}
	h.Set("Subject", headerText(m.Subject))
	h.Set("Message-ID", id)
	h.Set("MIME-Version", "1.0")
	h.Set("User-Agent", "mailkey")
	if len(m.Attachments) == 0 {
		setText(h)
		if err := writeHeader(w, h, headerOrder); err != nil {
			return err
		}
		return writeText(w, m.Body)
	}
	mw := multipart.NewWriter(w)
	h.Set("Content-Type", mime.FormatMediaType("multipart/mixed", map[string]string{"boundary": mw.Boundary()}))
	if err := writeHeader(w, h, headerOrder); err != nil {
		return err
	}
	th := textproto.MIMEHeader{}
	setText(th)
	part, err := mw.CreatePart(th)
	if err == nil {
		err = writeText(part, m.Body)
	}
	for _, p := range m.Attachments {
		if err != nil {
			break
		}
		err = writeAttachment(mw, p)
	}
	if err != nil {
		return err
	}
	return mw.Close()
}

var headerOrder = []string{"Date", "From", "To", "Cc", "Bcc", "Subject", "Message-ID", "MIME-Version", "User-Agent", "Content-Type", "Content-Transfer-Encoding"}

func setText(h textproto.MIMEHeader) {
	h.Set("Content-Type", "text/plain; charset=UTF-8")
	h.Set("Content-Transfer-Encoding", "quoted-printable")
}

// writeHeader writes the header fields in order, each folded (fold), then
// the blank line.
func writeHeader(w io.Writer, h textproto.MIMEHeader, order []string) error {
	var b strings.Builder
	for _, k := range order {
		if v := h.Get(k); v != "" {
			b.WriteString(fold(k, v))
		}
	}
	b.WriteString("\r\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// formatList renders addresses for a header, names RFC 2047-encoded when
// they need it; fold breaks the list into lines.
func formatList(list []string) string {
	out := make([]string, 0, len(list))
	for _, s := range list {
		if a, err := netmail.ParseAddress(s); err == nil {
			out = append(out, formatAddress(a))
		}
	}
	return strings.Join(out, ", ")
}

// formatAddress is a.String(), except that a name that needs it is written
// as encoded words short enough to fold between (encodeWords).
func formatAddress(a *netmail.Address) string {
	if a.Name == "" || !needsEncoding(a.Name) {
		return a.String()
	}
	return strings.Join(encodeWords(a.Name), " ") + " <" + a.Address + ">"
}

// Header lines (RFC 5322 2.1.1): 78 characters recommended, 998 at most.
const (
	maxHeaderLine = 78
	// maxPlainWord is the longest word a header keeps as it is; a longer
	// one is encoded (encodeWords), so that every line can be folded.
	maxPlainWord = 70
)

// headerText is s as the body of an unstructured header (Subject): as it is
// when it is plain short-worded ASCII, otherwise RFC 2047 encoded words.
func headerText(s string) string {
	if !needsEncoding(s) {
		return s
	}
	return strings.Join(encodeWords(s), " ")
}

// needsEncoding reports whether s cannot go into a header as it is: it holds
// a character that is not printable ASCII, something that reads as an
// encoded word, spaces that folding would lose (leading, trailing or
// doubled), or a word too long to fold.
func needsEncoding(s string) bool {
	if strings.Contains(s, "=?") || strings.HasPrefix(s, " ") || strings.HasSuffix(s, " ") || strings.Contains(s, "  ") {
		return true
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return true
		}
	}
	for _, w := range strings.Split(s, " ") {
		if len(w) > maxPlainWord {
			return true
		}
	}
	return false
}

// encodeWords encodes s as RFC 2047 "Q" encoded words of at most 75
// characters each, split between whole UTF-8 characters (never inside one),
// with only the characters RFC 2047 allows in a phrase, so that the words
// can stand in a Subject and in a display name alike. Spaces are encoded
// (as "_"): the space between encoded words is ignored when decoding.
func encodeWords(s string) []string {
	const (
		prefix  = "=?UTF-8?q?"
		suffix  = "?="
		payload = 75 - len(prefix) - len(suffix)
	)
	var words []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			words = append(words, prefix+cur.String()+suffix)
			cur.Reset()
		}
	}
	var enc strings.Builder
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		enc.Reset()
		for _, b := range []byte(string(r)) {
			switch {
			case b == ' ':
				enc.WriteByte('_')
			case b >= 'a' && b <= 'z', b >= 'A' && b <= 'Z', b >= '0' && b <= '9', strings.IndexByte("!*+-/", b) >= 0:
				enc.WriteByte(b)
			default:
				fmt.Fprintf(&enc, "=%02X", b)
			}
		}
		if cur.Len()+enc.Len() > payload {
			flush()
		}
		cur.WriteString(enc.String())
	}
	flush()
	return words
}

// fold writes the header field name: value, folded (RFC 5322 2.2.3) before
// a space wherever the line would pass 78 characters; unfolding gives back
// the value. Only a single word longer than a line stays unbroken, and
// needsEncoding keeps words that long out of the texts mailkey writes.
func fold(name, value string) string {
	var b strings.Builder
	b.WriteString(name + ":")
	n := len(name) + 1
	for _, w := range strings.Split(value, " ") {
		if n+1+len(w) > maxHeaderLine && n > 0 {
			b.WriteString("\r\n")
			n = 0
		}
		b.WriteString(" " + w)
		n += 1 + len(w)
	}
	b.WriteString("\r\n")
	return b.String()
}

func writeText(w io.Writer, body string) error {
	qp := quotedprintable.NewWriter(w)
	body = strings.ReplaceAll(strings.ReplaceAll(body, "\r\n", "\n"), "\n", "\r\n")
	if _, err := io.WriteString(qp, body); err != nil {
		return err
	}
	return qp.Close()
}

// writeAttachment streams the file at path as a base64 part: as many bytes
// as it held when opened, so that a file that grows cannot make the message
// endless.
func writeAttachment(mw *multipart.Writer, path string) error {
	f, size, err := openAttachment(path)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrAttachment, err)
	}
	defer f.Close()
	name := filepath.Base(path)
	ctype := mime.TypeByExtension(filepath.Ext(name))
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	if mt, params, err := mime.ParseMediaType(ctype); err == nil {
		params["name"] = name
		ctype = mime.FormatMediaType(mt, params)
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Type", ctype)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	h.Set("Content-Transfer-Encoding", "base64")
	part, err := mw.CreatePart(h)
	if err != nil {
		return err
	}
	lines := &lineBreaker{w: part}
	enc := base64.NewEncoder(base64.StdEncoding, lines)
	if _, err := io.CopyN(enc, f, size); err != nil {
		return fmt.Errorf("%w: %s changed while it was being sent: %v", ErrAttachment, path, err)
	}
	if err := enc.Close(); err != nil {
		return err
	}
	return lines.close()
}

// lineBreaker splits base64 text into lines of 76 characters (RFC 2045).
type lineBreaker struct {
	w   io.Writer
	col int
}

func (l *lineBreaker) Write(p []byte) (int, error) {
	n := 0
	for len(p) > 0 {
		room := 76 - l.col
		chunk := p
		if len(chunk) > room {
			chunk = chunk[:room]
		}
		if _, err := l.w.Write(chunk); err != nil {
			return n, err
		}
		n += len(chunk)
		l.col += len(chunk)
		p = p[len(chunk):]
		if l.col == 76 {
			if _, err := l.w.Write(crlf); err != nil {
				return n, err
			}
			l.col = 0
		}
	}
	return n, nil
}

func (l *lineBreaker) close() error {
	if l.col == 0 {
		return nil
	}
	l.col = 0
	_, err := l.w.Write(crlf)
	return err
}

var crlf = []byte("\r\n")

// openAttachment opens the file at path when it is a regular file (see
// localfile.Open: a named pipe does not hang, and what was opened is
// checked, not what the path named a moment before, so a path that became
// a device such as /dev/zero after Check is refused), and returns its size.
func openAttachment(path string) (*os.File, int64, error) {
	f, err := localfile.Open(path)
	if err != nil {
		return nil, 0, err
	}
	fi, err := f.Stat()
	if err != nil {
		_ = f.Close()
		return nil, 0, err
	}
	return f, fi.Size(), nil
}
