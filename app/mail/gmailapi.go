package mail

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/google"
	"github.com/mailkey-app/mailkey/app/internal/trust"
)

// sendPath is the Gmail API's media upload endpoint for users.messages.send.
// It takes the raw RFC 5322 message as the request body, whatever its size.
const sendPath = "/upload/gmail/v1/users/me/messages/send?uploadType=media"

// ErrAPIDisabled means the Gmail API is not enabled in the OAuth client's
// Google Cloud project.
var ErrAPIDisabled = advice.Sentinel(advice.Failure, "the Gmail API is disabled")

// API says where the Gmail API is, for sending over HTTPS.
type API struct {
	// Base is the API's base URL ("" for google.DefaultAPIBase).
	Base string
	// ProjectID names the OAuth client's project, for the link that enables
	// the API ("" to use the project number of Google's answer).
	ProjectID string
}

// SendAPI delivers the checked message through the Gmail API
// (users.messages.send, media upload) with an OAuth access token. The
// message is streamed as the body. A 401 is ErrTokenRejected: Google refused
// the token before storing anything, so a caller may refresh it and try
// again. Gmail sets the Bcc recipients from the Bcc header, which the API
// needs and removes before delivery; it is not written into the message that
// SMTP gets.
func (s *Sender) SendAPI(ctx context.Context, api API, cred Credential, c Checked) (Result, error) {
	if c.from == "" {
		return Result{}, errUnchecked
	}
	m := c.msg
	res := Result{MessageID: newMessageID(), Transport: TransportAPI}
	date := time.Now()
	return s.postAPI(ctx, api, cred, res, func(w io.Writer) error { return writeAPIMessage(w, m, res.MessageID, date) })
}

// postAPI posts the message that write writes (twice: once to count its
// bytes) to users.messages.send.
func (s *Sender) postAPI(ctx context.Context, api API, cred Credential, res Result, write func(io.Writer) error) (Result, error) {
	base := strings.TrimRight(api.Base, "/")
	if base == "" {
		base = google.DefaultAPIBase
	}
	// A first pass counts the bytes, so that the request has a Content-Length
	// (the multipart boundary is random but of fixed length).
	var n countWriter
	if err := write(&n); err != nil {
		return res, err
	}
	pr, pw := io.Pipe()
	var written atomic.Bool // the whole message went out
	wrote := make(chan error, 1)
	go func() {
		err := write(pw)
		if err == nil {
			written.Store(true)
		}
		_ = pw.CloseWithError(err)
		wrote <- err
	}()
	// reqCtx also ends the request when the answer's body takes too long.
	reqCtx, stop := context.WithCancel(ctx)
	defer stop()
	req, err := http.NewRequestWithContext(reqCtx, http.MethodPost, base+sendPath, pr)
	if err != nil {
		_ = pr.Close()
		<-wrote
		return res, advice.Keyed(fmt.Errorf("%w: %v", ErrBadEndpoint, err), "mail.bad_api_url",
			advice.Data{"URL": strconv.Quote(api.Base), "Example": google.DefaultAPIBase},
			"{{.URL}} is not a Gmail API address",
			"Sign in again without --api, or give a URL such as {{.Example}}")
	}
	req.ContentLength = int64(n)
	req.Header.Set("Content-Type", "message/rfc822")
	req.Header.Set("Authorization", "Bearer "+cred.Token)
	req.Header.Set("Accept", "application/json")
	res.Transcript = fmt.Sprintf("POST %s (%d bytes, Authorization: Bearer <redacted>)\n", base+sendPath, int64(n))
	client := s.httpClient()
	defer client.CloseIdleConnections() // the transport is this send's own
	resp, err := client.Do(req)
	_ = pr.Close() // unblocks the writer when the server answered early
	writeErr := <-wrote
	if err != nil {
		var ae *advice.Error
		if errors.As(writeErr, &ae) { // an attachment could not be read
			return res, writeErr
		}
		return res, explainHTTP(ctx, base, err, written.Load())
	}
	defer resp.Body.Close()
	body, over, rerr := readAnswer(resp.Body, s.idle(), stop)
	res.Transcript += fmt.Sprintf("→ %s\n", advice.Printable(resp.Status, maxShownText))
	if resp.StatusCode/100 == 2 {
		var sent struct {
			ID       string   `json:"id"`
			ThreadID string   `json:"threadId"`
			LabelIDs []string `json:"labelIds"`
		}
		if rerr == nil {
			rerr = json.Unmarshal(body, &sent)
		}
		if rerr != nil || sent.ID == "" {
			// Gmail answered success: the message is sent even if the answer is odd.
			res.Transcript += "(unreadable answer; the status says sent)\n"
			return res, nil
		}
		res.Transcript += advice.Printable(fmt.Sprintf("id %s, thread %s, labels %s", sent.ID, sent.ThreadID, strings.Join(sent.LabelIDs, " ")), maxShownText) + "\n"
		return res, nil
	}
	// Google's answer may quote the request: the token must not show.
	body = []byte(newRedactor(cred).redact(string(body)))
	if over {
		res.Transcript += fmt.Sprintf("(answer longer than %d KiB; not read)\n", maxAPIAnswer>>10)
		return res, withFacts(answerTooLong(ExplainAPI(api, resp.StatusCode, nil)),
			Failure{Kind: FailAPI, Status: resp.StatusCode, Project: api.ProjectID, TooLong: true})
	}
	return res, ExplainAPI(api, resp.StatusCode, body)
}

// maxAPIAnswer bounds the Gmail API's answer that mailkey reads: a sent
// message's JSON is about 100 bytes, an error's a few KiB.
const maxAPIAnswer = 64 << 10

// ErrAPIAnswerTooLong means the Gmail API's answer was longer than
// mailkey reads; the error also carries what its status means.
var ErrAPIAnswerTooLong = advice.Sentinel(advice.Failure, "the Gmail API's answer is too long")

// readAnswer reads at most maxAPIAnswer bytes of body within idle, calling
// stop (which ends the request) when the time is up; over reports that the
// answer was longer.
func readAnswer(body io.Reader, idle time.Duration, stop func()) (b []byte, over bool, err error) {
	t := time.AfterFunc(idle, stop)
	defer t.Stop()
	b, err = io.ReadAll(io.LimitReader(body, maxAPIAnswer+1))
	if len(b) > maxAPIAnswer {
		return b[:maxAPIAnswer], true, err
	}
	return b, false, err
}

// answerTooLong wraps the explanation of an answer's status (still what the
// sentinels say) in the news that the answer itself was not read.
func answerTooLong(status error) error {
	return advice.Keyed(fmt.Errorf("%w: %w", ErrAPIAnswerTooLong, status), "mail.api_answer_too_long",
		advice.Data{"Limit": maxAPIAnswer >> 10, "Status": status},
		"the Gmail API sent an answer longer than {{.Limit}} KiB, which mailkey did not read ({{.Status}})",
		"Try again later; if it keeps happening, send over SMTP")
}

// writeAPIMessage writes the message for the API. Unlike SMTP, where Bcc
// recipients are only RCPT TO, the API learns every recipient from the
// headers; Gmail strips Bcc before delivering.
func writeAPIMessage(w io.Writer, m Message, id string, date time.Time) error {
	return writeMessageBcc(w, m, id, date, true)
}

type countWriter int64

func (c *countWriter) Write(p []byte) (int, error) { *c += countWriter(len(p)); return len(p), nil }

func (s *Sender) httpClient() *http.Client {
	tr := trust.Transport(s.RootCAs)
	idle := s.idle()
	tr.ResponseHeaderTimeout = idle
	// Every write must progress within idle, so that a server that stops
	// reading the upload cannot hold the send; readAnswer times the body.
	dialer := &net.Dialer{Timeout: idle}
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := dialer.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return newIdleConn(c, idle, new(atomic.Bool)), nil
	}
	// No total Timeout, which would cut a large upload on a slow link:
	// bounded: each write, the answer's header and its body have a deadline.
	return &http.Client{Transport: tr}
}

// idle is the idle timeout: Timeout, or defaultTimeout when zero.
func (s *Sender) idle() time.Duration {
	if s.Timeout <= 0 {
		return defaultTimeout
	}
	return s.Timeout
}

// explainHTTP explains a failed request: before the whole body was sent
// nothing was stored; after, the message may have been.
func explainHTTP(ctx context.Context, base string, err error, written bool) error {
	if ctxErr := ctx.Err(); ctxErr != nil && !written {
		if errors.Is(ctxErr, context.DeadlineExceeded) {
			return withFacts(sendTimeout(ctxErr), Failure{Kind: FailSendTimeout})
		}
		return ctxErr
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	host := base
	if u, perr := url.Parse(base); perr == nil && u.Host != "" {
		host = u.Host
	}
	var netErr net.Error
	var dnsErr *net.DNSError
	kind := FailAPIUnreachable
	switch {
	case written:
		kind = FailAPIMaybeSent
	case errors.As(err, &dnsErr):
		kind = FailAPIHostNotFound
	case errors.As(err, &netErr) && netErr.Timeout():
		kind = FailAPISilent
	}
	return withFacts(explainAPINetwork(kind, host, err), Failure{Kind: kind, Host: host})
}

// explainAPINetwork words a failed request to the Gmail API at host
// (explainHTTP's kinds); err is the request's error.
func explainAPINetwork(kind, host string, err error) error {
	switch kind {
	case FailAPIMaybeSent:
		return advice.Keyed(fmt.Errorf("%w: %v", ErrMaybeSent, err), "mail.api_maybe_sent", nil,
			"the connection to the Gmail API failed after the whole message was sent, so it may have been delivered",
			"Look in your Sent folder before you send it again")
	case FailAPIHostNotFound:
		return advice.Keyed(fmt.Errorf("%w: %v", ErrConnect, err), "mail.api_host_not_found", advice.Data{"Host": host},
			"cannot find the Gmail API server {{.Host}}",
			"Check your internet connection")
	case FailAPISilent:
		return advice.Keyed(fmt.Errorf("%w: %v", ErrTimeout, err), "mail.api_silent", advice.Data{"Host": host},
			"the Gmail API at {{.Host}} stopped answering",
			"Check your connection and try again")
	}
	return advice.Keyed(fmt.Errorf("%w: %v", ErrConnect, err), "mail.api_unreachable", advice.Data{"Host": host},
		"cannot reach the Gmail API at {{.Host}}",
		"Check your internet connection and try again")
}

// ExplainAPI turns a Gmail API error answer (its HTTP status and body) into
// advice.
func ExplainAPI(api API, status int, body []byte) error {
	// An answer without Google's JSON parses to the zero APIError, which has
	// no reasons: only the status decides then.
	ae, _ := google.ParseAPIError(body)
	ae.Message = advice.Printable(ae.Message, maxReplyText)
	return withFacts(explainAPIAnswer(api, status, ae), Failure{Kind: FailAPI, Status: status, API: &ae, Project: api.ProjectID})
}

// explainAPIAnswer explains the Gmail API's answer: its status and Google's
// error (its message made printable already).
func explainAPIAnswer(api API, status int, ae google.APIError) error {
	wire := fmt.Sprintf("%d %s", status, http.StatusText(status))
	if ae.Message != "" {
		wire += ": " + ae.Message
	}
	if err := explainAPIAccess(api, ae, status, wire); err != nil {
		return err
	}
	return explainAPIRefusal(ae, status, wire)
}

// explainAPIAccess explains the answers that refuse the project or the
// sign-in, or returns nil.
func explainAPIAccess(api API, ae google.APIError, status int, wire string) error {
	switch {
	case ae.ServiceDisabled():
		return apiDisabled(api, ae, status)
	case ae.ScopeInsufficient():
		return advice.Keyed(fmt.Errorf("%w: insufficient scope", ErrTokenRejected), "mail.api_scope_missing",
			advice.Data{"Reply": wire},
			"Google refused the send: this sign-in lacks the Gmail permission ({{.Reply}})",
			"Sign in again and allow mailkey to use Gmail")
	case status == http.StatusUnauthorized:
		return advice.Keyed(fmt.Errorf("%w: Gmail API %d", ErrTokenRejected, status), "mail.api_token_rejected",
			advice.Data{"Reply": wire},
			"the Gmail API refused the sign-in token ({{.Reply}})", "Sign in again")
	}
	return nil
}

// explainAPIRefusal explains the answers that refuse this message or say
// "not now".
func explainAPIRefusal(ae google.APIError, status int, wire string) error {
	switch {
	case ae.Has("rateLimitExceeded") && strings.Contains(ae.Message, "(Mail sending)"):
		return apiDailyLimit(ae, status, wire)
	case status == http.StatusTooManyRequests || ae.Has("rateLimitExceeded") || ae.Has("userRateLimitExceeded"):
		return advice.Keyed(fmt.Errorf("%w: %d", ErrRateLimited, status), "mail.api_rate_limited", advice.Data{"Reply": wire},
			"Gmail is limiting sending for now ({{.Reply}})",
			"Wait a few minutes and try again")
	case ae.Has("failedPrecondition") && strings.Contains(strings.ToLower(ae.Message), "mail service not enabled"):
		return advice.Keyed(fmt.Errorf("%w: %d", ErrNoMailbox, status), "mail.api_no_mailbox", advice.Data{"Reply": wire},
			"this Google account has no Gmail mailbox ({{.Reply}})",
			"Sign in with an account that has Gmail, or turn Gmail on for it (a Workspace admin does that in the Admin console)")
	case status == http.StatusRequestEntityTooLarge:
		return advice.Keyed(fmt.Errorf("%w: %d", ErrTooBig, status), "mail.too_big", advice.Data{"Reply": wire},
			"the message is too big for Gmail ({{.Reply}})",
			"Keep attachments under about 25 MB in all: encoding for mail grows them by a third, to about 34 MB, and Gmail takes at most 35.9 MB encoded")
	case status >= 500:
		return advice.Keyed(fmt.Errorf("%w: %d", ErrTemporary, status), "mail.api_temporary", advice.Data{"Reply": wire},
			"the Gmail API had a temporary problem ({{.Reply}})",
			"Try again in a few minutes")
	}
	return advice.Keyed(fmt.Errorf("%w: %d", ErrRejected, status), "mail.api_rejected", advice.Data{"Reply": wire},
		"the Gmail API refused the message ({{.Reply}})",
		"Check the addresses and the message, then try again")
}

// ErrNoMailbox means the Google account has no Gmail mailbox: the Gmail API
// answers "Mail service not enabled".
var ErrNoMailbox = advice.Sentinel(advice.Failure, "no Gmail mailbox")

// apiDisabled explains an API turned off in the project, with the link
// Google gave (its activationUrl) when it is one of Google's consoles.
func apiDisabled(api API, ae google.APIError, status int) error {
	project := api.ProjectID
	if project == "" {
		project = ae.ProjectNumber()
	}
	err, link := fmt.Errorf("%w: %d", ErrAPIDisabled, status), ActivationLink(ae, project)
	if project == "" {
		return advice.Keyed(err, "mail.api_disabled", advice.Data{"URL": link},
			"the Gmail API is turned off in your Google Cloud project",
			"Enable it at {{.URL}}, wait a few minutes for it to take effect, then send again; or send over SMTP")
	}
	return advice.Keyed(err, "mail.api_disabled_in_project",
		advice.Data{"Project": project, "URL": link},
		"the Gmail API is turned off in your Google Cloud project ({{.Project}})",
		"Enable it at {{.URL}}, wait a few minutes for it to take effect, then send again; or send over SMTP")
}

// ActivationLink returns the page that turns the Gmail API on: the
// activationUrl of Google's answer when it is an https link to Google's
// console, else the console's page for project.
func ActivationLink(ae google.APIError, project string) string {
	if u, err := url.Parse(ae.ActivationURL); err == nil && u.Scheme == "https" && u.User == nil &&
		(u.Host == "console.developers.google.com" || u.Host == "console.cloud.google.com") {
		return u.String()
	}
	return google.GmailAPILink(project)
}

// retryAfterRE finds the time in Gmail's "Retry after 2026-12-01T14:32:07.412Z".
var retryAfterRE = regexp.MustCompile(`Retry after (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z)`)

// apiDailyLimit explains Gmail's daily sending limit, with the time it ends
// in local time when Google gave it.
func apiDailyLimit(ae google.APIError, status int, wire string) error {
	err := fmt.Errorf("%w: %d", ErrDailyLimit, status)
	if m := retryAfterRE.FindStringSubmatch(ae.Message); m != nil {
		if t, perr := time.Parse(time.RFC3339Nano, m[1]); perr == nil {
			return advice.Keyed(err, "mail.api_daily_limit_until",
				advice.Data{"Reply": wire, "Time": t.Local().Format("2006-01-02 15:04 MST")},
				"Gmail's daily sending limit is reached ({{.Reply}})",
				"Gmail takes mail from this account again after {{.Time}} (your time); a free account may send about 500 messages a day")
		}
	}
	return advice.Keyed(err, "mail.api_daily_limit", advice.Data{"Reply": wire},
		"Gmail's daily sending limit is reached ({{.Reply}})",
		"Wait up to 24 hours; a free account may send about 500 messages a day")
}
