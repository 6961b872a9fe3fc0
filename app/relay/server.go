package relay

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	netmail "net/mail"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/mailkey-app/mailkey/app/mail"
	"github.com/mailkey-app/mailkey/app/queue"
	"github.com/mailkey-app/mailkey/app/sendmail"
)

// DefaultListen is where the relay listens unless told otherwise.
const DefaultListen = "127.0.0.1:2525"

// DefaultDir returns the relay's state dir (its certificate and status),
// beside the queue: $XDG_STATE_HOME/mailkey/relay.
func DefaultDir() (string, error) {
	dir, err := queue.DefaultDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(filepath.Dir(dir), "relay"), nil
}

// idleTimeout is how long a client may stay silent before it is disconnected.
const idleTimeout = 2 * time.Minute

// maxAuthFailures is how many wrong passwords a connection may try: the
// last of them ends the connection.
const maxAuthFailures = 3

// The relay's refusals. Where Gmail has a reply for the same case, the
// relay gives Gmail's (GOOGLE.md), so that a client sees the same reason it
// would see from smtp.gmail.com.
var (
	errAuthRequired = &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "Authentication Required."}
	errBadLogin     = &smtp.SMTPError{
		Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8},
		Message: "Username and relay password not accepted. Create one with 'mailkey relay add-password ADDRESS LABEL'",
	}
	errTooManyFailures = &smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCode{4, 7, 0}, Message: "Too many login attempts, closing"}
	errAuthUnavailable = &smtp.SMTPError{
		Code: 454, EnhancedCode: smtp.EnhancedCode{4, 7, 0},
		Message: "Temporary authentication failure: the keyring did not answer",
	}
	errTooManyRcpts = &smtp.SMTPError{Code: 452, EnhancedCode: smtp.EnhancedCode{4, 5, 3}, Message: "Your message has too many recipients."}
	errTooBig       = &smtp.SMTPError{
		Code: 552, EnhancedCode: smtp.EnhancedCode{5, 3, 4},
		Message: "Your message exceeded Google's message size limits.",
	}
	errNoSpace  = &smtp.SMTPError{Code: 452, EnhancedCode: smtp.EnhancedCode{4, 3, 1}, Message: "Insufficient system storage: the disk holding the queue is full"}
	errQueue    = &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Local error: the message could not be queued"}
	errBadRcpt  = &smtp.SMTPError{Code: 553, EnhancedCode: smtp.EnhancedCode{5, 1, 3}, Message: "Invalid recipient address"}
	errNoRcpt   = &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 5, 1}, Message: "No valid recipients"}
	errNotYours = func(addr, account string) error {
		return &smtp.SMTPError{
			Code: 553, EnhancedCode: smtp.EnhancedCode{5, 7, 1},
			Message: fmt.Sprintf("Sender %s refused: this login may send only as %s or its verified Send mail as addresses", sanitize(addr), account),
		}
	}
	errAccountGone = &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Local error: the account cannot be read"}
)

// Server is the relay: a submission server that queues what logged-in
// clients send, and a deliverer that sends the queue.
type Server struct {
	Engine    *engine.Engine
	Queue     *queue.Queue
	Passwords *Passwords
	Cert      Certificate
	// Log receives one line per accepted message, delivery pass and failure.
	Log *log.Logger
	// Poll is how often the queue is looked at when nothing is due (to
	// notice a sign-in made by another process); 30 seconds when zero.
	Poll time.Duration
	// IdleTimeout is how long a client may stay silent (idleTimeout, two
	// minutes, when zero); DataTimeout bounds the reading of one message
	// however steady (dataTimeout, 30 minutes, when zero).
	IdleTimeout, DataTimeout time.Duration

	kick chan struct{}
	// busy bounds the messages read at once (each may take 35 MB of memory).
	busy chan struct{}
}

// maxReading is how many messages the relay reads at once; more clients wait.
const maxReading = 8

// Loopback reports whether addr (host:port) listens on the loopback only.
func Loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Serve runs the relay on l until ctx ends. On a listener beyond the
// loopback, AUTH (and so mail) needs STARTTLS first.
func (s *Server) Serve(ctx context.Context, l net.Listener) error {
	if s.Log == nil {
		s.Log = log.New(io.Discard, "", 0)
	}
	s.kick = make(chan struct{}, 1)
	s.busy = make(chan struct{}, maxReading)
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{s: s, conn: c, ctx: ctx}, nil
	}))
	srv.Domain = "mailkey-relay"
	srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{s.Cert.TLS}, MinVersion: tls.VersionTLS12}
	srv.AllowInsecureAuth = Loopback(l.Addr().String())
	srv.MaxMessageBytes = mail.MaxRawBytes
	srv.ReadTimeout, srv.WriteTimeout = idleTimeout, idleTimeout
	srv.ErrorLog = s.Log

	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		poll := s.Poll
		if poll <= 0 {
			poll = 30 * time.Second
		}
		s.Queue.Run(ctx, s.Engine, s.kick, poll, s.reportPass)
	}()
	go func() {
		defer wg.Done()
		<-ctx.Done()
		_ = srv.Close()
	}()
	idle, data := s.IdleTimeout, s.DataTimeout
	if idle <= 0 {
		idle = idleTimeout
	}
	if data <= 0 {
		data = dataTimeout
	}
	err := srv.Serve(listener{Listener: l, idle: idle, data: data})
	if ctx.Err() != nil {
		err = nil
	}
	wg.Wait()
	return err
}

func (s *Server) reportPass(sum queue.Summary, err error) {
	for _, d := range sum.Damaged {
		s.Log.Printf("%v", d.Explain(s.Queue.Dir()))
	}
	if err != nil {
		s.Log.Printf("delivery stopped: %v", err)
		return
	}
	if sum.Sent+sum.Queued+sum.Held+sum.Failed > 0 {
		s.Log.Printf("queue: sent %d, waiting %d, held for sign-in %d, failed %d", sum.Sent, sum.Queued, sum.Held, sum.Failed)
	}
}

// session is one client connection.
type session struct {
	s       *Server
	conn    *smtp.Conn
	ctx     context.Context
	account string // set by a successful AUTH
	label   string
	fails   int
	from    string
	to      []string
}

// AuthMechanisms implements smtp.AuthSession.
func (ss *session) AuthMechanisms() []string { return []string{sasl.Plain, sasl.Login} }

// Auth implements smtp.AuthSession.
func (ss *session) Auth(mech string) (sasl.Server, error) {
	switch mech {
	case sasl.Plain:
		return sasl.NewPlainServer(func(identity, user, pass string) error {
			if identity != "" && !strings.EqualFold(identity, user) {
				return errBadLogin
			}
			return ss.login(user, pass)
		}), nil
	case sasl.Login:
		return &loginServer{auth: ss.login}, nil
	}
	return nil, smtp.ErrAuthUnknownMechanism
}

func (ss *session) login(user, pass string) error {
	if ss.fails >= maxAuthFailures { // the connection is being closed
		return errTooManyFailures
	}
	ctx, cancel := context.WithTimeout(ss.ctx, 30*time.Second)
	defer cancel()
	e, err := ss.s.Passwords.Check(ctx, strings.TrimSpace(user), pass)
	if err == nil {
		_, err = ss.s.Engine.Account(e.Account) // the account may be gone
		if err != nil {
			err = ErrLoginRefused
		}
	}
	if errors.Is(err, ErrLoginRefused) {
		ss.fails++
		ss.s.Log.Printf("refused a login as %s from %s", sanitize(user), ss.conn.Conn().RemoteAddr())
		time.Sleep(time.Duration(ss.fails) * 500 * time.Millisecond) // slows guessing down
		if ss.fails >= maxAuthFailures {
			if ic := idleConnOf(ss.conn.Conn()); ic != nil {
				ic.endAfterReply()
			} else {
				_ = ss.conn.Conn().Close()
			}
			return errTooManyFailures
		}
		return errBadLogin
	}
	if err != nil {
		ss.s.Log.Printf("cannot check a relay password: %v", err)
		return errAuthUnavailable
	}
	ss.account, ss.label = e.Account, e.Label
	return nil
}

// Mail implements smtp.Session.
func (ss *session) Mail(from string, opts *smtp.MailOptions) error {
	if ss.account == "" {
		return errAuthRequired
	}
	if err := ss.mayUse(from); err != nil {
		return err
	}
	if opts != nil && opts.Size > mail.MaxRawBytes {
		return errTooBig
	}
	ss.from, ss.to = from, nil
	return nil
}

// mayUse refuses a sender that is neither the logged-in account nor one of
// its verified Send mail as aliases (read afresh: a sign-in made meanwhile
// may have added one), and logs why, as Gmail would rewrite it.
func (ss *session) mayUse(from string) error {
	in, err := ss.s.Engine.Account(ss.account)
	a := in.Account
	if err != nil {
		ss.s.Log.Printf("cannot read the account %s: %v", ss.account, err)
		return errAccountGone
	}
	check, warn := engine.CheckFrom(a, from)
	if check == engine.FromAccount || check == engine.FromAlias {
		return nil
	}
	ss.s.Log.Printf("Warning: refused a message from %s (%s): %s", sanitize(from), ss.label,
		advice.Printable(advice.Sentence(warn.What)+" "+advice.Sentence(warn.Next), 600))
	return errNotYours(from, ss.account)
}

// Rcpt implements smtp.Session.
func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if ss.account == "" {
		return errAuthRequired
	}
	if len(ss.to) >= mail.MaxRecipients {
		return errTooManyRcpts
	}
	a, err := netmail.ParseAddress("<" + to + ">")
	if err != nil {
		return errBadRcpt
	}
	ss.to = append(ss.to, a.Address)
	return nil
}

// Data implements smtp.Session: 250 only once the message is on disk.
func (ss *session) Data(r io.Reader) error {
	if ss.account == "" {
		return errAuthRequired
	}
	if len(ss.to) == 0 {
		return errNoRcpt
	}
	select {
	case ss.s.busy <- struct{}{}:
		defer func() { <-ss.s.busy }()
	case <-ss.ctx.Done():
		return errQueue
	}
	if ic := idleConnOf(ss.conn.Conn()); ic != nil {
		defer ic.reading()()
	}
	raw, err := readData(r)
	if err != nil {
		return err
	}
	msg, err := sendmail.Prepare(unstuffBareLF(raw), sendmail.Options{From: ss.account})
	if err != nil {
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: "Malformed message: " + sanitize(err.Error())}
	}
	for _, a := range msg.Senders {
		if err := ss.mayUse(a); err != nil {
			return err
		}
	}
	if err := refusedForGood(mail.Raw{From: ss.from, To: ss.to, Data: msg.Data}); err != nil {
		return err
	}
	it, err := ss.s.Queue.Add(queue.Item{Account: ss.account, From: ss.from, To: ss.to, MessageID: msg.MessageID}, bytes.NewReader(msg.Data))
	if errors.Is(err, queue.ErrNoSpace) {
		ss.s.Log.Printf("refused a message: %v", err)
		return errNoSpace
	}
	if err != nil {
		ss.s.Log.Printf("cannot queue a message: %v", err)
		return errQueue
	}
	ss.s.Log.Printf("queued %s from %s (%s) for %d recipient(s), %d bytes", it.ID, ss.account, ss.label, len(it.To), it.Size)
	select {
	case ss.s.kick <- struct{}{}:
	default:
	}
	return nil
}

// readData reads DATA up to Gmail's size. go-smtp stops at MaxMessageBytes
// already; the limit here holds whatever the server's settings.
func readData(r io.Reader) ([]byte, error) {
	raw, err := io.ReadAll(io.LimitReader(r, mail.MaxRawBytes+1))
	if err != nil {
		if errors.Is(err, smtp.ErrDataTooLarge) {
			return nil, errTooBig
		}
		return nil, err
	}
	if len(raw) > mail.MaxRawBytes {
		_, _ = io.Copy(io.Discard, r) // the rest of DATA, up to go-smtp's own limit
		return nil, errTooBig
	}
	return raw, nil
}

// refusedForGood checks the message as delivery will (mail.Raw.Check),
// so that what it would refuse for good is refused now, before the 250:
// once queued, a refusal could reach no one.
func refusedForGood(r mail.Raw) error {
	_, err := r.Check()
	switch {
	case err == nil:
		return nil
	case errors.Is(err, mail.ErrTooBig): // the Date and Message-ID added
		return errTooBig
	case errors.Is(err, mail.ErrTooManyRecipients):
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 5, 3}, Message: "Your message has too many recipients."}
	}
	return &smtp.SMTPError{Code: 553, EnhancedCode: smtp.EnhancedCode{5, 1, 3}, Message: sanitize(advice.Sentence(advice.What(err)))}
}

// unstuffBareLF removes the dot-stuffing that go-smtp leaves after a bare
// LF: clients such as Python's smtplib, given a message with LF line ends,
// stuff the dots of those lines too ("\n..") and Postfix, like them, takes
// a bare LF as a line end. A line after CRLF was already unstuffed.
func unstuffBareLF(b []byte) []byte {
	out := b[:0:0]
	for i := 0; i < len(b); i++ {
		if b[i] == '.' && i >= 2 && b[i-1] == '\n' && b[i-2] != '\r' && i+1 < len(b) && b[i+1] == '.' {
			continue
		}
		out = append(out, b[i])
	}
	return out
}

// Reset implements smtp.Session.
func (ss *session) Reset() { ss.from, ss.to = "", nil }

// Logout implements smtp.Session.
func (ss *session) Logout() error { return nil }

// loginServer is SASL LOGIN (draft-murchison-sasl-login), which go-sasl has
// only as a client: "Username:", then "Password:".
type loginServer struct {
	step int
	user string
	auth func(user, pass string) error
}

// Next implements sasl.Server.
func (l *loginServer) Next(resp []byte) ([]byte, bool, error) {
	switch l.step {
	case 0:
		l.step = 1
		if resp == nil {
			return []byte("Username:"), false, nil
		}
		fallthrough
	case 1:
		l.user, l.step = string(resp), 2
		return []byte("Password:"), false, nil
	}
	return nil, true, l.auth(l.user, string(resp))
}

// sanitize keeps a client's text printable and short before it is logged or
// repeated in a reply.
func sanitize(s string) string { return advice.Printable(s, 200) }
