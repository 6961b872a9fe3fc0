package mail

import (
	"fmt"
	"strconv"
	"time"

	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/wneessen/go-mail/smtp"
)

// MaxRecipients is how many recipients (To, Cc and Bcc together) Gmail takes
// in one message, over SMTP and through the API (Google's Workspace sending
// limits). More are refused, and retrying does not help.
const MaxRecipients = 100

// checkRecipientCount refuses, in Check before any connection, a message
// with more recipients than Gmail takes.
func checkRecipientCount(n int) error {
	if n <= MaxRecipients {
		return nil
	}
	return withFacts(advice.Keyed(fmt.Errorf("%w: %d", ErrTooManyRecipients, n), "mail.too_many_recipients",
		advice.Data{"Count": n, "Max": MaxRecipients},
		"the message has {{.Count}} recipients, and Gmail takes at most {{.Max}} in one message",
		"Split the list into messages of at most {{.Max}} recipients each (To, Cc and Bcc count together)"),
		Failure{Kind: FailTooManyRecipients, Count: n})
}

// checkSize compares the message's encoded size with the SIZE the server
// advertised in its EHLO reply (Gmail: SIZE 35882577), before MAIL, so that
// not a byte of an oversized message is sent. A server that advertises no
// size, or SIZE 0, sets no limit here.
func checkSize(sc *smtp.Client, m Message, id string, date time.Time) error {
	limit := serverSize(sc)
	if limit == 0 {
		return nil
	}
	var n countWriter
	if err := WriteMessage(&n, m, id, date); err != nil {
		return err
	}
	return fitsServer(int64(n), limit)
}

// serverSize returns the SIZE the server advertised, 0 for none.
func serverSize(sc *smtp.Client) int64 {
	ok, param := sc.Extension("SIZE")
	if !ok {
		return 0
	}
	limit, err := strconv.ParseInt(param, 10, 64)
	if err != nil || limit <= 0 {
		return 0
	}
	return limit
}

// fitsServer refuses n bytes over the server's limit (0: none).
func fitsServer(n, limit int64) error {
	if limit == 0 || n <= limit {
		return nil
	}
	return withFacts(advice.Keyed(fmt.Errorf("%w: %d bytes, server limit %d", ErrTooBig, n, limit), "mail.too_big_for_server",
		advice.Data{"Size": megabytes(n), "Limit": megabytes(limit)},
		"the message is {{.Size}} once encoded, and the server takes at most {{.Limit}}",
		"Attachments grow by a third when encoded: remove some, or share big files as a link"),
		Failure{Kind: FailTooBigForServer, Size: n, Limit: limit})
}

// megabytes shows n bytes in MB with one decimal ("34.2 MB").
func megabytes(n int64) string {
	return strconv.FormatFloat(float64(n)/1e6, 'f', 1, 64) + " MB"
}
