package mail

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mailkey-app/mailkey/internal/testpeer"
)

// A hostile SMTP server on loopback: a raw TCP listener that runs a script
// against each connection, so that it can send what no real server library
// would (replies without end, control characters, echoed credentials).

// hostileConn is one connection of the hostile server, as its script sees it.
type hostileConn struct {
	t    *testing.T
	conn net.Conn
	r    *bufio.Reader
	ca   *testpeer.CA
}

// line reads one command from the client.
func (h *hostileConn) line() string {
	s, err := h.r.ReadString('\n')
	if err != nil {
		panic(errScriptEnd)
	}
	return strings.TrimRight(s, "\r\n")
}

// send writes s; a failed write (the client hung up) ends the script.
func (h *hostileConn) send(s string) {
	if _, err := io.WriteString(h.conn, s); err != nil {
		panic(errScriptEnd)
	}
}

// answer sends reply and reads the client's next command.
func (h *hostileConn) answer(reply string) string {
	h.send(reply)
	return h.line()
}

// startTLS switches the connection to TLS as the server side.
func (h *hostileConn) startTLS() {
	tc := tls.Server(h.conn, h.ca.ServerTLS)
	if err := tc.Handshake(); err != nil {
		panic(errScriptEnd)
	}
	h.conn, h.r = tc, bufio.NewReader(tc)
}

// flood sends prefix, then filler bytes without a line end until total bytes
// are out or the client hangs up. It returns how many bytes went out.
func (h *hostileConn) flood(prefix string, total int64) int64 {
	h.send(prefix)
	chunk := []byte(strings.Repeat("A", 64<<10))
	sent := int64(len(prefix))
	for sent < total {
		n, err := h.conn.Write(chunk)
		sent += int64(n)
		if err != nil {
			break
		}
	}
	return sent
}

// ehloStartTLS answers the greeting, EHLO and STARTTLS of a STARTTLS client
// and switches to TLS; the client's second EHLO is then due.
func (h *hostileConn) ehloStartTLS() {
	h.send("220 hostile.example ESMTP\r\n")
	h.line() // EHLO
	h.send("250-hostile.example\r\n250 STARTTLS\r\n")
	h.line() // STARTTLS
	h.send("220 2.0.0 Ready to start TLS\r\n")
	h.startTLS()
}

// ehloAuth answers the EHLO after TLS with AUTH offered.
func (h *hostileConn) ehloAuth() {
	h.line() // EHLO
	h.send("250-hostile.example\r\n250-SIZE 35882577\r\n250 AUTH PLAIN XOAUTH2\r\n")
}

var errScriptEnd = errors.New("script ended")

type hostile struct {
	ln   net.Listener
	ca   *testpeer.CA
	wg   sync.WaitGroup
	sent chan int64 // bytes the last script reported (flood)
}

// startHostile listens on 127.0.0.1 and runs script on each connection, with
// TLS from the first byte when implicit.
func startHostile(t *testing.T, implicit bool, script func(h *hostileConn) int64) *hostile {
	t.Helper()
	ca, err := testpeer.NewCA(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &hostile{ln: ln, ca: ca, sent: make(chan int64, 16)}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				defer c.Close()
				_ = c.SetDeadline(time.Now().Add(20 * time.Second)) // a leaked client connection cannot hang the test
				h := &hostileConn{t: t, conn: c, r: bufio.NewReader(c), ca: ca}
				defer func() {
					if r := recover(); r != nil && r != errScriptEnd { //nolint:errorlint // the sentinel itself
						panic(r)
					}
				}()
				if implicit {
					h.startTLS()
				}
				if n := script(h); n > 0 {
					s.sent <- n
				}
			}()
		}
	}()
	t.Cleanup(func() { _ = ln.Close(); s.wg.Wait() })
	return s
}

func (s *hostile) endpoint(implicit bool) Endpoint {
	port, _ := strconv.Atoi(s.ln.Addr().(*net.TCPAddr).AddrPort().String()[len("127.0.0.1:"):])
	return Endpoint{Host: "127.0.0.1", Port: port, ImplicitTLS: implicit}
}

func (s *hostile) sender() *Sender {
	return &Sender{RootCAs: s.ca.Pool, Timeout: 10 * time.Second}
}

// floodTotal is what a flooding script sends at most: 300 MiB, the size that
// took mailkey to 1.1 GB before replies were bounded.
const floodTotal = 300 << 20

// TestHostileRepliesAreBounded: a server that sends one reply line without
// end, or a reply with endless lines, at each stage of the session (before
// TLS, right after STARTTLS, with implicit TLS, after AUTH) makes Send fail at
// once with ErrReplyTooLong, having allocated only a few MiB while the server
// offered 300 MiB.
func TestHostileRepliesAreBounded(t *testing.T) {
	lines := func(h *hostileConn, prefix string) int64 {
		var sent int64
		for sent < floodTotal {
			l := prefix + "-line of a reply that never ends\r\n"
			if _, err := io.WriteString(h.conn, l); err != nil {
				break
			}
			sent += int64(len(l))
		}
		return sent
	}
	tests := []struct {
		name     string
		implicit bool
		script   func(h *hostileConn) int64
	}{
		{"endless greeting line before TLS", false, func(h *hostileConn) int64 { return h.flood("220 ", floodTotal) }},
		{"endless greeting lines before TLS", false, func(h *hostileConn) int64 { return lines(h, "220") }},
		{"endless EHLO line before TLS", false, func(h *hostileConn) int64 {
			h.send("220 hostile.example ESMTP\r\n")
			h.line()
			return h.flood("250-", floodTotal)
		}},
		{"endless STARTTLS reply", false, func(h *hostileConn) int64 {
			h.send("220 hostile.example ESMTP\r\n")
			h.line()
			h.send("250-hostile.example\r\n250 STARTTLS\r\n")
			h.line()
			return h.flood("220 ", floodTotal)
		}},
		{"endless EHLO line after STARTTLS", false, func(h *hostileConn) int64 {
			h.ehloStartTLS()
			h.line()
			return h.flood("250-", floodTotal)
		}},
		{"endless EHLO lines after STARTTLS", false, func(h *hostileConn) int64 {
			h.ehloStartTLS()
			h.line()
			return lines(h, "250")
		}},
		{"endless greeting line with implicit TLS", true, func(h *hostileConn) int64 { return h.flood("220 ", floodTotal) }},
		{"endless MAIL reply after AUTH", false, func(h *hostileConn) int64 {
			h.ehloStartTLS()
			h.ehloAuth()
			h.line() // AUTH PLAIN …
			h.send("235 2.7.0 Accepted\r\n")
			h.line() // MAIL FROM
			return h.flood("250 ", floodTotal)
		}},
		{"endless RCPT lines after AUTH", true, func(h *hostileConn) int64 {
			h.send("220 hostile.example ESMTP\r\n")
			h.ehloAuth()
			h.line() // AUTH PLAIN …
			h.send("235 2.7.0 Accepted\r\n")
			h.line() // MAIL FROM
			h.send("250 2.1.0 OK\r\n")
			h.line() // RCPT TO
			return lines(h, "250")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := startHostile(t, tt.implicit, tt.script)
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			start := time.Now()
			_, err := sendSMTP(s.sender(), context.Background(), s.endpoint(tt.implicit), Credential{Username: ann, Password: annPass},
				Message{From: ann, To: []string{"bob@example.com"}, Subject: "hi", Body: "hi"})
			took := time.Since(start)
			runtime.ReadMemStats(&after)
			grew := after.TotalAlloc - before.TotalAlloc
			var sent int64
			select {
			case sent = <-s.sent:
			case <-time.After(10 * time.Second):
				t.Fatal("the hostile server never stopped sending")
			}
			t.Logf("error after %v, %.1f MiB allocated, server sent %.1f MiB: %v", took, float64(grew)/(1<<20), float64(sent)/(1<<20), err)
			if !errors.Is(err, ErrReplyTooLong) {
				t.Errorf("error %v, want ErrReplyTooLong", err)
			}
			if !strings.Contains(err.Error(), "127.0.0.1") || !strings.Contains(err.Error(), "smtps://smtp.gmail.com:465") {
				t.Errorf("error %q does not name the server and what to do", err)
			}
			if grew > 16<<20 {
				t.Errorf("Send allocated %.1f MiB while the server flooded it, want < 16 MiB", float64(grew)/(1<<20))
			}
			if took > 5*time.Second {
				t.Errorf("Send took %v to give up", took)
			}
		})
	}
}

// TestLongButLegalRepliesPass: replies within the limits (a 2,000-byte line,
// 60 lines) still work, before and after TLS.
func TestLongButLegalRepliesPass(t *testing.T) {
	long := strings.Repeat("x", 2000)
	var many strings.Builder
	for range 60 {
		many.WriteString("250-" + long[:70] + "\r\n")
	}
	got := make(chan string, 1)
	s := startHostile(t, false, func(h *hostileConn) int64 {
		h.send("220-" + long + "\r\n220 hostile.example ESMTP\r\n")
		h.line()
		h.send(many.String() + "250 STARTTLS\r\n")
		h.line()
		h.send("220 2.0.0 Ready to start TLS\r\n")
		h.startTLS()
		h.line()
		h.send(many.String() + "250 AUTH PLAIN\r\n")
		h.line()
		h.send("235 2.7.0 Accepted\r\n")
		h.line()
		h.send("250-" + long + "\r\n" + many.String() + "250 OK\r\n")
		h.line()
		h.send("250 OK\r\n")
		h.line()
		h.send("354 Go ahead\r\n")
		var data strings.Builder
		for l := h.line(); l != "."; l = h.line() {
			data.WriteString(l + "\n")
		}
		h.send("250 2.0.0 OK " + long + "\r\n")
		h.line()
		h.send("221 2.0.0 closing connection\r\n")
		got <- data.String()
		return 0
	})
	_, err := sendSMTP(s.sender(), context.Background(), s.endpoint(false), Credential{Username: ann, Password: annPass},
		Message{From: ann, To: []string{"bob@example.com"}, Subject: "long replies", Body: "hi"})
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	if d := <-got; !strings.Contains(d, "Subject: long replies") {
		t.Fatalf("server got %q", d)
	}
}

// TestTricklingServerMeetsTheTimeout: a server that sends its reply one byte
// at a time, each just within the idle timeout, cannot keep a send alive:
// every reply must be complete within the timeout of the command (or of the
// connection, for the greeting), before and after TLS.
func TestTricklingServerMeetsTheTimeout(t *testing.T) {
	trickle := func(h *hostileConn, reply string) int64 {
		for i := range len(reply) {
			h.send(reply[i : i+1])
			time.Sleep(150 * time.Millisecond)
		}
		return 0
	}
	slow := "220 " + strings.Repeat("s", 200) + "\r\n"
	tests := []struct {
		name     string
		implicit bool
		script   func(h *hostileConn) int64
	}{
		{"greeting before TLS", false, func(h *hostileConn) int64 { return trickle(h, slow) }},
		{"EHLO reply before TLS", false, func(h *hostileConn) int64 {
			h.send("220 hostile.example ESMTP\r\n")
			h.line()
			return trickle(h, "250-"+strings.Repeat("s", 200)+"\r\n250 STARTTLS\r\n")
		}},
		{"greeting with implicit TLS", true, func(h *hostileConn) int64 { return trickle(h, slow) }},
		{"MAIL reply after AUTH", false, func(h *hostileConn) int64 {
			h.ehloStartTLS()
			h.ehloAuth()
			h.line()
			h.send("235 2.7.0 Accepted\r\n")
			h.line()
			return trickle(h, "250 "+strings.Repeat("s", 200)+"\r\n")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := startHostile(t, tt.implicit, tt.script)
			snd := s.sender()
			snd.Timeout = time.Second
			start := time.Now()
			_, err := sendSMTP(snd, context.Background(), s.endpoint(tt.implicit), Credential{Username: ann, Password: annPass},
				Message{From: ann, To: []string{"bob@example.com"}, Subject: "hi", Body: "hi"})
			took := time.Since(start)
			t.Logf("after %v: %v (%v)", took, err, errors.Unwrap(err))
			if !errors.Is(err, ErrTimeout) {
				t.Errorf("error %v, want ErrTimeout", err)
			}
			if took > 3*time.Second {
				t.Errorf("the trickling server kept the send for %v (timeout 1 s)", took)
			}
		})
	}
}
