package mail

import (
	"bytes"
	"fmt"
	"net"

	"github.com/mailkey-app/mailkey/app/advice"
)

// Limits on what a server may send as one reply. RFC 5321 (4.5.3.1.5) allows
// 512 octets a reply line; a few KiB leaves room for servers that go beyond
// it while a hostile one (anyone on the path, before TLS) cannot fill memory.
const (
	maxReplyLine  = 4 << 10 // bytes in one reply line, its line end included
	maxReplyLines = 100     // lines in one multi-line reply
)

// ErrReplyTooLong means the server sent a reply line or a multi-line reply
// longer than mailkey accepts; the connection was closed.
var ErrReplyTooLong = advice.Sentinel(advice.Failure, "server reply too long")

// replyGuard follows the bytes a server sends as SMTP replies, the way
// net/textproto's ReadResponse reads them, and refuses a line longer than
// maxReplyLine or a reply of more than maxReplyLines lines. Like textproto,
// it ends a multi-line reply only at a line "NNN " with the code of its first
// line; a line that does not parse continues the reply.
type replyGuard struct {
	col    int     // bytes of the current line so far, its line end included
	head   [4]byte // the first four bytes of the current line
	lines  int     // lines of the current multi-line reply so far; 0 outside one
	code   [3]byte // the current multi-line reply's code
	codeOK bool    // code is one a final line can match (three digits, 100 to 999)
}

// scan checks the next bytes from the server.
func (g *replyGuard) scan(p []byte) error {
	for len(p) > 0 {
		seg := p
		end := bytes.IndexByte(p, '\n')
		if end >= 0 {
			seg = p[:end+1]
		}
		if g.col == 0 && g.lines > 0 { // a line of a multi-line reply begins
			g.lines++
			if g.lines > maxReplyLines {
				return fmt.Errorf("%w: more than %d lines", ErrReplyTooLong, maxReplyLines)
			}
		}
		for i := 0; i < len(seg) && g.col+i < len(g.head); i++ {
			g.head[g.col+i] = seg[i]
		}
		g.col += len(seg)
		if g.col > maxReplyLine {
			return fmt.Errorf("%w: a line longer than %d bytes", ErrReplyTooLong, maxReplyLine)
		}
		p = p[len(seg):]
		if end >= 0 {
			g.endLine()
		}
	}
	return nil
}

// endLine accounts for a complete line. (A line is counted as it begins,
// since textproto also takes an unterminated last line.)
func (g *replyGuard) endLine() {
	var sep byte // ' ' or '-' after the code; 0 when the line is shorter
	if g.col >= len(g.head)+1 {
		sep = g.head[3]
	}
	g.col = 0
	if g.lines == 0 { // the first line of a reply
		if sep == '-' {
			g.lines = 1
			g.code = [3]byte(g.head[:3])
			g.codeOK = g.code[0] >= '1' && g.code[0] <= '9' && isDigit(g.code[1]) && isDigit(g.code[2])
		}
		return // a final line, or one textproto refuses, ends the reply
	}
	if sep == ' ' && g.codeOK && [3]byte(g.head[:3]) == g.code {
		g.lines = 0
	}
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// replyConn checks everything read from the server with a replyGuard, and
// hands out only whole lines: the part of a line that a failure (a timeout,
// the guard's refusal, the end of the connection) cuts short is dropped,
// where bufio would pass it on as a complete line. It sits where the bytes
// are SMTP text: on the TCP connection before STARTTLS, on the TLS
// connection after it. On the guard's refusal it closes the connection, so
// the server stops being read at once; any failure is returned by every
// later Read.
type replyConn struct {
	net.Conn
	guard replyGuard
	buf   []byte // read from Conn, not handed out yet; at most a line and a chunk
	ready int    // buf[:ready] ends with a line end and may be handed out
	err   error
	chunk []byte
}

// newReplyConn returns conn's reads checked; greeting, when set, is handed
// out first: the greeting go-mail expects once mailkey has set up TLS itself.
func newReplyConn(conn net.Conn, greeting string) *replyConn {
	return &replyConn{Conn: conn, buf: []byte(greeting), ready: len(greeting)}
}

func (c *replyConn) Read(b []byte) (int, error) {
	for c.ready == 0 {
		if c.err != nil {
			return 0, c.err
		}
		c.fill()
	}
	n := copy(b, c.buf[:c.ready])
	c.buf, c.ready = c.buf[n:], c.ready-n
	return n, nil
}

// fill reads once from Conn.
func (c *replyConn) fill() {
	if c.chunk == nil {
		c.chunk = make([]byte, 4096)
	}
	c.buf = append(c.buf[:0:0], c.buf...) // drop what was handed out
	n, err := c.Conn.Read(c.chunk)
	if gerr := c.guard.scan(c.chunk[:n]); gerr != nil {
		_ = c.Conn.Close()
		c.buf, c.err = c.buf[:c.ready], gerr
		return
	}
	c.buf = append(c.buf, c.chunk[:n]...)
	if i := bytes.LastIndexByte(c.buf, '\n'); i >= 0 {
		c.ready = i + 1
	}
	if err != nil {
		c.err = err
	}
}

// held reports bytes received but not yet handed out.
func (c *replyConn) held() int { return len(c.buf) }
