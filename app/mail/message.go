// Package mail composes messages and sends them over SMTP with go-mail, by app
// password (AUTH PLAIN) or OAuth access token (AUTH XOAUTH2), and turns the
// server's replies into advice a person can act on.
package mail

import (
	"errors"
	"fmt"
	netmail "net/mail"
	"slices"
	"strconv"
	"strings"

	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/google"
	"github.com/mailkey-app/mailkey/app/internal/localfile"
)

var (
	// ErrInvalidAddress means an address could not be parsed.
	ErrInvalidAddress = advice.Sentinel(advice.Usage, "invalid address")
	// ErrNoRecipient means To, Cc and Bcc are all empty.
	ErrNoRecipient = advice.Sentinel(advice.Usage, "no recipient")
	// ErrHeaderInjection means a header value holds a line break.
	ErrHeaderInjection = advice.Sentinel(advice.Usage, "line break in a header")
	// ErrAttachment means an attachment cannot be read.
	ErrAttachment = advice.Sentinel(advice.Usage, "attachment not readable")
	// ErrTooBig means the message is over the server's size limit.
	ErrTooBig = advice.Sentinel(advice.Usage, "message too big")
)

// Message is a plain-text email with optional attachments.
type Message struct {
	From    string
	To      []string
	Cc      []string
	Bcc     []string
	Subject string
	Body    string
	// Attachments are file paths, streamed from disk while sending.
	Attachments []string
	// Via names the account to send through when From is not an account
	// of its own ("" = the account of From, or the one From is a verified
	// Send mail as address of).
	Via string
}

// ParseList splits a comma-separated address list ("Ann <a@x.org>, b@y.org").
// Empty input gives an empty list.
func ParseList(field, s string) ([]string, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	if strings.ContainsAny(s, "\r\n") {
		return nil, injection(field)
	}
	list, err := netmail.ParseAddressList(s)
	if err != nil {
		return nil, advice.Keyed(fmt.Errorf("%w: %v", ErrInvalidAddress, err), "mail.invalid_address_list",
			advice.Data{"Field": advice.Label(field), "Reason": err},
			"the {{.Field}} field is not a valid list of addresses ({{.Reason}})",
			"Write addresses like ann@example.com, separated by commas")
	}
	out := make([]string, len(list))
	for i, a := range list {
		out[i] = a.Address
		if a.Name != "" {
			out[i] = a.String()
		}
		if _, err := checkAddress(field, out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Checked is a Message that passed Check. Only Check makes one, so the
// senders, which take a Checked, cannot be handed a message that nobody
// checked: they trust it, and check again only what needs the server (the
// SIZE it advertises, in deliver).
type Checked struct {
	msg   Message
	from  string   // the bare address of From, for MAIL FROM
	rcpts []string // the bare addresses of To, Cc and Bcc, for RCPT TO
	sizes []int64  // the attachments' sizes, as Check found them
}

// Check checks the message once, before any keyring or network work:
// addresses parse, no header holds a line break, there is a recipient and
// at most MaxRecipients, and every attachment is a readable regular file. It
// returns the message as a Checked, for the senders, with lists of its own:
// a change to m's afterwards cannot reach the senders unchecked.
func (m Message) Check() (Checked, error) {
	from, err := checkAddress("From", m.From)
	if err != nil {
		return Checked{}, err
	}
	if err := m.CheckRecipients(); err != nil {
		return Checked{}, err
	}
	m.To, m.Cc, m.Bcc, m.Attachments = slices.Clone(m.To), slices.Clone(m.Cc), slices.Clone(m.Bcc), slices.Clone(m.Attachments)
	c := Checked{msg: m, from: from}
	for _, f := range []struct {
		name string
		list []string
	}{{"To", m.To}, {"Cc", m.Cc}, {"Bcc", m.Bcc}} {
		for _, a := range f.list {
			bare, err := checkAddress(f.name, a)
			if err != nil {
				return Checked{}, err
			}
			c.rcpts = append(c.rcpts, bare)
		}
	}
	if strings.ContainsAny(m.Subject, "\r\n") {
		return Checked{}, injection("Subject")
	}
	for _, p := range m.Attachments {
		size, err := CheckAttachment(p)
		if err != nil {
			return Checked{}, err
		}
		c.sizes = append(c.sizes, size)
	}
	if err := checkRecipientCount(len(c.rcpts)); err != nil {
		return Checked{}, err
	}
	return c, nil
}

// From returns the bare address of the message's From ("ann@example.com"
// for "Ann <ann@example.com>").
func (c Checked) From() string { return c.from }

// WireSize estimates the message's size on the wire, with attachments grown
// by base64 encoding, from the sizes Check found. Gmail's limit,
// MaxRawBytes, applies to this figure.
func (c Checked) WireSize() int64 {
	return EstimateSize(c.msg.Subject, c.msg.Body, c.sizes...)
}

// errUnchecked is a Checked or CheckedRaw made without Check (its zero
// value): a mistake in the program, never in the message.
var errUnchecked = advice.Sentinel(advice.Failure, "mail: the message was not checked: use Message.Check or Raw.Check")

// CheckRecipients says that the message has at least one recipient in To,
// Cc or Bcc.
func (m Message) CheckRecipients() error {
	if len(m.To)+len(m.Cc)+len(m.Bcc) == 0 {
		return advice.Keyed(ErrNoRecipient, "mail.no_recipient", nil,
			"the message has no recipient", "Add at least one address in To, Cc or Bcc")
	}
	return nil
}

// checkAddress checks one address of field and returns its bare form
// ("ann@example.com" for "Ann <ann@example.com>").
func checkAddress(field, a string) (string, error) {
	if strings.ContainsAny(a, "\r\n") {
		return "", injection(field)
	}
	if strings.TrimSpace(a) == "" {
		return "", advice.Keyed(ErrInvalidAddress, "mail.address_empty", advice.Data{"Field": advice.Label(field)},
			"the {{.Field}} address is empty", "Enter an address like ann@example.com")
	}
	parsed, err := netmail.ParseAddress(a)
	if err != nil {
		return "", advice.Keyed(fmt.Errorf("%w: %v", ErrInvalidAddress, err), "mail.invalid_address",
			advice.Data{"Address": strconv.Quote(a), "Field": advice.Label(field)},
			"{{.Address}} in {{.Field}} is not a valid email address",
			"Check for typos; an address looks like ann@example.com")
	}
	// RFC 5321 4.5.3.1: a local part of 64 octets, a path of 256 with its
	// angle brackets. A longer address cannot be delivered, nor written on
	// a header line.
	local, _, _ := strings.Cut(parsed.Address, "@")
	if len(parsed.Address) > maxAddress || len(local) > maxLocalPart {
		return "", advice.Keyed(fmt.Errorf("%w: %d octets", ErrInvalidAddress, len(parsed.Address)), "mail.address_too_long",
			advice.Data{"Field": advice.Label(field), "Max": maxAddress, "MaxLocal": maxLocalPart},
			"an address in {{.Field}} is too long to be an email address",
			"An address has at most {{.Max}} characters, and at most {{.MaxLocal}} before the @: check what was pasted there")
	}
	return parsed.Address, nil
}

// The longest address and local part SMTP carries (RFC 5321 4.5.3.1).
const (
	maxAddress   = 254
	maxLocalPart = 64
)

func injection(field string) error {
	return advice.Keyed(ErrHeaderInjection, "mail.line_break", advice.Data{"Field": advice.Label(field)},
		"the {{.Field}} field contains a line break", "Put it on one line")
}

// CheckAttachment checks that the file at p can be attached: a regular file
// (not a folder, a device or a pipe) that can be opened for reading (see
// openAttachment). It returns the file's size.
func CheckAttachment(p string) (int64, error) {
	f, size, err := openAttachment(p)
	switch {
	case errors.Is(err, localfile.ErrIsDir):
		return 0, advice.Keyed(ErrAttachment, "mail.attachment_folder", advice.Data{"Path": p},
			"{{.Path}} is a folder, and only files can be attached", "Attach the files inside it, or a zip archive of the folder")
	case errors.Is(err, localfile.ErrNotRegular):
		return 0, advice.Keyed(ErrAttachment, "mail.attachment_irregular", advice.Data{"Path": p},
			"{{.Path}} is not a regular file", "Attach a regular file")
	case err != nil:
		return 0, unreadable(p, err)
	}
	_ = f.Close()
	return size, nil
}

func unreadable(p string, err error) error {
	return advice.Keyed(fmt.Errorf("%w: %v", ErrAttachment, err), "mail.attachment_unreadable", advice.Data{"Path": p},
		"cannot read the attachment {{.Path}}", "Check that the file exists and that you may read it")
}

// EstimateSize estimates the size on the wire of a message with subject,
// body and attachments of the given sizes: headers, and each attachment grown
// by base64 encoding with its part headers.
func EstimateSize(subject, body string, attachmentSizes ...int64) int64 {
	n := int64(len(body)) + int64(len(subject)) + 2048
	for _, size := range attachmentSizes {
		n += google.WireSize(size) + 512
	}
	return n
}
