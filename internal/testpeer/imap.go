package testpeer

import (
	"bytes"
	"crypto/tls"
	"fmt"
	"io"
	"log"
	"net"
	"strings"
	"sync"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
)

// IMAPOptions configures StartIMAP.
type IMAPOptions struct {
	// TLS is the server configuration (implicit TLS, like imap.gmail.com:993).
	TLS *tls.Config
	// Passwords maps an address to its app password, as for SMTPOptions.
	Passwords map[string]string
	// SpamName is the Spam folder's name ("" for [Gmail]/Spam); Gmail
	// localises it, e.g. "[Gmail]/Pourriel".
	SpamName string
	// NoSpecialUse hides the \Junk attribute, as a server that does not
	// mark its folders (RFC 6154) would.
	NoSpecialUse bool
	// Addr is the listen address (empty: 127.0.0.1, random port).
	Addr string
}

// IMAP is a Gmail-like IMAP server over implicit TLS, on go-imap v2's
// in-memory backend, with INBOX, [Gmail]/Sent Mail and a Spam folder marked
// \Junk (RFC 6154). Its mail comes from a Mailbox (see Feed). Like Gmail, it
// does not advertise SPECIAL-USE yet marks its special folders in a plain
// LIST, and answers a refused login with "NO [AUTHENTICATIONFAILED] Invalid
// credentials (Failure)" (a Gmail session transcript in jstedfast/MailKit#1276;
// the same reply in getmail6/getmail6#236).
type IMAP struct {
	// URL is imaps://127.0.0.1:PORT.
	URL string

	opts  IMAPOptions
	mem   *imapmemserver.Server
	srv   *imapserver.Server
	ln    net.Listener
	once  sync.Once
	mu    sync.Mutex
	users map[string]*imapmemserver.User
}

// StartIMAP starts the IMAP stand-in. Call Close when done.
func StartIMAP(opts IMAPOptions) (*IMAP, error) {
	if opts.SpamName == "" {
		opts.SpamName = "[Gmail]/Spam"
	}
	p := &IMAP{opts: opts, mem: imapmemserver.New(), users: map[string]*imapmemserver.User{}}
	for addr, pw := range opts.Passwords {
		u := imapmemserver.NewUser(strings.ToLower(addr), pw)
		for _, name := range []string{"INBOX", "[Gmail]/Sent Mail", opts.SpamName} {
			if err := u.Create(name, nil); err != nil {
				return nil, fmt.Errorf("testpeer: imap: %w", err)
			}
		}
		p.users[strings.ToLower(addr)] = u
		p.mem.AddUser(u)
	}
	p.srv = imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return &imapSession{p: p}, &imapserver.GreetingData{}, nil
		},
		Caps:   imap.CapSet{imap.CapIMAP4rev1: {}},
		Logger: log.New(io.Discard, "", 0),
	})
	ln, err := tls.Listen("tcp", orLoopback(opts.Addr), opts.TLS)
	if err != nil {
		return nil, fmt.Errorf("testpeer: imap listen: %w", err)
	}
	p.ln = ln
	p.URL = "imaps://" + ln.Addr().String()
	go func() { _ = p.srv.Serve(ln) }()
	return p, nil
}

// Close stops the server. It is safe to call more than once.
func (p *IMAP) Close() { p.once.Do(func() { _ = p.srv.Close() }) }

// Feed files every message m files into the owner's INBOX or Spam folder.
func (p *IMAP) Feed(m *Mailbox) {
	m.OnFile(func(owner, label string, raw []byte) {
		p.mu.Lock()
		u := p.users[owner]
		p.mu.Unlock()
		if u == nil {
			return
		}
		folder := "INBOX"
		if label == "SPAM" {
			folder = p.opts.SpamName
		}
		_, _ = u.Append(folder, literal{bytes.NewReader(raw)}, &imap.AppendOptions{})
	})
}

type literal struct{ *bytes.Reader }

func (l literal) Size() int64 { return l.Reader.Size() }

// imapSession is the memory backend's session with Gmail's login answer and
// the \Junk attribute on the Spam folder.
type imapSession struct {
	*imapmemserver.UserSession
	p *IMAP
}

func (s *imapSession) Login(username, password string) error {
	s.p.mu.Lock()
	u := s.p.users[strings.ToLower(username)]
	s.p.mu.Unlock()
	if u == nil || u.Login(strings.ToLower(username), password) != nil {
		return &imap.Error{Type: imap.StatusResponseTypeNo, Code: imap.ResponseCodeAuthenticationFailed, Text: "Invalid credentials (Failure)"}
	}
	s.UserSession = imapmemserver.NewUserSession(u)
	return nil
}

func (s *imapSession) Close() error {
	if s.UserSession == nil {
		return nil
	}
	return s.UserSession.Close()
}

// List lists the fixed folders, the Spam folder marked \Junk as Gmail does.
func (s *imapSession) List(w *imapserver.ListWriter, ref string, patterns []string, options *imap.ListOptions) error {
	folders := []string{"INBOX", "[Gmail]", "[Gmail]/Sent Mail", s.p.opts.SpamName}
	for _, name := range folders {
		match := false
		for _, pat := range patterns {
			match = match || imapserver.MatchList(name, '/', ref, pat)
		}
		if !match {
			continue
		}
		data := &imap.ListData{Mailbox: name, Delim: '/'}
		special := !s.p.opts.NoSpecialUse
		switch {
		case name == "[Gmail]":
			data.Attrs = []imap.MailboxAttr{imap.MailboxAttrNoSelect, imap.MailboxAttrHasChildren}
		case name == s.p.opts.SpamName && special:
			data.Attrs = []imap.MailboxAttr{imap.MailboxAttrHasNoChildren, imap.MailboxAttrJunk}
		case name == "[Gmail]/Sent Mail" && special:
			data.Attrs = []imap.MailboxAttr{imap.MailboxAttrHasNoChildren, imap.MailboxAttrSent}
		default:
			data.Attrs = []imap.MailboxAttr{imap.MailboxAttrHasNoChildren}
		}
		if options.SelectSpecialUse && !slicesHasSpecial(data.Attrs) {
			continue
		}
		if err := w.WriteList(data); err != nil {
			return err
		}
	}
	return nil
}

func slicesHasSpecial(attrs []imap.MailboxAttr) bool {
	for _, a := range attrs {
		if a == imap.MailboxAttrJunk || a == imap.MailboxAttrSent {
			return true
		}
	}
	return false
}
