// Package sendmail reads a whole RFC 5322 message, as sendmail's callers
// (cron, mailx, git send-email) and the relay's clients hand it over, and
// readies it to be sent as it is: its header fields are kept byte for byte,
// only Date, Message-ID (and From, when missing) are added, and Bcc is
// removed.
package sendmail

import (
	"bytes"
	"fmt"
	"io"
	netmail "net/mail"
	"net/textproto"
	"strings"
	"time"

	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/mail"
)

// ErrBadMessage means the input is not a message that can be sent.
var ErrBadMessage = advice.Sentinel(advice.Failure, "malformed message")

// Options say how to ready a message.
type Options struct {
	// DotEnds makes a line holding a lone "." end the message, as sendmail
	// does without -i.
	DotEnds bool
	// From is the address used when the message has no From field, with
	// FromName (sendmail's -F) as its display name.
	From, FromName string
	// Now is the date written when the message has no Date field.
	Now time.Time
}

// Message is a message readied to be sent as it is.
type Message struct {
	// Data is the message to send: Bcc removed, Date and Message-ID added
	// when they were missing.
	Data []byte
	// From is the first address of the From field ("" when there was none).
	From string
	// Senders lists every address of the From and Sender fields.
	Senders []string
	// Recipients lists the addresses of To, Cc and Bcc, for sendmail -t.
	Recipients []string
	// MessageID is the Message-ID of the message, with angle brackets.
	MessageID string
}

// Read reads a message from r, at most mail.MaxRawBytes of it.
func Read(r io.Reader, dotEnds bool) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, mail.MaxRawBytes+1))
	if err != nil {
		return nil, advice.Keyed(fmt.Errorf("%w: %v", ErrBadMessage, err), "sendmail.read_failed", nil,
			"the message could not be read from standard input", "Pipe the whole message into the command")
	}
	if dotEnds {
		b = cutAtDot(b)
	}
	if len(b) > mail.MaxRawBytes {
		return nil, advice.Keyed(fmt.Errorf("%w: over %d bytes", mail.ErrTooBig, mail.MaxRawBytes), "sendmail.too_big",
			advice.Data{"Limit": mail.MaxRawBytes},
			"the message is over Gmail's limit of {{.Limit}} bytes",
			"Remove or shrink attachments, or share large files by link")
	}
	return b, nil
}

// cutAtDot ends the message at a line holding only ".".
func cutAtDot(b []byte) []byte {
	for start := 0; start < len(b); {
		end := bytes.IndexByte(b[start:], '\n')
		line := b[start:]
		if end >= 0 {
			line = b[start : start+end]
		}
		if string(bytes.TrimSuffix(line, []byte("\r"))) == "." {
			return b[:start]
		}
		if end < 0 {
			break
		}
		start += end + 1
	}
	return b
}

// field is one header field as it came, continuation lines included.
type field struct {
	name string // lower case
	raw  []byte
}

// Prepare readies raw to be sent. It fails with ErrBadMessage (or an
// address error) when raw has no header or a field cannot be understood.
func Prepare(raw []byte, opt Options) (Message, error) {
	fields, body, nl, err := split(raw)
	if err != nil {
		return Message{}, err
	}
	h := netmail.Header{}
	for _, f := range fields {
		name, value, _ := strings.Cut(string(f.raw), ":")
		canon := textproto.CanonicalMIMEHeaderKey(strings.TrimSpace(name))
		h[canon] = append(h[canon], unfold(value))
	}
	var msg Message
	if err := msg.readAddresses(h); err != nil {
		return Message{}, err
	}
	var out bytes.Buffer
	if err := msg.addMissing(&out, h, opt, nl); err != nil {
		return Message{}, err
	}
	for _, f := range fields {
		if f.name != "bcc" {
			out.Write(f.raw)
		}
	}
	out.WriteString(nl)
	out.Write(body)
	msg.Data = out.Bytes()
	return msg, nil
}

// readAddresses fills in the recipients (To, Cc, Bcc), the From address and
// the senders (From, Sender) from the header.
func (msg *Message) readAddresses(h netmail.Header) error {
	for _, name := range []string{"To", "Cc", "Bcc"} {
		if len(h[name]) == 0 {
			continue
		}
		list, err := addresses(h, name)
		if err != nil {
			return err
		}
		msg.Recipients = append(msg.Recipients, list...)
	}
	for _, name := range []string{"From", "Sender"} {
		list, err := addresses(h, name)
		if err != nil {
			return err
		}
		if name == "From" && len(list) > 0 {
			msg.From = list[0]
		}
		msg.Senders = append(msg.Senders, list...)
	}
	return nil
}

// addMissing writes to out the Date, Message-ID and From headers the
// message lacks, and sets msg.MessageID.
func (msg *Message) addMissing(out *bytes.Buffer, h netmail.Header, opt Options, nl string) error {
	if len(h["Date"]) == 0 {
		now := opt.Now
		if now.IsZero() {
			now = time.Now()
		}
		out.WriteString("Date: " + now.Format(time.RFC1123Z) + nl)
	}
	msg.MessageID = strings.TrimSpace(h.Get("Message-Id"))
	if msg.MessageID == "" {
		msg.MessageID = mail.NewMessageID()
		out.WriteString("Message-ID: " + msg.MessageID + nl)
	}
	if len(h["From"]) == 0 && opt.From != "" {
		if strings.ContainsAny(opt.FromName, "\r\n") {
			return advice.Keyed(mail.ErrHeaderInjection, "sendmail.name_line_break", nil,
				"the full name given with -F contains a line break", "Put it on one line")
		}
		a := netmail.Address{Name: opt.FromName, Address: opt.From}
		out.WriteString("From: " + a.String() + nl)
	}
	return nil
}

// split cuts raw into its header fields and its body. A leading mbox
// "From " line is dropped. The header ends at the first empty line, or at
// the first line that is not a field (then all that follows is the body).
// nl is the message's line end, for the fields added.
func split(raw []byte) (fields []field, body []byte, nl string, err error) {
	nl = "\n"
	if i := bytes.IndexByte(raw, '\n'); i > 0 && raw[i-1] == '\r' {
		nl = "\r\n"
	}
	rest := raw
	if bytes.HasPrefix(rest, []byte("From ")) {
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			rest = rest[i+1:]
		}
	}
	for len(rest) > 0 {
		end := bytes.IndexByte(rest, '\n')
		line := rest
		if end >= 0 {
			line = rest[:end+1]
		}
		trimmed := bytes.TrimRight(line, "\r\n")
		switch {
		case len(trimmed) == 0: // the empty line: the body follows
			return fields, rest[len(line):], nl, checkFields(fields)
		case trimmed[0] == ' ' || trimmed[0] == '\t':
			if len(fields) == 0 {
				return nil, nil, nl, badMessage("the message starts with an indented line")
			}
			f := &fields[len(fields)-1]
			f.raw = append(f.raw, line...)
		default:
			name, _, ok := bytes.Cut(trimmed, []byte(":"))
			if !ok || !validName(name) {
				// Not a field: the body starts here, without the empty line.
				return fields, rest, nl, checkFields(fields)
			}
			fields = append(fields, field{name: strings.ToLower(string(name)), raw: append([]byte(nil), line...)})
		}
		rest = rest[len(line):]
	}
	return fields, nil, nl, checkFields(fields)
}

func checkFields(fields []field) error {
	if len(fields) == 0 {
		return badMessage("it has no header fields")
	}
	for i := range fields { // the last field may lack its line end
		if !bytes.HasSuffix(fields[i].raw, []byte("\n")) {
			fields[i].raw = append(fields[i].raw, '\n')
		}
	}
	return nil
}

func badMessage(why string) error {
	return advice.Keyed(fmt.Errorf("%w: %s", ErrBadMessage, why), "sendmail.bad_message", advice.Data{"Why": why},
		"the input is not an email message: {{.Why}}",
		"Give a whole message: header fields such as From, To and Subject, an empty line, then the text")
}

// validName reports whether b is a header field name (RFC 5322: printable
// ASCII except the colon, no space).
func validName(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if c <= ' ' || c > '~' || c == ':' {
			return false
		}
	}
	return true
}

func unfold(v string) string {
	v = strings.ReplaceAll(v, "\r\n", "\n")
	v = strings.ReplaceAll(v, "\n\t", " ")
	v = strings.ReplaceAll(v, "\n ", " ")
	return strings.TrimSpace(strings.TrimRight(v, "\n"))
}

// addresses returns the bare addresses of every field named name.
func addresses(h netmail.Header, name string) ([]string, error) {
	var out []string
	for _, v := range h[name] {
		if strings.TrimSpace(v) == "" || strings.TrimSpace(v) == "undisclosed-recipients:;" {
			continue
		}
		list, err := netmail.ParseAddressList(v)
		if err != nil {
			return nil, advice.Keyed(fmt.Errorf("%w: %s: %v", mail.ErrInvalidAddress, name, err), "sendmail.bad_field",
				advice.Data{"Field": name, "Reason": err},
				"the {{.Field}} field of the message is not a valid list of addresses ({{.Reason}})",
				"Write addresses like ann@example.com, separated by commas")
		}
		for _, a := range list {
			out = append(out, a.Address)
		}
	}
	return out, nil
}
