// Command floor is the reference for mailkey-bench's floor row: the least a
// Go program must do to send a message as mailkey send does. It connects,
// switches to TLS with STARTTLS (trusting only SSL_CERT_FILE), logs in with
// AUTH PLAIN using the app password read through go-keyring from the same
// Secret Service item, runs MAIL, RCPT, DATA and QUIT (net/smtp), and exits.
//
//	floor HOST:PORT FROM TO BODYFILE
package main

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/smtp"
	"os"
	"time"

	"github.com/zalando/go-keyring"
)

func main() {
	if err := send(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		os.Exit(1)
	}
}

func send(args []string) error {
	if len(args) != 4 {
		return fmt.Errorf("usage: floor HOST:PORT FROM TO BODYFILE")
	}
	addr, from, to, bodyFile := args[0], args[1], args[2], args[3]
	pass, err := keyring.Get("mailkey", from+"/app-password")
	if err != nil {
		return err
	}
	body, err := os.ReadFile(bodyFile)
	if err != nil {
		return err
	}
	pem, err := os.ReadFile(os.Getenv("SSL_CERT_FILE"))
	if err != nil {
		return err
	}
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(pem)
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return err
	}
	conn, err := net.DialTimeout("tcp", addr, 30*time.Second)
	if err != nil {
		return err
	}
	_ = conn.SetDeadline(time.Now().Add(60 * time.Second))
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		return err
	}
	if err := c.StartTLS(&tls.Config{ServerName: host, RootCAs: roots, MinVersion: tls.VersionTLS12}); err != nil {
		return err
	}
	if err := c.Auth(smtp.PlainAuth("", from, pass, host)); err != nil {
		return err
	}
	if err := c.Mail(from); err != nil {
		return err
	}
	if err := c.Rcpt(to); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	msg := fmt.Sprintf("From: <%s>\r\nTo: <%s>\r\nSubject: bench\r\nDate: %s\r\nMessage-ID: <%d@floor>\r\n"+
		"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n",
		from, to, time.Now().Format(time.RFC1123Z), time.Now().UnixNano())
	if _, err := w.Write(append([]byte(msg), body...)); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}
