package mail

import (
	"errors"
	"io"
	"net/textproto"

	"github.com/wneessen/go-mail/log"
	"github.com/wneessen/go-mail/smtp"
)

// SMTP pipelining (RFC 2920). When the server advertises PIPELINING, as Gmail
// does, MAIL, every RCPT and DATA go out in one write and their replies are
// read afterwards, in order: one round trip instead of two plus one per
// recipient. The message follows DATA's 354 as usual, and QUIT is sent
// without waiting for its 221.
//
// go-mail's smtp.Client does not pipeline: each of its Mail, Rcpt and Data
// calls writes one command, flushes and waits for the reply. Extending it
// would mean a fork of go-mail; its Client exposes its textproto.Conn (Text)
// "for clients to add extensions", and writing the exchange on that
// connection is a few dozen lines. go-mail still runs the rest of the session
// (greeting, EHLO, STARTTLS, AUTH), and its Extension reports the server's
// EHLO keywords.

// maxGroup bounds the commands written before their replies are read. The
// replies of a group (about 50 bytes each, at most a few hundred) then fit in
// the socket buffers, so the server can never block writing replies while
// mailkey blocks writing commands (RFC 2920, section 3.1, on deadlock).
var maxGroup = 128

// pipelining turns pipelining off when false, for the tests of the plain
// exchange (go-smtp's server always offers PIPELINING).
var pipelining = true

// pipelines reports whether mailkey pipelines its commands to the server of sc.
func pipelines(sc *smtp.Client) bool {
	ok, _ := sc.Extension("PIPELINING")
	return ok && pipelining
}

// pipelinedCmd is one command of a group and the reply class it expects.
type pipelinedCmd struct {
	line   string
	expect int // as textproto.Reader.ReadResponse takes it: 250, 25 or 354
}

// deliverPipelined runs MAIL, RCPT… and DATA pipelined, writes the message
// with body, and sends QUIT without waiting. Every reply is read, logged to
// lg and checked; the first refusal is returned as the *textproto.Error it
// is, just as go-mail's own commands return it, so that it is explained the
// same way. After a refusal the message is not sent: if DATA was accepted
// anyway, the connection is closed before the final dot, which makes the
// server drop the transaction (RFC 5321, section 4.1.1.4), instead of
// sending an empty message to the recipients that were accepted.
func deliverPipelined(sc *smtp.Client, lg log.Logger, from string, rcpts []string, body func(io.Writer) error) error {
	if err := sendPipelined(sc, lg, pipelinedEnvelope(sc, from, rcpts)); err != nil {
		return err
	}
	if err := sendData(sc, lg, body); err != nil {
		return err
	}
	quitNow(sc, lg)
	return nil
}

// pipelinedEnvelope is MAIL FROM, one RCPT TO for each recipient, and DATA, with the
// reply each expects.
func pipelinedEnvelope(sc *smtp.Client, from string, rcpts []string) []pipelinedCmd {
	mail := "MAIL FROM:<" + from + ">"
	if ok, _ := sc.Extension("8BITMIME"); ok {
		mail += " BODY=8BITMIME"
	}
	if ok, _ := sc.Extension("SMTPUTF8"); ok { // as go-mail's Mail adds it
		mail += " SMTPUTF8"
	}
	cmds := make([]pipelinedCmd, 0, len(rcpts)+2)
	cmds = append(cmds, pipelinedCmd{mail, 250})
	for _, r := range rcpts {
		cmds = append(cmds, pipelinedCmd{"RCPT TO:<" + r + ">", 25})
	}
	return append(cmds, pipelinedCmd{"DATA", 354})
}

// sendPipelined sends cmds in groups of at most maxGroup, reading each
// group's replies, and returns the first refusal.
func sendPipelined(sc *smtp.Client, lg log.Logger, cmds []pipelinedCmd) error {
	var refused error
	for len(cmds) > 0 {
		group := cmds[:min(len(cmds), maxGroup)]
		cmds = cmds[len(group):]
		if err := writeGroup(sc.Text, lg, group); err != nil {
			return err
		}
		for _, c := range group {
			code, msg, err := sc.Text.ReadResponse(c.expect)
			var tp *textproto.Error
			if err != nil && !errors.As(err, &tp) {
				// The connection broke (after a 421, the server closes it):
				// the server's own reply explains more than the EOF.
				if refused != nil {
					return refused
				}
				return err
			}
			lg.Debugf(log.Log{Direction: log.DirServerToClient, Format: "%d %s", Messages: []any{code, msg}})
			if err != nil && refused == nil {
				refused = err
			}
		}
	}
	return refused
}

// sendData writes the message after DATA's 354 and reads the server's
// verdict.
func sendData(sc *smtp.Client, lg log.Logger, body func(io.Writer) error) error {
	w := sc.Text.DotWriter()
	if err := body(w); err != nil {
		return err
	}
	// The whole message is out once the dot is: a failure now, other than
	// the server's own reply, leaves delivery uncertain.
	if err := w.Close(); err != nil {
		return &afterDataError{err: err}
	}
	code, msg, err := sc.Text.ReadResponse(250)
	var tp *textproto.Error
	if err != nil && !errors.As(err, &tp) {
		return &afterDataError{err: err}
	}
	lg.Debugf(log.Log{Direction: log.DirServerToClient, Format: "%d %s", Messages: []any{code, msg}})
	return err
}

// writeGroup writes the commands of a group in one write.
func writeGroup(text *textproto.Conn, lg log.Logger, group []pipelinedCmd) error {
	var b []byte
	for _, c := range group {
		lg.Debugf(log.Log{Direction: log.DirClientToServer, Format: "%s", Messages: []any{c.line}})
		b = append(append(b, c.line...), "\r\n"...)
	}
	// textproto's buffer is empty between commands: a short group is copied
	// into it and flushed once, a long one goes straight to the connection.
	if _, err := text.W.Write(b); err != nil {
		return err
	}
	return text.W.Flush()
}

// quitNow sends QUIT and closes the connection without waiting for the 221:
// the message is accepted, nothing the server says now can change that.
// go-mail's Quit would wait a round trip for it.
func quitNow(sc *smtp.Client, lg log.Logger) {
	lg.Debugf(log.Log{Direction: log.DirClientToServer, Format: "%s", Messages: []any{"QUIT"}})
	_, _ = sc.Text.W.WriteString("QUIT\r\n")
	_ = sc.Text.W.Flush()
	_ = sc.Close() // the session's CloseWithSMTPClient then has nothing left to do
}
