package mail

import (
	"bytes"
	"context"
	"fmt"
	"io"
	netmail "net/mail"
	"slices"
	"strings"

	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/wneessen/go-mail/log"
	"github.com/wneessen/go-mail/smtp"
)

// MaxRawBytes is the largest message Gmail's SMTP server takes: it advertises
// "SIZE 35882577" in its EHLO reply (see GOOGLE.md). A raw message is
// measured as it is, already encoded.
const MaxRawBytes = 35_882_577

// Raw is a message that is already in RFC 5322 form, as sendmail and the relay
// get it from another program. It is sent as it is; the envelope is given
// apart from its headers.
type Raw struct {
	// From is the envelope sender, a bare address.
	From string
	// To lists the envelope recipients, bare addresses.
	To []string
	// Data is the whole message, headers and body, without any Bcc header.
	Data []byte
	// MessageID is the Message-ID the message carries, for the Result.
	MessageID string
}

// CheckedRaw is a Raw that passed Raw.Check; only Check makes one, so the
// senders, which take a CheckedRaw, trust it (see Checked).
type CheckedRaw struct{ raw Raw }

// Check checks the envelope and the size once, before any keyring or
// network work, and returns the message as a CheckedRaw, for the senders.
// The CheckedRaw has its own copy of the envelope, so that a change to r's
// afterwards cannot reach the senders unchecked.
func (r Raw) Check() (CheckedRaw, error) {
	if _, err := checkAddress("From", r.From); err != nil {
		return CheckedRaw{}, err
	}
	if len(r.To) == 0 {
		return CheckedRaw{}, advice.Keyed(ErrNoRecipient, "mail.raw_no_recipient", nil,
			"the message has no recipient", "Give the recipients as arguments, or use -t to take them from To, Cc and Bcc")
	}
	if err := checkRecipientCount(len(r.To)); err != nil {
		return CheckedRaw{}, err
	}
	for _, a := range r.To {
		if _, err := checkAddress("To", a); err != nil {
			return CheckedRaw{}, err
		}
	}
	if len(r.Data) > MaxRawBytes {
		return CheckedRaw{}, advice.Keyed(fmt.Errorf("%w: %d bytes", ErrTooBig, len(r.Data)), "mail.raw_too_big",
			advice.Data{"Size": len(r.Data), "Limit": MaxRawBytes},
			"the message is {{.Size}} bytes, over Gmail's limit of {{.Limit}}",
			"Remove or shrink attachments, or share large files by link")
	}
	r.To = slices.Clone(r.To)
	return CheckedRaw{raw: r}, nil
}

// SendRaw delivers the checked message through the server at ep, streaming
// its Data into DATA as it is (dot-stuffed, with CRLF line ends). Errors are
// as for Send.
func (s *Sender) SendRaw(ctx context.Context, ep Endpoint, cred Credential, c CheckedRaw) (Result, error) {
	r := c.raw
	if r.From == "" {
		return Result{}, errUnchecked
	}
	res := Result{MessageID: r.MessageID, Transport: TransportSMTP}
	err := s.session(ctx, ep, cred, func(sc *smtp.Client, lg log.Logger) error { return deliverRaw(sc, lg, r) }, &res)
	return res, err
}

func deliverRaw(sc *smtp.Client, lg log.Logger, r Raw) error {
	if err := fitsServer(int64(len(r.Data)), serverSize(sc)); err != nil {
		return err
	}
	if pipelines(sc) {
		return deliverPipelined(sc, lg, r.From, r.To, func(w io.Writer) error {
			_, err := w.Write(r.Data)
			return err
		})
	}
	if err := sc.Mail("<" + r.From + ">"); err != nil {
		return err
	}
	for _, a := range r.To {
		if err := sc.Rcpt("<" + a + ">"); err != nil {
			return err
		}
	}
	w, err := sc.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(r.Data); err != nil {
		return err
	}
	return closeData(w)
}

// SendRawAPI delivers the checked message through the Gmail API. The API
// takes the recipients from the headers, so envelope recipients missing from
// To and Cc are added in a Bcc header, which Gmail removes before delivery.
// Addresses in To and Cc that are not envelope recipients get the message
// too: the API has no envelope.
func (s *Sender) SendRawAPI(ctx context.Context, api API, cred Credential, c CheckedRaw) (Result, error) {
	r := c.raw
	if r.From == "" {
		return Result{}, errUnchecked
	}
	res := Result{MessageID: r.MessageID, Transport: TransportAPI}
	prefix := bccHeader(r)
	return s.postAPI(ctx, api, cred, res, func(w io.Writer) error {
		if _, err := w.Write(prefix); err != nil {
			return err
		}
		_, err := w.Write(r.Data)
		return err
	})
}

// bccHeader returns the Bcc header field SendRawAPI adds, folded, with the
// message's own line ending; nil when To and Cc name every recipient.
func bccHeader(r Raw) []byte {
	extra := hiddenRecipients(r)
	if len(extra) == 0 {
		return nil
	}
	f := fold("Bcc", strings.Join(extra, ", "))
	if i := bytes.IndexByte(r.Data, '\n'); i >= 0 && (i == 0 || r.Data[i-1] != '\r') {
		f = strings.ReplaceAll(f, "\r\n", "\n")
	}
	return []byte(f)
}

// hiddenRecipients returns the envelope recipients that To and Cc lack.
func hiddenRecipients(r Raw) []string {
	shown := map[string]bool{}
	if m, err := netmail.ReadMessage(bytes.NewReader(r.Data)); err == nil {
		for _, h := range []string{"To", "Cc"} {
			list, _ := m.Header.AddressList(h)
			for _, a := range list {
				shown[strings.ToLower(a.Address)] = true
			}
		}
	}
	var out []string
	for _, a := range r.To {
		if !shown[strings.ToLower(a)] {
			out = append(out, a)
		}
	}
	return out
}

// NewMessageID returns a fresh Message-ID, with angle brackets.
func NewMessageID() string { return newMessageID() }
