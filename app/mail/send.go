package mail

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/internal/trust"
	gomail "github.com/wneessen/go-mail"
	"github.com/wneessen/go-mail/log"
	"github.com/wneessen/go-mail/smtp"
)

// defaultTimeout is the idle timeout: how long the server may stay silent, and
// how long a write may stall, before the send fails.
const defaultTimeout = 60 * time.Second

// Credential authenticates to the server: an app password (AUTH PLAIN) or an
// OAuth access token (AUTH XOAUTH2).
type Credential struct {
	Username string
	Password string
	Token    string
}

// Sender sends messages. The zero value is ready to use.
type Sender struct {
	// Timeout is the idle timeout (defaultTimeout, 60 s, when zero).
	Timeout time.Duration
	// RootCAs, when set, replaces the system roots (tests; SSL_CERT_FILE works
	// too). When nil, app/internal/trust's roots, read once per process, are used.
	RootCAs *x509.CertPool
}

// Result describes a finished SMTP session.
type Result struct {
	// MessageID is the Message-ID of the sent message, with angle brackets.
	MessageID string
	// Transcript is the SMTP dialogue (or the Gmail API request) with every
	// secret redacted.
	Transcript string
	// Transport says what delivered the message: TransportSMTP or TransportAPI.
	Transport string
	// Fallback, when its What is not empty, says why the Gmail API was used
	// instead of SMTP, e.g. "port 587 could not be reached".
	Fallback advice.Text
}

// Transports, as Result.Transport names them.
const (
	TransportSMTP = "SMTP"
	TransportAPI  = "Gmail API (HTTPS)"
)

// ErrUnreached marks a session that failed before the server sent a single
// byte: the connection was refused, timed out or was reset before the
// greeting. Nothing can have been delivered, so another way is safe to try.
var ErrUnreached = advice.Sentinel(advice.Failure, "no reply from the server")

// Send delivers the checked message through the server at ep. It returns
// once the server accepted the message. Cancelling ctx closes the connection
// at once. Errors are *advice.Error values explaining the server's reply; the
// redacted transcript is in the Result either way.
func (s *Sender) Send(ctx context.Context, ep Endpoint, cred Credential, c Checked) (Result, error) {
	if c.from == "" {
		return Result{}, errUnchecked
	}
	res := Result{MessageID: newMessageID(), Transport: TransportSMTP}
	err := s.session(ctx, ep, cred, func(sc *smtp.Client, lg log.Logger) error {
		return deliver(sc, lg, c, res.MessageID)
	}, &res)
	return res, err
}

// deliver runs MAIL, RCPT and DATA, streaming the message into DATA, after
// checking the message's size against the server's advertised SIZE;
// pipelined when the server allows it (pipeline.go). The envelope is the
// one Check found.
func deliver(sc *smtp.Client, lg log.Logger, c Checked, id string) error {
	m, from, rcpts := c.msg, c.from, c.rcpts
	date := time.Now()
	if err := checkSize(sc, m, id, date); err != nil {
		return err
	}
	if pipelines(sc) {
		return deliverPipelined(sc, lg, from, rcpts, func(w io.Writer) error { return WriteMessage(w, m, id, date) })
	}
	if err := sc.Mail("<" + from + ">"); err != nil {
		return err
	}
	for _, r := range rcpts {
		if err := sc.Rcpt("<" + r + ">"); err != nil {
			return err
		}
	}
	w, err := sc.Data()
	if err != nil {
		return err
	}
	if err := WriteMessage(w, m, id, date); err != nil {
		return err
	}
	return closeData(w)
}

// closeData ends DATA and reads the server's verdict. The whole message is
// out: a failure now, other than the server's own reply, leaves delivery
// uncertain (afterDataError).
func closeData(w io.WriteCloser) error {
	err := w.Close()
	var tp *textproto.Error
	if err == nil || errors.As(err, &tp) {
		return err
	}
	return &afterDataError{err: err}
}

// afterDataError is a failure after the end of DATA was sent.
type afterDataError struct{ err error }

func (e *afterDataError) Error() string { return "after the end of DATA: " + e.err.Error() }
func (e *afterDataError) Unwrap() error { return e.err }

// Verify logs in to the server at ep and logs out, proving the credential works.
func (s *Sender) Verify(ctx context.Context, ep Endpoint, cred Credential) (Result, error) {
	var res Result
	err := s.session(ctx, ep, cred, func(*smtp.Client, log.Logger) error { return nil }, &res)
	return res, err
}

func (s *Sender) session(ctx context.Context, ep Endpoint, cred Credential, work func(*smtp.Client, log.Logger) error, res *Result) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	red := newRedactor(cred)
	tr := newTranscript(red)
	defer func() { res.Transcript = tr.String() }()
	heard := new(atomic.Bool) // set once the server sent anything at all

	idle := s.idle()
	tlsConf := trust.TLSConfig(ep.Host, s.RootCAs)
	helo := helloName()
	d := &dialer{ctx: ctx, ep: ep, conf: tlsConf, idle: idle, heard: heard, helo: helo, tr: tr}
	var auth smtp.Auth = &plainAuth{user: cred.Username, pass: cred.Password, secure: &d.secure}
	xo := &xoauth2{user: cred.Username, token: cred.Token, secure: &d.secure}
	if cred.Token != "" {
		auth = xo
	}
	// The dialer hands go-mail a connection that is TLS already (see
	// startTLS), so go-mail's own STARTTLS is off; the auths check that TLS is up.
	opts := []gomail.Option{
		gomail.WithPort(ep.Port),
		gomail.WithTimeout(idle),
		gomail.WithTLSPolicy(gomail.NoTLS),
		gomail.WithHELO(helo),
		gomail.WithLogger(tr),
		gomail.WithDebugLog(),
		gomail.WithDialContextFunc(d.dial),
		gomail.WithoutNoop(), // a fresh connection needs no liveness check
		gomail.WithoutRset(), // nor a reset before QUIT
		gomail.WithSMTPAuthCustom(auth),
	}
	c, err := gomail.NewClient(ep.Host, opts...)
	if err != nil {
		return explain(ctx, ep, cred, err, nil)
	}
	sc, err := c.DialToSMTPClientWithContext(ctx)
	if err != nil {
		d.close() // go-mail leaves it open when EHLO or AUTH fails
		return unreached(explain(ctx, ep, cred, err, xo.challenge), heard.Load())
	}
	err = work(sc, tr)
	if err != nil {
		_ = sc.Close()
		return explain(ctx, ep, cred, err, nil)
	}
	_ = c.CloseWithSMTPClient(sc)
	return nil
}

// unreached adds ErrUnreached to a connection failure or timeout when the
// server never sent a byte. Anything else (a reply, a TLS failure, a
// cancellation) is returned as it is.
func unreached(err error, heard bool) error {
	var ae *advice.Error
	if heard || !errors.As(err, &ae) || !(errors.Is(err, ErrConnect) || errors.Is(err, ErrTimeout)) ||
		errors.Is(err, ErrTLS) || errors.Is(err, ErrMaybeSent) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	// The copy keeps the texts and their key, so the GUI can still translate them.
	out := *ae
	out.Err = fmt.Errorf("%w: %w", ErrUnreached, ae.Err)
	return &out
}

// dialer connects to ep and sets up TLS: from the first byte for smtps://,
// after the plain-text greeting, EHLO and STARTTLS for smtp:// (startTLS).
// It ties the connection to ctx so that cancelling it ends any read or write
// at once, and bounds every reply (replyConn) on the text go-mail reads.
type dialer struct {
	ctx   context.Context
	ep    Endpoint
	conf  *tls.Config
	idle  time.Duration
	heard *atomic.Bool
	helo  string
	tr    *transcript

	secure atomic.Bool // the TLS handshake succeeded
	mu     sync.Mutex
	conn   net.Conn // the last connection made, for close
}

func (d *dialer) dial(dctx context.Context, network, _ string) (net.Conn, error) {
	var nd net.Dialer // bounded: dctx carries go-mail's dial deadline (WithTimeout)
	raw, err := nd.DialContext(dctx, network, d.ep.Addr())
	if err != nil {
		return nil, err
	}
	conn := newIdleConn(raw, d.idle, d.heard)
	conn.stop = context.AfterFunc(d.ctx, func() { _ = raw.Close() })
	d.mu.Lock()
	d.conn = conn
	d.mu.Unlock()
	greeting := ""
	if !d.ep.ImplicitTLS {
		if err := startTLS(conn, d.helo, d.tr); err != nil {
			_ = conn.Close()
			return nil, err
		}
		greeting = tlsGreeting
	}
	tc := tls.Client(conn, d.conf)
	if err := tc.HandshakeContext(dctx); err != nil {
		_ = conn.Close()
		return nil, err
	}
	d.secure.Store(true)
	return newReplyConn(tc, greeting), nil
}

// close closes the last connection made, if any.
func (d *dialer) close() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.conn != nil {
		_ = d.conn.Close()
	}
}

// idleConn turns go-mail's fixed deadlines into timeouts that fit SMTP: every
// write gets idle time from its start, so a large attachment on a slow link
// is not cut off; every reply must be complete within idle of the command
// it answers (of the connection, for the greeting), so neither a silent
// server nor one that trickles its reply a byte at a time holds a send.
type idleConn struct {
	net.Conn
	idle  time.Duration
	stop  func() bool
	heard *atomic.Bool
	since atomic.Int64 // when the last write ended (Unix ns): reads end by since+idle
}

func newIdleConn(raw net.Conn, idle time.Duration, heard *atomic.Bool) *idleConn {
	c := &idleConn{Conn: raw, idle: idle, heard: heard}
	c.since.Store(time.Now().UnixNano())
	return c
}

func (c *idleConn) Read(b []byte) (int, error) {
	_ = c.Conn.SetReadDeadline(time.Unix(0, c.since.Load()).Add(c.idle))
	n, err := c.Conn.Read(b)
	if n > 0 {
		c.heard.Store(true)
	}
	return n, err
}

func (c *idleConn) Write(b []byte) (int, error) {
	_ = c.Conn.SetWriteDeadline(time.Now().Add(c.idle))
	n, err := c.Conn.Write(b)
	c.since.Store(time.Now().UnixNano())
	return n, err
}

func (c *idleConn) Close() error {
	if c.stop != nil {
		c.stop()
	}
	return c.Conn.Close()
}

func (c *idleConn) SetDeadline(time.Time) error      { return nil }
func (c *idleConn) SetReadDeadline(time.Time) error  { return nil }
func (c *idleConn) SetWriteDeadline(time.Time) error { return nil }

// errNoTLS stops an AUTH that would go out before TLS is up; the dialer
// never returns such a connection, so it cannot happen.
var errNoTLS = advice.Sentinel(advice.Failure, "refusing to authenticate without TLS")

// plainAuth is SASL PLAIN (RFC 4616) that sends the credential only once
// the dialer has set up TLS (go-mail cannot tell: it sees a wrapped
// connection).
type plainAuth struct {
	user, pass string
	secure     *atomic.Bool
}

func (a *plainAuth) Start(*smtp.ServerInfo) (string, []byte, error) {
	if !a.secure.Load() {
		return "", nil, errNoTLS
	}
	return "PLAIN", []byte("\x00" + a.user + "\x00" + a.pass), nil
}

func (a *plainAuth) Next(_ []byte, more bool) ([]byte, error) {
	if more {
		return nil, errors.New("unexpected server challenge to AUTH PLAIN")
	}
	return nil, nil
}

// xoauth2 is SASL XOAUTH2 that keeps Gmail's 334 challenge for explanation.
type xoauth2 struct {
	user, token string
	secure      *atomic.Bool
	challenge   []byte
}

func (a *xoauth2) Start(*smtp.ServerInfo) (string, []byte, error) {
	if !a.secure.Load() {
		return "", nil, errNoTLS
	}
	return "XOAUTH2", []byte("user=" + a.user + "\x01auth=Bearer " + a.token + "\x01\x01"), nil
}

// Next answers the error challenge with an empty line, as Gmail expects, to get
// the final reply.
func (a *xoauth2) Next(fromServer []byte, more bool) ([]byte, error) {
	if more {
		a.challenge = append([]byte(nil), fromServer...)
		return []byte{}, nil
	}
	return nil, nil
}
