package mail

import (
	"errors"
	"fmt"
	"net"
	"net/textproto"
	"os"
	"strings"

	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/wneessen/go-mail/log"
)

// mailkey runs the plain-text start of an smtp:// session itself (greeting,
// EHLO, STARTTLS) and hands go-mail a connection that is already TLS: go-mail
// would wrap the connection in TLS inside its own client, where no limit on
// the length of the replies that follow could reach the decrypted text.

// errNoSTARTTLS means the server's EHLO reply does not offer STARTTLS.
var errNoSTARTTLS = advice.Sentinel(advice.Failure, "the server does not support STARTTLS")

// startTLSRefused is the server's refusal of STARTTLS, or a reply that
// cannot be trusted to start TLS.
type startTLSRefused struct{ err error }

func (e *startTLSRefused) Error() string { return "STARTTLS refused: " + e.err.Error() }
func (e *startTLSRefused) Unwrap() error { return e.err }

// tlsGreeting is what go-mail reads as the greeting once mailkey has started
// TLS: the server greets only once, before STARTTLS.
const tlsGreeting = "220 mailkey: TLS is up\r\n"

// helloName is the name mailkey gives in EHLO: the host name, as go-mail
// would give it.
func helloName() string {
	h, err := os.Hostname()
	if err != nil || h == "" || strings.ContainsAny(h, " \r\n") {
		return "localhost"
	}
	return h
}

// startTLS reads the greeting, sends EHLO and STARTTLS over conn, with every
// reply bounded, and returns nil once the server agreed to start TLS.
// mailkey never sends without encryption: a server that does not offer
// STARTTLS or refuses it ends the session here.
func startTLS(conn net.Conn, helo string, tr *transcript) error {
	rc := newReplyConn(conn, "")
	text := textproto.NewConn(rc)
	read := func(expect int) (string, error) {
		code, msg, err := text.ReadResponse(expect)
		if code != 0 {
			tr.add(log.Log{Direction: log.DirServerToClient, Format: "%d %s", Messages: []any{code, msg}})
		}
		return msg, err
	}
	send := func(cmd string) error {
		tr.add(log.Log{Direction: log.DirClientToServer, Format: "%s", Messages: []any{cmd}})
		_, err := text.Cmd("%s", cmd)
		return err
	}
	if _, err := read(220); err != nil {
		return err
	}
	if err := send("EHLO " + helo); err != nil {
		return err
	}
	ehlo, err := read(250)
	if err != nil {
		return err
	}
	if !offersSTARTTLS(ehlo) {
		return errNoSTARTTLS
	}
	if err := send("STARTTLS"); err != nil {
		return err
	}
	if _, err := read(220); err != nil {
		var tp *textproto.Error
		if errors.As(err, &tp) {
			return &startTLSRefused{err: err}
		}
		return err
	}
	// Bytes after the 220 would be read as if they came over TLS: a known
	// way to inject replies (CVE-2011-0411 and its kin).
	if n := text.R.Buffered() + rc.held(); n > 0 {
		return &startTLSRefused{err: fmt.Errorf("%d bytes followed the 220 reply before TLS started", n)}
	}
	return nil
}

// offersSTARTTLS reports whether an EHLO reply (the text after the codes,
// one line per extension after the first) lists STARTTLS.
func offersSTARTTLS(ehlo string) bool {
	lines := strings.Split(ehlo, "\n")
	for _, l := range lines[1:] {
		if f := strings.Fields(l); len(f) > 0 && strings.EqualFold(f[0], "STARTTLS") {
			return true
		}
	}
	return false
}
