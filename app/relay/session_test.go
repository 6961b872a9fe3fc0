package relay_test

import (
	"bufio"
	"context"
	"encoding/base64"
	"errors"
	"io"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mailkey-app/mailkey/app/engine/enginetest"
	"github.com/mailkey-app/mailkey/app/mail"
	"github.com/mailkey-app/mailkey/app/queue"
	"github.com/mailkey-app/mailkey/app/relay"
)

// relayEnv is a relay on the loopback, in this process, in front of the
// Gmail stand-ins, with one relay password for enginetest.User.
type relayEnv struct {
	env      *enginetest.Env
	queue    *queue.Queue
	addr     string
	password string
}

func startRelay(t *testing.T, configure func(*relay.Server)) *relayEnv {
	t.Helper()
	env := enginetest.New(t)
	ctx, cancel := context.WithCancel(context.Background())
	if _, err := env.Engine.LoginAppPassword(ctx, enginetest.User, enginetest.AppPassword, env.Gmail.SMTP.StartTLSURL()); err != nil {
		t.Fatal(err)
	}
	pw := relay.PasswordsOf(env.Engine)
	secret, err := pw.Add(ctx, enginetest.User, "test")
	if err != nil {
		t.Fatal(err)
	}
	cert, err := relay.LoadCertificate(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	q := queue.Open(t.TempDir(), mail.MaxRawBytes)
	s := &relay.Server{Engine: env.Engine, Queue: q, Passwords: pw, Cert: cert, Poll: time.Hour}
	if configure != nil {
		configure(s)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = s.Serve(ctx, l); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return &relayEnv{env: env, queue: q, addr: l.Addr().String(), password: secret}
}

// client is a bare SMTP client, to see each reply as it is.
type client struct {
	t    *testing.T
	conn net.Conn
	r    *bufio.Reader
}

func dial(t *testing.T, addr string) *client {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	cl := &client{t: t, conn: c, r: bufio.NewReader(c)}
	cl.reply() // greeting
	cl.cmd("EHLO test")
	return cl
}

// reply reads one reply, possibly multiline, and returns its last line;
// "" when the connection ended.
func (c *client) reply() string {
	c.t.Helper()
	_ = c.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		line, err := c.r.ReadString('\n')
		if err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, net.ErrClosed) || strings.Contains(err.Error(), "reset") {
				return ""
			}
			c.t.Fatalf("reading a reply: %v", err)
		}
		if len(line) < 4 || line[3] != '-' {
			return strings.TrimRight(line, "\r\n")
		}
	}
}

func (c *client) cmd(line string) string {
	c.t.Helper()
	if _, err := io.WriteString(c.conn, line+"\r\n"); err != nil {
		return ""
	}
	return c.reply()
}

func (c *client) auth(user, pass string) string {
	return c.cmd("AUTH PLAIN " + base64.StdEncoding.EncodeToString([]byte("\x00"+user+"\x00"+pass)))
}

// The third wrong password of a connection ends it, as the README says;
// two wrong ones leave the right one working.
func TestRelayThirdWrongPasswordEndsConnection(t *testing.T) {
	re := startRelay(t, nil)

	c := dial(t, re.addr)
	for i := 1; i <= 2; i++ {
		if r := c.auth(enginetest.User, "wrong-wrong-wrong"); !strings.HasPrefix(r, "535 ") {
			t.Fatalf("wrong password %d: %q", i, r)
		}
	}
	if r := c.auth(enginetest.User, re.password); !strings.HasPrefix(r, "235 ") {
		t.Fatalf("the right password after two wrong ones: %q", r)
	}

	c = dial(t, re.addr)
	for i := 1; i <= 2; i++ {
		if r := c.auth(enginetest.User, "wrong-wrong-wrong"); !strings.HasPrefix(r, "535 ") {
			t.Fatalf("wrong password %d: %q", i, r)
		}
	}
	if r := c.auth(enginetest.User, "wrong-wrong-wrong"); !strings.HasPrefix(r, "421 ") {
		t.Fatalf("the third wrong password: %q, want 421", r)
	}
	if r := c.auth(enginetest.User, re.password); r != "" {
		t.Fatalf("the connection is still open after the third wrong password: %q", r)
	}
}

// A client that sends slowly but steadily is not cut off, however long the
// whole message takes; one that stops is, after the idle time.
func TestRelaySlowClientWithProgress(t *testing.T) {
	const idle = 400 * time.Millisecond
	re := startRelay(t, func(s *relay.Server) { s.IdleTimeout, s.DataTimeout = idle, time.Minute })

	c := dial(t, re.addr)
	if r := c.auth(enginetest.User, re.password); !strings.HasPrefix(r, "235 ") {
		t.Fatal(r)
	}
	for _, l := range []string{"MAIL FROM:<" + enginetest.User + ">", "RCPT TO:<bob@example.com>", "DATA"} {
		if r := c.cmd(l); !strings.HasPrefix(r, "250 ") && !strings.HasPrefix(r, "354 ") {
			t.Fatalf("%s: %q", l, r)
		}
	}
	start := time.Now()
	msg := "From: " + enginetest.User + "\r\nTo: bob@example.com\r\nSubject: slow\r\n\r\n" + strings.Repeat("a line of the body\r\n", 12)
	for i := 0; i < len(msg); i += 20 { // about 3 times the idle time in all
		end := min(i+20, len(msg))
		if _, err := io.WriteString(c.conn, msg[i:end]); err != nil {
			t.Fatalf("cut off after %v: %v", time.Since(start), err)
		}
		time.Sleep(idle / 4)
	}
	if r := c.cmd("."); !strings.HasPrefix(r, "250 ") {
		t.Fatalf("after %v with steady progress: %q", time.Since(start), r)
	}
	if took := time.Since(start); took < 2*idle {
		t.Fatalf("the message took only %v: the test proves nothing", took)
	}

	// Silence in the middle of DATA ends the connection.
	c = dial(t, re.addr)
	c.auth(enginetest.User, re.password)
	c.cmd("MAIL FROM:<" + enginetest.User + ">")
	c.cmd("RCPT TO:<bob@example.com>")
	c.cmd("DATA")
	_, _ = io.WriteString(c.conn, "Subject: stalled\r\n")
	time.Sleep(3 * idle)
	_, _ = io.WriteString(c.conn, "\r\nbody\r\n")
	if r := c.cmd("."); strings.HasPrefix(r, "250 ") {
		t.Fatalf("a client silent for %v in DATA was still taken", 3*idle)
	}
}

// The overall bound still holds for a message that never ends.
func TestRelayDataTimeout(t *testing.T) {
	re := startRelay(t, func(s *relay.Server) { s.IdleTimeout, s.DataTimeout = time.Second, 800*time.Millisecond })
	c := dial(t, re.addr)
	c.auth(enginetest.User, re.password)
	c.cmd("MAIL FROM:<" + enginetest.User + ">")
	c.cmd("RCPT TO:<bob@example.com>")
	c.cmd("DATA")
	_, _ = io.WriteString(c.conn, "Subject: endless\r\n\r\n")
	start := time.Now()
	for time.Since(start) < 2*time.Second {
		if _, err := io.WriteString(c.conn, "more\r\n"); err != nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if r := c.cmd("."); strings.HasPrefix(r, "250 ") {
		t.Fatal("a message trickling past DataTimeout was taken")
	}
}

// Addresses that delivery would refuse for good are refused before the
// 250, not after: nothing is queued, and Gmail is not contacted.
func TestRelayRefusesUndeliverableEnvelope(t *testing.T) {
	re := startRelay(t, nil)
	conns := re.env.Gmail.SMTP.Connections()         // the login's
	long := strings.Repeat("x", 65) + "@example.com" // a local part over 64 octets
	c := dial(t, re.addr)
	c.auth(enginetest.User, re.password)
	c.cmd("MAIL FROM:<" + enginetest.User + ">")
	if r := c.cmd("RCPT TO:<" + long + ">"); strings.HasPrefix(r, "250 ") {
		if r := c.cmd("DATA"); !strings.HasPrefix(r, "354 ") {
			t.Fatal(r)
		}
		r := c.cmd("From: " + enginetest.User + "\r\nTo: " + long + "\r\nSubject: long\r\n\r\nbody\r\n.")
		if !strings.HasPrefix(r, "553 ") && !strings.HasPrefix(r, "554 ") {
			t.Fatalf("DATA for an address Gmail cannot take: %q, want 553", r)
		}
	} else if !strings.HasPrefix(r, "553 ") {
		t.Fatalf("RCPT: %q", r)
	}
	if queued, _ := filepath.Glob(filepath.Join(re.queue.Dir(), "*.eml")); len(queued) != 0 {
		t.Fatalf("queued anyway: %v", queued)
	}
	if n := re.env.Gmail.SMTP.Connections(); n != conns {
		t.Fatalf("Gmail was contacted %d times for a refused message", n-conns)
	}
}
