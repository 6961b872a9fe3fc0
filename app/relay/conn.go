package relay

import (
	"crypto/tls"
	"net"
	"sync"
	"time"
)

// dataTimeout bounds the reading of one message, however steadily it
// trickles in: 35 MB at 64 kB/s takes about 9 minutes.
const dataTimeout = 30 * time.Minute

// listener hands out idleConns.
type listener struct {
	net.Listener
	idle, data time.Duration
}

func (l listener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &idleConn{Conn: c, idle: l.idle, data: l.data}, nil
}

// idleConn is a client connection whose read deadline is an idle timeout:
// each Read may wait idleTimeout for its first byte, so a client that keeps
// sending is never cut off for being slow overall (go-smtp sets one deadline
// per command line, which would bound a whole DATA), up to an overall limit
// set while a message is read. The deadlines go-smtp sets are ignored.
type idleConn struct {
	net.Conn
	idle, data time.Duration

	mu sync.Mutex
	// until, when set, is when the message being read must be complete.
	until time.Time
	// closeAfterWrite ends the connection once the next reply is written.
	closeAfterWrite bool
}

func (c *idleConn) Read(p []byte) (int, error) {
	c.mu.Lock()
	d := time.Now().Add(c.idle)
	if !c.until.IsZero() && c.until.Before(d) {
		d = c.until
	}
	c.mu.Unlock()
	if err := c.Conn.SetReadDeadline(d); err != nil {
		return 0, err
	}
	return c.Conn.Read(p)
}

func (c *idleConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	c.mu.Lock()
	end := c.closeAfterWrite
	c.mu.Unlock()
	if end {
		_ = c.Conn.Close()
	}
	return n, err
}

// SetReadDeadline ignores go-smtp's deadlines: Read sets its own.
func (c *idleConn) SetReadDeadline(time.Time) error { return nil }

// SetDeadline sets the write deadline only, for the same reason.
func (c *idleConn) SetDeadline(t time.Time) error { return c.Conn.SetWriteDeadline(t) }

// reading bounds the reading of one message; done ends the bound.
func (c *idleConn) reading() (done func()) {
	c.mu.Lock()
	c.until = time.Now().Add(c.data)
	c.mu.Unlock()
	return func() {
		c.mu.Lock()
		c.until = time.Time{}
		c.mu.Unlock()
	}
}

// endAfterReply closes the connection once the next reply is written.
func (c *idleConn) endAfterReply() {
	c.mu.Lock()
	c.closeAfterWrite = true
	c.mu.Unlock()
}

// idleConnOf returns the relay's wrapper under c (also after STARTTLS).
func idleConnOf(c net.Conn) *idleConn {
	if t, ok := c.(*tls.Conn); ok {
		c = t.NetConn()
	}
	ic, _ := c.(*idleConn)
	return ic
}
