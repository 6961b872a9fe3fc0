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
	"sync/atomic"
	"time"

	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/internal/trust"
	gomail "github.com/wneessen/go-mail"
	"github.com/wneessen/go-mail/log"
	"github.com/wneessen/go-mail/smtp"
)

// DefaultTimeout is the idle timeout: how long the server may stay silent, and
// how long a write may stall, before the send fails.
const DefaultTimeout = 60 * time.Second

// Credential authenticates to the server: an app password (AUTH PLAIN) or an
// OAuth access token (AUTH XOAUTH2).
type Credential struct {
	Username string
	Password string
	Token    string
}

func (c Credential) secret() string {
	if c.Token != "" {
		return c.Token
	}
	return c.Password
}

// Sender sends messages. The zero value is ready to use.
type Sender struct {
	// Timeout is the idle timeout (DefaultTimeout when zero).
	Timeout time.Duration
	// RootCAs, when set, replaces the system roots (tests; SSL_CERT_FILE works
	// too). When nil, trust.Pool's roots, read once per process, are used.
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
var ErrUnreached = errors.New("no reply from the server")

// Send delivers m through the server at ep. It returns once the server accepted
// the message. Cancelling ctx closes the connection at once. Errors are
// *advice.Error values explaining the server's reply; the redacted transcript is
// in the Result either way.
func (s *Sender) Send(ctx context.Context, ep Endpoint, cred Credential, m Message) (Result, error) {
	if err := m.Validate(); err != nil {
		return Result{}, err
	}
	res := Result{MessageID: newMessageID(), Transport: TransportSMTP}
	err := s.session(ctx, ep, cred, func(sc *smtp.Client, lg log.Logger) error {
		return deliver(sc, lg, m, res.MessageID)
	}, &res)
	return res, err
}

// deliver runs MAIL, RCPT and DATA, streaming the message into DATA;
// pipelined when the server allows it (pipeline.go).
func deliver(sc *smtp.Client, lg log.Logger, m Message, id string) error {
	from, rcpts, err := envelope(m)
	if err != nil {
		return err
	}
	if pipelines(sc) {
		return deliverPipelined(sc, lg, from, rcpts, func(w io.Writer) error { return writeMessage(w, m, id, time.Now()) })
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
	if err := writeMessage(w, m, id, time.Now()); err != nil {
		return err
	}
	// The whole message is out: a failure now, other than the server's own
	// reply, leaves delivery uncertain.
	if err := w.Close(); err != nil {
		var tp *textproto.Error
		if errors.As(err, &tp) {
			return err
		}
		return &afterDataError{err: err}
	}
	return nil
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
	tr := newTranscript(cred)
	defer func() { res.Transcript = tr.String() }()
	heard := new(atomic.Bool) // set once the server sent anything at all

	auth := &xoauth2{user: cred.Username, token: cred.Token}
	idle := s.Timeout
	if idle <= 0 {
		idle = DefaultTimeout
	}
	tlsConf := trust.TLSConfig(ep.Host, s.RootCAs)
	opts := []gomail.Option{
		gomail.WithPort(ep.Port),
		gomail.WithTimeout(idle),
		gomail.WithTLSConfig(tlsConf),
		gomail.WithTLSPortPolicy(gomail.TLSMandatory),
		gomail.WithLogger(tr),
		gomail.WithDebugLog(),
		gomail.WithDialContextFunc(dialer(ctx, ep, tlsConf, idle, heard)),
		gomail.WithoutNoop(), // a fresh connection needs no liveness check
		gomail.WithoutRset(), // nor a reset before QUIT
	}
	if ep.ImplicitTLS {
		opts = append(opts, gomail.WithSSL())
	}
	if cred.Token != "" {
		opts = append(opts, gomail.WithSMTPAuthCustom(auth))
	} else {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthPlain),
			gomail.WithUsername(cred.Username), gomail.WithPassword(cred.Password))
	}
	c, err := gomail.NewClient(ep.Host, opts...)
	if err != nil {
		return explain(ctx, ep, cred, err, nil)
	}
	sc, err := c.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return unreached(explain(ctx, ep, cred, err, auth.challenge), heard.Load())
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

// dialer connects to ep (with TLS from the start for smtps), and ties the
// connection to ctx so that cancelling it ends any read or write at once.
func dialer(ctx context.Context, ep Endpoint, conf *tls.Config, idle time.Duration, heard *atomic.Bool) gomail.DialContextFunc {
	return func(dctx context.Context, network, addr string) (net.Conn, error) {
		var d net.Dialer
		raw, err := d.DialContext(dctx, network, addr)
		if err != nil {
			return nil, err
		}
		conn := &idleConn{Conn: raw, idle: idle, heard: heard}
		stop := context.AfterFunc(ctx, func() { _ = raw.Close() })
		conn.stop = stop
		if !ep.ImplicitTLS {
			return conn, nil
		}
		tc := tls.Client(conn, conf)
		if err := tc.HandshakeContext(dctx); err != nil {
			_ = conn.Close()
			return nil, err
		}
		return tc, nil
	}
}

// idleConn turns go-mail's fixed deadlines into an idle timeout: every read and
// write gets idle time from its start, so a large attachment on a slow link is
// not cut off while a silent server still is.
type idleConn struct {
	net.Conn
	idle  time.Duration
	stop  func() bool
	heard *atomic.Bool
}

func (c *idleConn) Read(b []byte) (int, error) {
	_ = c.Conn.SetReadDeadline(time.Now().Add(c.idle))
	n, err := c.Conn.Read(b)
	if n > 0 {
		c.heard.Store(true)
	}
	return n, err
}

func (c *idleConn) Write(b []byte) (int, error) {
	_ = c.Conn.SetWriteDeadline(time.Now().Add(c.idle))
	return c.Conn.Write(b)
}

func (c *idleConn) Close() error {
	c.stop()
	return c.Conn.Close()
}

func (c *idleConn) SetDeadline(time.Time) error      { return nil }
func (c *idleConn) SetReadDeadline(time.Time) error  { return nil }
func (c *idleConn) SetWriteDeadline(time.Time) error { return nil }

// xoauth2 is SASL XOAUTH2 that keeps Gmail's 334 challenge for explanation.
type xoauth2 struct {
	user, token string
	challenge   []byte
}

func (a *xoauth2) Start(*smtp.ServerInfo) (string, []byte, error) {
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
