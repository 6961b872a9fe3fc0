package testpeer

import (
	"bytes"
	"crypto/subtle"
	"crypto/tls"
	"encoding/base64"
	"fmt"
	"io"
	"log"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// gmailScope is the OAuth scope Gmail requires for SMTP XOAUTH2.
const gmailScope = "https://mail.google.com/"

// Gmail's SMTP replies used by the SMTP peer, in Gmail's words
// (testdata/google/smtp).
var (
	// ErrBadCredentials is Gmail's reply to a wrong password or a rejected
	// XOAUTH2 token.
	ErrBadCredentials = GmailReply("smtp/535-bad-credentials")
	// ErrAppPasswordRequired is Gmail's reply when the normal account
	// password is used instead of an app password.
	ErrAppPasswordRequired = GmailReply("smtp/534-app-password-required")
	// ErrAuthenticationRequired is Gmail's reply to MAIL before AUTH.
	ErrAuthenticationRequired = GmailReply("smtp/530-authentication-required")
	// errCannotDecode is Gmail's reply to a malformed SASL response.
	errCannotDecode = GmailReply("smtp/501-cannot-decode")
	// errXOAUTH is Gmail's reply to AUTH XOAUTH, the mechanism before XOAUTH2.
	errXOAUTH = GmailReply("smtp/504-xoauth")
	// errTooManyRecipients is Gmail's reply to the RCPT over its limit.
	errTooManyRecipients = GmailReply("smtp/452-too-many-recipients")
)

// gmailMaxRecipients is how many RCPT Gmail accepts for one message.
const gmailMaxRecipients = 100

// GmailReply returns the corpus reply name ("smtp/552-blocked-content") as a
// go-smtp error that the server writes exactly as Gmail does: every line
// "code-enhanced text", the last "code enhanced text", session tag included.
// It panics on a name that is not an SMTP error reply of the corpus.
func GmailReply(name string) *smtp.SMTPError {
	lines := strings.Split(Says(name), "\n")
	last := lines[len(lines)-1]
	code, err := strconv.Atoi(last[:3])
	enh := strings.Fields(last[4:])[0]
	var ec smtp.EnhancedCode
	_, serr := fmt.Sscanf(enh, "%d.%d.%d", &ec[0], &ec[1], &ec[2])
	if err != nil || code < 400 || serr != nil {
		panic("testpeer: " + name + " is not an SMTP error reply")
	}
	msg := make([]string, 0, len(lines))
	for _, l := range lines[:len(lines)-1] {
		msg = append(msg, l[4:]) // go-smtp writes "code-" and the rest, enhanced code included
	}
	msg = append(msg, strings.TrimPrefix(last[4:], enh+" "))
	return &smtp.SMTPError{Code: code, EnhancedCode: ec, Message: strings.Join(msg, "\n")}
}

// gmailSIZE and gmailAUTH are what Gmail's EHLO after STARTTLS advertises:
// its size limit and its SASL mechanisms.
var gmailSIZE, gmailAUTH = func() (int64, []string) {
	var size int64
	var auth []string
	for _, l := range strings.Split(Says("smtp/ehlo-after-starttls"), "\n") {
		if v, ok := strings.CutPrefix(l[4:], "SIZE "); ok {
			size, _ = strconv.ParseInt(v, 10, 64)
		}
		if v, ok := strings.CutPrefix(l[4:], "AUTH "); ok {
			auth = strings.Fields(v)
		}
	}
	return size, auth
}()

// xoauth2Challenge returns the JSON of Gmail's 334 challenge in the corpus
// entry name.
func xoauth2Challenge(name string) []byte {
	b, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(Says(name), "334 "))
	if err != nil {
		panic("testpeer: " + name + " is not a 334 challenge")
	}
	return b
}

// TokenValidator checks OAuth access tokens presented with XOAUTH2; *OAuth
// implements it.
type TokenValidator interface {
	// Validate reports the user and scope of a known, unexpired and
	// unrevoked access token, and ok false otherwise.
	Validate(accessToken string) (email, scope string, ok bool)
}

// SMTPOptions configures the SMTP peer started by StartSMTP.
type SMTPOptions struct {
	// TLS is the server TLS configuration, usually CA.ServerTLS; nil starts
	// a server that offers no TLS at all and therefore never allows AUTH.
	TLS *tls.Config
	// Passwords maps an address to the app password (exactly as Google
	// shows it without spaces: 16 lowercase letters) accepted with AUTH
	// PLAIN. Addresses are matched case-insensitively, passwords exactly.
	Passwords map[string]string
	// AccountPasswords maps an address to the user's normal Google account
	// password; using it with AUTH PLAIN gets Gmail's 534 5.7.9 reply.
	AccountPasswords map[string]string
	// Tokens validates XOAUTH2 access tokens; nil makes XOAUTH2 always fail.
	Tokens TokenValidator
	// Addr and TLSAddr are the listen addresses of the STARTTLS and the
	// implicit-TLS listeners; empty means 127.0.0.1 with a random port.
	Addr, TLSAddr string
	// OnMessage, when set, is called with every accepted message.
	OnMessage func(Received)
	// Wire, when set, gets the plaintext dialogue as the server sees it
	// (go-smtp's Server.Debug): one Write per read from the connection and
	// one per reply, so a pipelined group of commands arrives in one Write.
	Wire io.Writer
	// Size is the SIZE advertised, and the largest message taken; zero
	// means Gmail's.
	Size int64
}

// Received is one message accepted by the SMTP peer.
type Received struct {
	// From is the MAIL FROM address.
	From string
	// To lists the RCPT TO addresses in order.
	To []string
	// Data is the message as transmitted after DATA, with dot-stuffing
	// removed and CRLF line endings.
	Data []byte
	// Mech is the SASL mechanism the session authenticated with.
	Mech string
	// User is the authenticated user name as the client sent it.
	User string
}

// SMTP is a Gmail-like SMTP submission server on 127.0.0.1 with a STARTTLS
// listener and, when TLS is configured, an implicit-TLS listener. AUTH
// (PLAIN and XOAUTH2) is only offered over TLS, and MAIL requires AUTH.
type SMTP struct {
	srv       *smtp.Server
	listeners []net.Listener
	plainAddr string
	tlsAddr   string
	serving   sync.WaitGroup
	closeOnce sync.Once
	closeErr  error

	passwords        map[string]string
	accountPasswords map[string]string
	tokens           TokenValidator
	onMessage        func(Received)

	mu           sync.Mutex
	messages     []Received
	authAttempts int
	connections  int
	replyFault   func(stage string) error
}

// StartSMTP starts the SMTP peer. Call Close when done.
func StartSMTP(opts SMTPOptions) (*SMTP, error) {
	s := &SMTP{
		passwords:        lowerKeys(opts.Passwords),
		accountPasswords: lowerKeys(opts.AccountPasswords),
		tokens:           opts.Tokens,
		onMessage:        opts.OnMessage,
	}

	srv := smtp.NewServer(&backend{s: s})
	srv.Domain = "smtp.gmail.test"
	srv.TLSConfig = opts.TLS
	srv.AllowInsecureAuth = false
	srv.MaxMessageBytes = gmailSIZE // advertised as Gmail does: SIZE 35882577
	if opts.Size > 0 {
		srv.MaxMessageBytes = opts.Size
	}
	srv.EnableSMTPUTF8 = true
	// No MaxRecipients: go-smtp would advertise LIMITS and answer in its own
	// words; Rcpt answers as Gmail does.
	srv.ReadTimeout = 30 * time.Second
	srv.WriteTimeout = 30 * time.Second
	srv.ErrorLog = log.New(io.Discard, "", 0)
	srv.Debug = opts.Wire
	s.srv = srv

	plain, err := net.Listen("tcp", orLoopback(opts.Addr))
	if err != nil {
		return nil, fmt.Errorf("testpeer: smtp listen: %w", err)
	}
	s.plainAddr = plain.Addr().String()
	listeners := []net.Listener{plain}
	if opts.TLS != nil { // without TLS the EHLO is not Gmail's (no STARTTLS): keep go-smtp's
		listeners[0] = gmailWordsListener{plain}
	}
	if opts.TLS != nil {
		raw, err := net.Listen("tcp", orLoopback(opts.TLSAddr))
		if err != nil {
			plain.Close()
			return nil, fmt.Errorf("testpeer: smtps listen: %w", err)
		}
		s.tlsAddr = raw.Addr().String()
		listeners = append(listeners, tls.NewListener(raw, opts.TLS))
	}
	s.listeners = listeners
	for _, l := range listeners {
		s.serving.Add(1)
		go func() {
			defer s.serving.Done()
			_ = srv.Serve(l)
		}()
	}
	return s, nil
}

// StartTLSURL returns the URL of the plain listener, which offers STARTTLS
// when TLS is configured, for example smtp://127.0.0.1:PORT.
func (s *SMTP) StartTLSURL() string { return "smtp://" + s.plainAddr }

// ImplicitTLSURL returns the URL of the implicit-TLS listener, for example
// smtps://127.0.0.1:PORT, or "" when the peer has no TLS configuration.
func (s *SMTP) ImplicitTLSURL() string {
	if s.tlsAddr == "" {
		return ""
	}
	return "smtps://" + s.tlsAddr
}

// Forget drops the messages received so far (a long benchmark keeps its memory flat).
func (s *SMTP) Forget() {
	s.mu.Lock()
	s.messages = nil
	s.mu.Unlock()
}

// Messages returns copies of the accepted messages in arrival order.
func (s *SMTP) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Received, len(s.messages))
	for i, m := range s.messages {
		m.To = append([]string(nil), m.To...)
		m.Data = bytes.Clone(m.Data)
		out[i] = m
	}
	return out
}

// AuthAttempts returns the number of AUTH commands received so far with a
// supported mechanism, successful or not.
func (s *SMTP) AuthAttempts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.authAttempts
}

// Connections returns the number of connections the server took so far,
// on either listener, whatever came of them.
func (s *SMTP) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.connections
}

// SetReplyFault installs a fault injector called at the stages "mail",
// "rcpt" and "data" (the latter after the message has been read). A non-nil
// *smtp.SMTPError it returns is sent to the client as the reply, for example
// 421 4.7.0, 454 4.7.0, 550 5.4.5 or 552 5.3.4, and a message failed at
// "data" is not recorded. It is also called at "data-partial", when DATA
// begins: a non-nil error there makes the server read only part of the
// message and then drop the connection without a reply, as a crashed server
// or a broken link would. nil removes the fault.
func (s *SMTP) SetReplyFault(f func(stage string) error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.replyFault = f
}

// Close closes the listeners and all open connections. It is safe to call
// more than once.
func (s *SMTP) Close() error {
	s.closeOnce.Do(func() {
		s.closeErr = s.srv.Close()
		// go-smtp only closes the listeners its Serve has registered; one
		// whose Serve goroutine has not started yet would block Wait forever.
		for _, l := range s.listeners {
			_ = l.Close()
		}
		s.serving.Wait()
	})
	return s.closeErr
}

// fault runs the reply fault for stage, if any.
func (s *SMTP) fault(stage string) error {
	s.mu.Lock()
	f := s.replyFault
	s.mu.Unlock()
	if f == nil {
		return nil
	}
	return f(stage)
}

// backend creates sessions for the SMTP peer.
type backend struct{ s *SMTP }

// NewSession implements smtp.Backend.
func (b *backend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	b.s.mu.Lock()
	b.s.connections++
	b.s.mu.Unlock()
	return &session{s: b.s, conn: c}, nil
}

// session is one SMTP connection's state.
type session struct {
	s          *SMTP
	conn       *smtp.Conn
	authed     bool
	mech, user string
	from       string
	to         []string
}

var _ smtp.AuthSession = (*session)(nil)

// AuthMechanisms implements smtp.AuthSession.
func (ss *session) AuthMechanisms() []string {
	return gmailAUTH
}

// Auth implements smtp.AuthSession.
func (ss *session) Auth(mech string) (sasl.Server, error) {
	switch mech {
	case sasl.Plain, sasl.Login, "XOAUTH2":
	case "XOAUTH":
		return nil, errXOAUTH
	default:
		return nil, smtp.ErrAuthUnknownMechanism
	}
	ss.s.mu.Lock()
	ss.s.authAttempts++
	ss.s.mu.Unlock()

	if mech == sasl.Plain {
		return sasl.NewPlainServer(func(identity, username, password string) error {
			if identity != "" && identity != username {
				return ErrBadCredentials
			}
			if err := ss.s.checkPassword(username, password); err != nil {
				return err
			}
			ss.authed, ss.mech, ss.user = true, sasl.Plain, username
			return nil
		}), nil
	}
	if mech == sasl.Login {
		return &loginServer{check: func(username, password string) error {
			if err := ss.s.checkPassword(username, password); err != nil {
				return err
			}
			ss.authed, ss.mech, ss.user = true, sasl.Login, username
			return nil
		}}, nil
	}
	return &xoauth2Server{tokens: ss.s.tokens, success: func(user string) {
		ss.authed, ss.mech, ss.user = true, "XOAUTH2", user
	}}, nil
}

// checkPassword checks an AUTH PLAIN password like Gmail does.
func (s *SMTP) checkPassword(username, password string) error {
	key := strings.ToLower(username)
	if want, ok := s.passwords[key]; ok && subtle.ConstantTimeCompare([]byte(want), []byte(password)) == 1 {
		return nil
	}
	if want, ok := s.accountPasswords[key]; ok && subtle.ConstantTimeCompare([]byte(want), []byte(password)) == 1 {
		return ErrAppPasswordRequired
	}
	return ErrBadCredentials
}

// Mail implements smtp.Session.
func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if !ss.authed {
		return ErrAuthenticationRequired
	}
	if err := ss.s.fault("mail"); err != nil {
		return err
	}
	ss.from, ss.to = from, nil
	return nil
}

// Rcpt implements smtp.Session.
func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if !ss.authed {
		return ErrAuthenticationRequired
	}
	if err := ss.s.fault("rcpt"); err != nil {
		return err
	}
	if len(ss.to) >= gmailMaxRecipients {
		return errTooManyRecipients
	}
	ss.to = append(ss.to, to)
	return nil
}

// maxDataBytes caps one message the stand-in reads, above any SIZE it
// advertises.
const maxDataBytes = 64 << 20

// Data implements smtp.Session.
func (ss *session) Data(r io.Reader) error {
	if err := ss.s.fault("data-partial"); err != nil {
		_, _ = io.CopyN(io.Discard, r, 512)
		_ = ss.conn.Conn().Close()
		return err
	}
	// go-smtp ends DATA at srv.MaxMessageBytes (Gmail's SIZE unless the
	// options set another); the cap holds whatever the options say.
	data, err := io.ReadAll(io.LimitReader(r, maxDataBytes))
	if err != nil {
		return err
	}
	if err := ss.s.fault("data"); err != nil {
		return err
	}
	msg := Received{
		From: ss.from,
		To:   append([]string(nil), ss.to...),
		Data: data,
		Mech: ss.mech,
		User: ss.user,
	}
	ss.s.mu.Lock()
	ss.s.messages = append(ss.s.messages, msg)
	ss.s.mu.Unlock()
	if ss.s.onMessage != nil {
		ss.s.onMessage(msg)
	}
	return nil
}

// Reset implements smtp.Session.
func (ss *session) Reset() {
	ss.from, ss.to = "", nil
}

// Logout implements smtp.Session.
func (ss *session) Logout() error { return nil }

// xoauth2Server is the server side of Google's XOAUTH2 SASL mechanism.
type xoauth2Server struct {
	tokens  TokenValidator
	success func(user string)
	failed  bool
	done    bool
}

// Next implements sasl.Server. A rejected token gets Gmail's 334 challenge
// carrying a JSON error, and the client's (empty) reply to it gets 535 5.7.8.
func (x *xoauth2Server) Next(response []byte) (challenge []byte, done bool, err error) {
	switch {
	case x.done:
		return nil, true, sasl.ErrUnexpectedClientResponse
	case x.failed:
		x.done = true
		return nil, true, ErrBadCredentials
	case response == nil:
		// No initial response: ask for it with an empty challenge.
		return []byte{}, false, nil
	}

	user, token, ok := parseXOAUTH2(response)
	if !ok {
		x.done = true
		return nil, true, errCannotDecode
	}
	challenge = xoauth2Challenge("smtp/334-xoauth2-invalid-token")
	if x.tokens != nil {
		if email, scope, valid := x.tokens.Validate(token); valid {
			if strings.EqualFold(email, user) && hasScope(scope, gmailScope) {
				x.done = true
				x.success(user)
				return nil, true, nil
			}
			challenge = xoauth2Challenge("smtp/334-xoauth2-wrong-scope")
		}
	}
	x.failed = true
	return challenge, false, nil
}

// loginServer is the server side of SASL LOGIN, which Gmail offers too:
// "Username:" and "Password:" challenges, each answered with one value.
type loginServer struct {
	check    func(username, password string) error
	username string
	step     int
}

// Next implements sasl.Server.
func (l *loginServer) Next(response []byte) ([]byte, bool, error) {
	l.step++
	switch l.step {
	case 1:
		if response != nil { // an initial response is the user name
			l.username = string(response)
			l.step++
			return []byte("Password:"), false, nil
		}
		return []byte("Username:"), false, nil
	case 2:
		l.username = string(response)
		return []byte("Password:"), false, nil
	case 3:
		return nil, true, l.check(l.username, string(response))
	}
	return nil, true, sasl.ErrUnexpectedClientResponse
}

// parseXOAUTH2 splits "user=U\x01auth=Bearer T\x01\x01".
func parseXOAUTH2(b []byte) (user, token string, ok bool) {
	s, found := strings.CutSuffix(string(b), "\x01\x01")
	if !found {
		return "", "", false
	}
	for _, field := range strings.Split(s, "\x01") {
		switch {
		case strings.HasPrefix(field, "user="):
			user = strings.TrimPrefix(field, "user=")
		case strings.HasPrefix(field, "auth="):
			auth := strings.TrimPrefix(field, "auth=")
			scheme, tok, found := strings.Cut(auth, " ")
			if !found || !strings.EqualFold(scheme, "Bearer") {
				return "", "", false
			}
			token = strings.TrimSpace(tok)
		}
	}
	if user == "" || token == "" {
		return "", "", false
	}
	return user, token, true
}

// hasScope reports whether the space-separated scope list contains want.
func hasScope(scopes, want string) bool {
	for _, s := range strings.Fields(scopes) {
		if s == want {
			return true
		}
	}
	return false
}

// lowerKeys copies m with lower-cased keys.
func lowerKeys(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[strings.ToLower(k)] = v
	}
	return out
}

// orLoopback returns addr, or 127.0.0.1 with a random port when it is empty.
func orLoopback(addr string) string {
	if addr == "" {
		return "127.0.0.1:0"
	}
	return addr
}
