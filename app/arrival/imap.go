package arrival

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/internal/trust"
)

// defaultIMAP is Gmail's IMAP server, implicit TLS on port 993.
const defaultIMAP = "imaps://imap.gmail.com:993"

// gmailSpam is the English name of Gmail's Spam folder, used when the server
// marks no folder \Junk (GOOGLE.md, IMAP: the names are localised).
const gmailSpam = "[Gmail]/Spam"

// ErrBadIMAPURL means an IMAP URL cannot be used.
var ErrBadIMAPURL = advice.Sentinel(advice.Usage, "invalid IMAP URL")

// ErrIMAPLogin means the IMAP server refused the address and password.
var ErrIMAPLogin = advice.SentinelUnder(ErrLook, advice.Auth, "login refused")

// maxSession bounds the bytes read in one IMAP session: a search and a few
// header lines need far less.
const maxSession = 1 << 20

// imapTimeout bounds one whole IMAP look (connect, login, list, two searches).
const imapTimeout = 30 * time.Second

// ParseIMAPURL checks "imaps://host[:port]" (implicit TLS, default port 993)
// and returns host:port. mailkey reads mail only over TLS.
func ParseIMAPURL(raw string) (string, error) {
	if raw == "" {
		raw = defaultIMAP
	}
	bad := func(why string) error {
		return advice.Keyed(fmt.Errorf("%w: %s", ErrBadIMAPURL, why), "arrival.imap_url", advice.Data{"URL": strconv.Quote(raw)},
			"{{.URL}} is not a usable IMAP URL", "Use imaps://imap.gmail.com:993")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", bad("it does not parse")
	}
	if u.Scheme != "imaps" {
		return "", bad("the scheme must be imaps")
	}
	if u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.Hostname() == "" {
		return "", bad("it must hold only a host and a port")
	}
	port := 993
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return "", bad("bad port")
		}
		port = n
	}
	return net.JoinHostPort(u.Hostname(), strconv.Itoa(port)), nil
}

// IMAP finds messages over IMAP with the account's address and app
// password: a search by Message-ID in INBOX, then in the \Junk folder
// (SPECIAL-USE), or [Gmail]/Spam when no folder is marked.
type IMAP struct {
	// URL is the server; "" for Gmail's, imaps://imap.gmail.com:993
	// (defaultIMAP).
	URL                string
	Username, Password string
	// RootCAs, when set, replaces the system roots (tests).
	RootCAs *x509.CertPool
}

var _ Finder = IMAP{}

// Find implements Finder: one session per look.
func (m IMAP) Find(ctx context.Context, messageID string) (Found, bool, error) {
	addr, err := ParseIMAPURL(m.URL)
	if err != nil {
		return Found{}, false, err
	}
	ctx, cancel := context.WithTimeout(ctx, imapTimeout)
	defer cancel()
	c, err := m.dial(ctx, addr)
	if err != nil {
		return Found{}, false, err
	}
	defer c.Close()
	if err := c.Login(m.Username, m.Password).Wait(); err != nil {
		var ie *imap.Error
		if errors.As(err, &ie) {
			return Found{}, false, advice.Keyed(fmt.Errorf("%w: %s", ErrIMAPLogin, clean(ie.Text)), "arrival.imap_login",
				advice.Data{"Reply": clean(ie.Text), "Address": m.Username},
				"the IMAP server refused the app password ({{.Reply}})",
				"Create a new app password and enter it, then test again").Then(advice.ActionNewAppPassword)
		}
		return Found{}, false, m.lost(ctx, err)
	}
	spam, err := spamFolder(c)
	if err != nil {
		return Found{}, false, m.lost(ctx, err)
	}
	for _, folder := range []struct {
		name  string
		place Place
	}{{"INBOX", Inbox}, {spam, Spam}} {
		f, ok, err := search(c, folder.name, messageID)
		if err != nil {
			return Found{}, false, m.lost(ctx, err)
		}
		if ok {
			f.Place = folder.place
			_ = c.Logout().Wait()
			return f, true, nil
		}
	}
	_ = c.Logout().Wait()
	return Found{}, false, nil
}

// dial connects with TLS; the connection closes when ctx ends and fails
// after maxSession bytes.
func (m IMAP) dial(ctx context.Context, addr string) (*imapclient.Client, error) {
	host, _, _ := net.SplitHostPort(addr)
	d := tls.Dialer{
		NetDialer: &net.Dialer{Timeout: 15 * time.Second},
		Config:    trust.TLSConfig(host, m.RootCAs),
	}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, advice.Keyed(fmt.Errorf("%w: %v", ErrLook, err), "arrival.imap_unreachable", advice.Data{"Server": addr},
			"cannot reach the IMAP server {{.Server}}", "Check your connection; some networks block port 993")
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	lc := &limitConn{Conn: conn}
	lc.left.Store(maxSession)
	stop := context.AfterFunc(ctx, func() { _ = conn.Close() })
	c := imapclient.New(lc, nil)
	go func() { <-c.Closed(); stop() }()
	return c, nil
}

// lost explains a session that broke off.
func (m IMAP) lost(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return advice.Keyed(fmt.Errorf("%w: %v", ErrLook, ctx.Err()), "arrival.imap_timeout", nil,
			"the IMAP server took too long to answer", "Try again in a moment")
	}
	return advice.Keyed(fmt.Errorf("%w: %s", ErrLook, clean(err.Error())), "arrival.imap_failed", advice.Data{"Reply": clean(err.Error())},
		"reading the mailbox over IMAP failed ({{.Reply}})", "Try again in a moment")
}

// spamFolder returns the folder marked \Junk, or gmailSpam.
func spamFolder(c *imapclient.Client) (string, error) {
	opts := &imap.ListOptions{}
	if c.Caps().Has(imap.CapSpecialUse) {
		opts.ReturnSpecialUse = true
	}
	list, err := c.List("", "*", opts).Collect()
	if err != nil {
		return "", err
	}
	for _, l := range list {
		for _, a := range l.Attrs {
			if strings.EqualFold(string(a), string(imap.MailboxAttrJunk)) {
				return l.Mailbox, nil
			}
		}
	}
	return gmailSpam, nil
}

// search looks for messageID in folder; a folder that does not exist holds nothing.
func search(c *imapclient.Client, folder, messageID string) (Found, bool, error) {
	if _, err := c.Select(folder, &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
		var ie *imap.Error
		if errors.As(err, &ie) {
			return Found{}, false, nil
		}
		return Found{}, false, err
	}
	data, err := c.UIDSearch(&imap.SearchCriteria{Header: []imap.SearchCriteriaHeaderField{{Key: "Message-ID", Value: messageID}}}, nil).Wait()
	if err != nil {
		return Found{}, false, err
	}
	uids := data.AllUIDs()
	if len(uids) == 0 {
		return Found{}, false, nil
	}
	section := &imap.FetchItemBodySection{Specifier: imap.PartSpecifierHeader, HeaderFields: []string{"Authentication-Results"}, Peek: true}
	msgs, err := c.Fetch(imap.UIDSetNum(uids[0]), &imap.FetchOptions{BodySection: []*imap.FetchItemBodySection{section}}).Collect()
	if err != nil {
		return Found{}, false, err
	}
	f := Found{Labels: []string{folder}}
	if len(msgs) > 0 {
		f.AuthResults = clean(headerValue(string(msgs[0].FindBodySection(section)), "Authentication-Results"))
	}
	return f, true, nil
}

// headerValue returns the unfolded value of the first field name in a header block.
func headerValue(block, name string) string {
	block = strings.ReplaceAll(block, "\r\n", "\n")
	block = strings.NewReplacer("\n ", " ", "\n\t", " ").Replace(block)
	for _, line := range strings.Split(block, "\n") {
		k, v, ok := strings.Cut(line, ":")
		if ok && strings.EqualFold(strings.TrimSpace(k), name) {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// limitConn fails reads once left bytes were read.
type limitConn struct {
	net.Conn
	left atomic.Int64
}

func (l *limitConn) Read(p []byte) (int, error) {
	if l.left.Load() <= 0 {
		return 0, errors.New("the IMAP server sent too much")
	}
	if int64(len(p)) > l.left.Load() {
		p = p[:l.left.Load()]
	}
	n, err := l.Conn.Read(p)
	l.left.Add(-int64(n))
	return n, err
}
