package oauth

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync/atomic"
	"time"

	"github.com/mailkey-app/mailkey/app/internal/trust"
	"golang.org/x/oauth2"
)

// defaultTokenTimeout bounds each request to the token endpoint, from the
// connection to the last byte of the answer. Google answers in well under a
// second; 30 s leaves room for a slow link.
const defaultTokenTimeout = 30 * time.Second

// maxTokenReply is the most mailkey reads of a token endpoint's answer.
// Google's are about 2 KB (an ID token is about 1 KB); x/oauth2 would read
// up to 1 MB, which no genuine answer comes near.
const maxTokenReply = 64 << 10

// Parts of the connection to the token endpoint, each bounded on its own so
// that a stall is reported early; the whole request is bounded by the token
// timeout.
const (
	dialTimeout      = 10 * time.Second
	handshakeTimeout = 10 * time.Second
)

var tokenTimeout atomic.Int64

func init() { tokenTimeout.Store(int64(defaultTokenTimeout)) }

// SetTokenTimeout sets how long a request to the token endpoint may take
// (30 s when d <= 0: defaultTokenTimeout) and returns the previous value. Tests use
// it to see a stall quickly.
func SetTokenTimeout(d time.Duration) time.Duration {
	if d <= 0 {
		d = defaultTokenTimeout
	}
	return time.Duration(tokenTimeout.Swap(int64(d)))
}

// TokenTimeout returns the bound on one request to the token endpoint.
func TokenTimeout() time.Duration { return time.Duration(tokenTimeout.Load()) }

// endpoint describes the token endpoint of one call, for messages.
type endpoint struct {
	host    string
	timeout time.Duration
}

// endpointOf describes tokenURL for a call under ctx: the call is bounded by
// TokenTimeout, or by ctx's deadline when that comes first.
func endpointOf(ctx context.Context, tokenURL string) endpoint {
	host := clean(tokenURL)
	if u, err := url.Parse(tokenURL); err == nil && u.Host != "" {
		host = u.Host
	}
	timeout := TokenTimeout()
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < timeout {
		timeout = max(time.Until(dl).Round(100*time.Millisecond), 100*time.Millisecond)
	}
	return endpoint{host: host, timeout: timeout}
}

// withClient returns ctx carrying the HTTP client x/oauth2 uses for the
// token endpoint: every part of the call has a deadline and the answer is
// read whole (at most maxTokenReply) before x/oauth2 sees it.
func withClient(ctx context.Context, ep endpoint) context.Context {
	return context.WithValue(ctx, oauth2.HTTPClient, newClient(ep.timeout))
}

func newClient(timeout time.Duration) *http.Client {
	tr := trust.Transport(nil) // the system roots, read once per process
	tr.DialContext = (&net.Dialer{Timeout: dialTimeout, KeepAlive: 30 * time.Second}).DialContext
	tr.TLSHandshakeTimeout = handshakeTimeout
	tr.ResponseHeaderTimeout = timeout
	tr.ExpectContinueTimeout = time.Second
	tr.MaxResponseHeaderBytes = 64 << 10
	tr.DisableKeepAlives = true // one request per client: no idle connection left behind
	return &http.Client{Timeout: timeout, Transport: boundedJSON{tr}}
}

// boundedJSON reads each answer whole, refusing one larger than
// maxTokenReply or one that is not JSON: Google's token endpoint answers JSON
// in every case, errors included (RFC 6749 §5.1 and §5.2).
type boundedJSON struct{ next http.RoundTripper }

func (b boundedJSON) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := b.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxTokenReply+1))
	if err != nil {
		return nil, err
	}
	if len(body) > maxTokenReply {
		return nil, &badReplyError{Status: statusText(resp.StatusCode), TooLarge: true}
	}
	if !json.Valid(body) {
		return nil, &badReplyError{Status: statusText(resp.StatusCode), ContentType: clean(resp.Header.Get("Content-Type"))}
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	return resp, nil
}

// badReplyError is an answer of the token endpoint that is not a token
// endpoint's JSON: an HTML page from a proxy or captive portal, or an answer
// too large to be one.
type badReplyError struct {
	Status      string
	ContentType string
	TooLarge    bool
}

func (e *badReplyError) Error() string {
	if e.TooLarge {
		return fmt.Sprintf("token endpoint answered more than %d bytes (%s)", maxTokenReply, e.Status)
	}
	return fmt.Sprintf("token endpoint answered %q, not JSON (%s)", e.ContentType, e.Status)
}

// stalled reports whether err is a deadline that passed: the client's, the
// connection's or the context's.
func stalled(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
