package testpeer

import (
	"io"
	"net"
	"strings"
	"sync"
)

// gmailWordsListener gives the plain (STARTTLS) listener Gmail's own greeting
// and EHLO reply (testdata/google/smtp/greeting and ehlo-before-starttls),
// with the client's address where Gmail puts it. go-smtp writes its own
// ("220 … ESMTP Service Ready", "250-Hello …") and has no hook for them.
//
// Only the plain part of a connection can be rewritten: after STARTTLS the
// bytes are encrypted, and go-smtp recognises a TLS connection by its type,
// so the implicit-TLS listener and the EHLO after STARTTLS keep go-smtp's
// words. Their capabilities are Gmail's all the same (SIZE 35882577 and the
// AUTH list are set on the server).
type gmailWordsListener struct{ net.Listener }

func (l gmailWordsListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &gmailWordsConn{Conn: c}, nil
}

// gmailWordsConn rewrites the greeting and the EHLO reply that go-smtp writes
// (each of its lines comes in one Write, as textproto flushes every line),
// and passes everything through unchanged from the reply to STARTTLS on.
type gmailWordsConn struct {
	net.Conn
	mu          sync.Mutex
	greeted     bool
	inEHLO      bool
	passthrough bool
}

func (c *gmailWordsConn) Write(b []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.passthrough {
		return c.Conn.Write(b)
	}
	line := string(b)
	switch {
	case !c.greeted && strings.HasPrefix(line, "220 "):
		c.greeted = true
		return c.replace(b, Says("smtp/greeting"))
	case c.greeted && strings.HasPrefix(line, "220 "): // ready to start TLS
		c.passthrough = true
	case strings.HasPrefix(line, "250-Hello "):
		c.inEHLO = true
		return len(b), nil
	case c.inEHLO && strings.HasPrefix(line, "250-"):
		return len(b), nil
	case c.inEHLO && strings.HasPrefix(line, "250 "):
		c.inEHLO = false
		host, _, _ := net.SplitHostPort(c.Conn.RemoteAddr().String())
		return c.replace(b, strings.Replace(Says("smtp/ehlo-before-starttls"), "[203.0.113.5]", "["+host+"]", 1))
	}
	return c.Conn.Write(b)
}

// replace writes reply (lines separated by "\n") in place of b.
func (c *gmailWordsConn) replace(b []byte, reply string) (int, error) {
	if _, err := io.WriteString(c.Conn, strings.ReplaceAll(reply, "\n", "\r\n")+"\r\n"); err != nil {
		return 0, err
	}
	return len(b), nil
}
