// Command mailkey-peers runs local stand-ins for Google on loopback — an OAuth
// provider, an SMTP server with STARTTLS and implicit TLS, and a test CA — so
// that mailkey (app or CLI) can be tried end to end without a Google account.
// Delivered messages are printed and saved as .eml files.
//
//	go run ./cmd/mailkey-peers -dir /tmp/peers
//	SSL_CERT_FILE=/tmp/peers/ca.pem mailkey login --client-secret /tmp/peers/client_secret_desktop….json
package main

import (
	"flag"
	"fmt"
	"mime"
	"net/mail"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/mailkey-app/mailkey/internal/testpeer"
)

func main() {
	dir := flag.String("dir", filepath.Join(os.TempDir(), "mailkey-peers"), "where to write ca.pem, the client JSON files, peers.env and inbox/")
	user := flag.String("user", "ann@gmail.com", "the Google account the stand-in browser is signed in as (a test user)")
	appPassword := flag.String("app-password", "abcdefghijklmnop", "the app password the SMTP server accepts for -user")
	smtpAddr := flag.String("smtp", "127.0.0.1:0", "STARTTLS listen address")
	smtpsAddr := flag.String("smtps", "127.0.0.1:0", "implicit-TLS listen address")
	oauthAddr := flag.String("oauth", "127.0.0.1:0", "OAuth provider listen address")
	imapAddr := flag.String("imap", "127.0.0.1:0", "IMAP (implicit TLS) listen address")
	delay := flag.Duration("delivery-delay", 1500*time.Millisecond, "how long the mailbox takes to file a delivered message")
	flag.Parse()

	inbox := filepath.Join(*dir, "inbox")
	if err := os.MkdirAll(inbox, 0o700); err != nil {
		fail(err)
	}
	var n atomic.Int64
	// store writes a received message to the inbox and says so.
	store := func(via, from, to string, data []byte) {
		i := n.Add(1)
		name := filepath.Join(inbox, fmt.Sprintf("%03d.eml", i))
		_ = os.WriteFile(name, data, 0o600)
		subject := ""
		if msg, err := mail.ReadMessage(strings.NewReader(string(data))); err == nil {
			subject, _ = (&mime.WordDecoder{}).DecodeHeader(msg.Header.Get("Subject"))
			if from == "" {
				from, to = msg.Header.Get("From"), msg.Header.Get("To")
			}
		}
		fmt.Printf("received #%d via %s from %s to %s, %d bytes, subject %q → %s\n", i, via, from, to, len(data), subject, name)
	}
	g, err := testpeer.StartGmail(testpeer.GmailOptions{
		Dir: *dir, TestUsers: []string{*user},
		Passwords:        map[string]string{*user: *appPassword},
		AccountPasswords: map[string]string{*user: "Correct-Horse-9!"},
		SMTPAddr:         *smtpAddr, SMTPSAddr: *smtpsAddr, OAuthAddr: *oauthAddr, IMAPAddr: *imapAddr,
		OnMessage: func(m testpeer.Received) {
			store("SMTP "+m.Mech, m.From, strings.Join(m.To, ", "), m.Data)
		},
	})
	if err != nil {
		fail(err)
	}
	defer g.Close()
	g.Mailbox.SetDelay(*delay)
	g.API.SetOnSend(func(raw []byte) { g.Mailbox.DeliverRaw(raw); store("the Gmail API", "", "", raw) })

	env := fmt.Sprintf("SSL_CERT_FILE=%s\nMAILKEY_PEER_SMTP=%s\nMAILKEY_PEER_SMTPS=%s\nMAILKEY_PEER_CLIENT=%s\nMAILKEY_PEER_WEB_CLIENT=%s\nMAILKEY_PEER_USER=%s\nMAILKEY_PEER_API=%s\nMAILKEY_PEER_IMAP=%s\n",
		g.CA.CertFile, g.SMTP.StartTLSURL(), g.SMTP.ImplicitTLSURL(), g.ClientFile, g.WebClientFile, *user, g.API.URL, g.IMAP.URL)
	if err := os.WriteFile(filepath.Join(*dir, "peers.env"), []byte(env), 0o600); err != nil {
		fail(err)
	}
	shown := *appPassword
	if len(shown) == 16 {
		shown = shown[:4] + " " + shown[4:8] + " " + shown[8:12] + " " + shown[12:]
	}
	fmt.Printf(`Local stand-ins for Google are running (Ctrl-C stops them).

  SMTP, STARTTLS:     %s
  SMTP, TLS:          %s
  OAuth provider:     %s
  Gmail API:          %s   (mailkey login … --api URL)
  IMAP:               %s   (mailkey login --app-password … --imap URL)
  Desktop client:     %s
  Web client:         %s   (to see mailkey refuse it)
  Test CA:            %s
  Signed-in user:     %s   app password: %s

Run mailkey with the test CA, for example:
  export SSL_CERT_FILE=%s
  mailkey login --app-password --email %s --smtp %s
  mailkey login --client-secret %s --smtp %s
The same values are in %s.
kill -USR1 %d turns the Gmail API off or on again in the project; kill -USR2 %d closes the SMTP ports;
kill -HUP %d deletes the OAuth client (the token endpoint answers 401 deleted_client) or restores it.
`, g.SMTP.StartTLSURL(), g.SMTP.ImplicitTLSURL(), g.OAuth.URL, g.API.URL, g.IMAP.URL, g.ClientFile, g.WebClientFile, g.CA.CertFile, *user, shown,
		g.CA.CertFile, *user, g.SMTP.StartTLSURL(), g.ClientFile, g.SMTP.StartTLSURL(), filepath.Join(*dir, "peers.env"), os.Getpid(), os.Getpid(), os.Getpid())

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM, syscall.SIGUSR1, syscall.SIGUSR2, syscall.SIGHUP)
	apiOff, deleted := false, false
	for s := range sig {
		switch s {
		case syscall.SIGUSR1:
			apiOff = !apiOff
			g.API.SetAPIDisabled(apiOff)
			fmt.Printf("Gmail API turned off in the project: %v\n", apiOff)
		case syscall.SIGHUP:
			deleted = !deleted
			g.OAuth.SetClientDeleted(deleted)
			fmt.Printf("OAuth client deleted: %v\n", deleted)
		case syscall.SIGUSR2:
			_ = g.SMTP.Close()
			fmt.Println("SMTP ports closed: connections to them are refused now")
		default:
			return
		}
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "mailkey-peers:", err)
	os.Exit(1)
}
