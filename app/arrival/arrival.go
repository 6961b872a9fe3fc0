// Package arrival proves that a sent message arrived: it looks for the
// message by its Message-ID in the account's own mailbox, through the Gmail
// API (OAuth accounts) or IMAP (app-password accounts), until it shows up or
// the time is over, and says where it landed: Inbox, Spam or nowhere yet.
package arrival

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"time"

	"github.com/mailkey-app/mailkey/app/advice"
)

// Place is where a message was found.
type Place string

// Places. NotFound means the message did not show up in time.
const (
	Inbox    Place = "inbox"
	Spam     Place = "spam"
	Other    Place = "other" // in the mailbox, but neither in the Inbox nor in Spam (e.g. archived by a filter)
	NotFound Place = "not-found"
)

// DefaultTimeout is how long Wait looks for a message.
const DefaultTimeout = 60 * time.Second

// DefaultPoll is the pause between two looks.
const DefaultPoll = 2 * time.Second

// Found is what one look found about a message.
type Found struct {
	Place Place
	// Labels are the Gmail labels (API) or the folder (IMAP) it was found in.
	Labels []string
	// AuthResults is the raw Authentication-Results header, sanitised ("" when absent).
	AuthResults string
}

// Finder looks once for a message by its Message-ID (angle brackets
// included); ok is false when it is not (yet) in the mailbox.
type Finder interface {
	Find(ctx context.Context, messageID string) (f Found, ok bool, err error)
}

// Result is where the message landed and how long it took.
type Result struct {
	Place Place `json:"place"`
	// After is the time from the send to the look that found it (or the
	// time spent looking, for NotFound).
	After time.Duration `json:"-"`
	// Method names how the mailbox was read: "gmail-api" or "imap".
	Method string   `json:"method"`
	Labels []string `json:"labels,omitempty"`
	Auth   Auth     `json:"auth"`
}

// Auth holds the SPF, DKIM and DMARC verdicts of an Authentication-Results
// header ("pass", "fail", "softfail", "none"…; "" when the header lacks one).
type Auth struct {
	SPF   string `json:"spf,omitempty"`
	DKIM  string `json:"dkim,omitempty"`
	DMARC string `json:"dmarc,omitempty"`
}

// Any reports whether the header gave any verdict.
func (a Auth) Any() bool { return a.SPF != "" || a.DKIM != "" || a.DMARC != "" }

// String renders the verdicts as "SPF pass, DKIM pass, DMARC pass".
func (a Auth) String() string {
	var parts []string
	for _, p := range []struct{ name, v string }{{"SPF", a.SPF}, {"DKIM", a.DKIM}, {"DMARC", a.DMARC}} {
		if p.v != "" {
			parts = append(parts, p.name+" "+p.v)
		}
	}
	return strings.Join(parts, ", ")
}

// verdict matches "spf=pass" in an Authentication-Results header (RFC 8601
// §2.2: method "=" result).
var verdict = regexp.MustCompile(`(?i)(?:^|[;\s])(spf|dkim|dmarc)\s*=\s*([a-z]+)`)

// parseAuth reads the first SPF, DKIM and DMARC verdicts of an
// Authentication-Results header; comments in parentheses are ignored.
func parseAuth(header string) Auth {
	var a Auth
	for _, m := range verdict.FindAllStringSubmatch(stripComments(header), -1) {
		v := strings.ToLower(m[2])
		switch strings.ToLower(m[1]) {
		case "spf":
			a.SPF = first(a.SPF, v)
		case "dkim":
			a.DKIM = first(a.DKIM, v)
		case "dmarc":
			a.DMARC = first(a.DMARC, v)
		}
	}
	return a
}

func first(have, v string) string {
	if have != "" {
		return have
	}
	return v
}

// stripComments removes (nested) parenthesised comments, which may contain
// text like "spf=pass" that is not a verdict.
func stripComments(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch {
		case r == '(':
			depth++
		case r == ')' && depth > 0:
			depth--
			if depth == 0 {
				b.WriteByte(' ')
			}
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Wait looks for messageID with f every poll until it is found or timeout
// has passed since sent. A message found outside Spam and the Inbox is
// looked for again until the time is over, in case Gmail files it yet.
// Errors of one look are retried, but for a refused login or request; the
// last is returned with NotFound when no look ever succeeded.
func Wait(ctx context.Context, f Finder, messageID string, sent time.Time, timeout, poll time.Duration, now func() time.Time) (Result, error) {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	if poll <= 0 {
		poll = DefaultPoll
	}
	deadline := sent.Add(timeout)
	var lastErr error
	succeeded := false
	for {
		lookCtx, cancel := context.WithDeadline(ctx, deadline.Add(poll))
		found, ok, err := f.Find(lookCtx, messageID)
		cancel()
		at := now()
		switch {
		case permanent(err):
			return Result{Place: NotFound, After: at.Sub(sent)}, err
		case err != nil:
			lastErr = err
		case ok:
			succeeded = true
			if found.Place == Inbox || found.Place == Spam || !at.Before(deadline) {
				return Result{Place: found.Place, After: at.Sub(sent), Labels: found.Labels, Auth: parseAuth(found.AuthResults)}, nil
			}
		default:
			succeeded = true
		}
		if ctx.Err() != nil {
			return Result{Place: NotFound, After: at.Sub(sent)}, ctx.Err()
		}
		if !at.Before(deadline) {
			return notFound(at.Sub(sent), succeeded, lastErr)
		}
		t := time.NewTimer(min(poll, deadline.Sub(at)))
		select {
		case <-ctx.Done():
			t.Stop()
			return Result{Place: NotFound, After: now().Sub(sent)}, ctx.Err()
		case <-t.C:
		}
	}
}

// notFound ends a wait that found no usable copy: with the last error
// when no look succeeded.
func notFound(after time.Duration, succeeded bool, lastErr error) (Result, error) {
	if !succeeded && lastErr != nil {
		return Result{Place: NotFound, After: after}, lastErr
	}
	return Result{Place: NotFound, After: after}, nil
}

// permanent reports whether looking again cannot help: the mailbox refused
// the login or the request, or its address is unusable.
func permanent(err error) bool {
	return errors.Is(err, ErrIMAPLogin) || errors.Is(err, ErrRefused) || errors.Is(err, ErrBadIMAPURL)
}

// ErrLook means the mailbox could not be read.
var ErrLook = advice.Sentinel(advice.Failure, "cannot read the mailbox")

// seconds is d in seconds, shown with one decimal: "2.4" in English, and
// with the language's decimal mark in a translation ("2,4" in French).
func seconds(d time.Duration) advice.Decimal { return advice.Decimal(d.Seconds()) }

// Text says where the message landed and what to do, for a person; timeout
// is how long it was looked for.
func (r Result) Text(timeout time.Duration) advice.Text {
	switch r.Place {
	case Inbox:
		return advice.Explain("arrival.inbox", advice.Data{"Seconds": seconds(r.After)},
			"arrived in your Inbox after {{.Seconds}} s", "")
	case Spam:
		return advice.Explain("arrival.spam", advice.Data{"Seconds": seconds(r.After)},
			"landed in Spam after {{.Seconds}} s",
			"Open it in Gmail and click Not spam; mail you send from this account to others may be filtered too, "+
				"so check the SPF, DKIM and DMARC results below and send to a second address to compare")
	case Other:
		return advice.Explain("arrival.other", advice.Data{"Labels": strings.Join(r.Labels, ", ")},
			"arrived, but not in the Inbox (labels: {{.Labels}})",
			"A Gmail filter probably moved it: check Settings → Filters and Blocked Addresses")
	}
	return advice.Explain("arrival.not_found", advice.Data{"Timeout": timeout},
		"not found in your mailbox after {{.Timeout}}",
		"Gmail may still be delivering it: look again in a few minutes. Otherwise check All Mail and Spam, "+
			"the filters that delete or forward mail, and that the address you sent to is this account's")
}

// AuthText says the SPF, DKIM and DMARC results, or "" when none.
func (r Result) AuthText() advice.Text {
	if !r.Auth.Any() {
		return advice.Text{}
	}
	return advice.Explain("arrival.auth", advice.Data{"Results": r.Auth.String()}, "authentication: {{.Results}}", "")
}

// clean makes server text safe to show (advice.Printable), at most 300
// characters.
func clean(s string) string {
	return advice.Printable(s, 300)
}
