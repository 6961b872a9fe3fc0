package testpeer

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// GmailOptions configures StartGmail.
type GmailOptions struct {
	// Dir receives ca.pem and the client JSON files.
	Dir string
	// TestUsers may sign in with OAuth; the first is the one "the browser" is
	// signed in as.
	TestUsers []string
	// Passwords and AccountPasswords are as in SMTPOptions.
	Passwords, AccountPasswords map[string]string
	// SMTPAddr, SMTPSAddr, OAuthAddr and IMAPAddr fix the listen addresses (empty: random ports).
	SMTPAddr, SMTPSAddr, OAuthAddr, IMAPAddr string
	// OnMessage is called with every accepted message.
	OnMessage func(Received)
}

// Gmail is a local stand-in for Google: a test CA, an OAuth provider, and an
// SMTP server whose XOAUTH2 checks tokens against that provider.
type Gmail struct {
	CA    *CA
	OAuth *OAuth
	SMTP  *SMTP
	// API is the Gmail API stand-in; its tokens come from OAuth.
	API *GmailAPI
	// Mailbox stores what SMTP and API deliver; API and IMAP read it.
	Mailbox *Mailbox
	// IMAP serves the Mailbox to app-password accounts.
	IMAP *IMAP
	// ClientFile and WebClientFile are the provider's client JSON files, as
	// Google's console would download them for a Desktop and a Web client.
	ClientFile, WebClientFile string
}

// StartGmail starts the three peers. Call Close when done.
func StartGmail(opts GmailOptions) (*Gmail, error) {
	ca, err := NewCA(opts.Dir)
	if err != nil {
		return nil, err
	}
	op, err := StartOAuth(OAuthOptions{TestUsers: opts.TestUsers, Addr: opts.OAuthAddr})
	if err != nil {
		return nil, err
	}
	api, err := StartGmailAPI(op, "")
	if err != nil {
		op.Close()
		return nil, err
	}
	mb := api.Mailbox()
	onMessage := func(r Received) {
		mb.DeliverSMTP(r)
		if opts.OnMessage != nil {
			opts.OnMessage(r)
		}
	}
	sp, err := StartSMTP(SMTPOptions{
		TLS: ca.ServerTLS, Passwords: opts.Passwords, AccountPasswords: opts.AccountPasswords,
		Tokens: op, Addr: opts.SMTPAddr, TLSAddr: opts.SMTPSAddr, OnMessage: onMessage,
	})
	if err != nil {
		api.Close()
		op.Close()
		return nil, err
	}
	api.SetOnSend(mb.DeliverRaw)
	ip, err := StartIMAP(IMAPOptions{TLS: ca.ServerTLS, Passwords: opts.Passwords, Addr: opts.IMAPAddr})
	if err != nil {
		api.Close()
		_ = sp.Close()
		op.Close()
		return nil, err
	}
	ip.Feed(mb)
	g := &Gmail{
		CA: ca, OAuth: op, SMTP: sp, API: api, Mailbox: mb, IMAP: ip,
		ClientFile:    filepath.Join(opts.Dir, "client_secret_desktop.apps.googleusercontent.com.json"),
		WebClientFile: filepath.Join(opts.Dir, "client_secret_web.apps.googleusercontent.com.json"),
	}
	err = errors.Join(os.WriteFile(g.ClientFile, op.ClientJSON("installed"), 0o600),
		os.WriteFile(g.WebClientFile, op.ClientJSON("web"), 0o600))
	if err != nil {
		g.Close()
		return nil, err
	}
	return g, nil
}

// Close stops the peers.
func (g *Gmail) Close() {
	_ = g.SMTP.Close()
	g.API.Close()
	g.IMAP.Close()
	g.OAuth.Close()
}

// RequireBusEnv, set to 1 as make test does, says that the session bus of
// the real Secret Service is required: without one, the tests that need it
// fail instead of being skipped, so that make test never skips them silently.
const RequireBusEnv = "MAILKEY_REQUIRE_BUS"

// BusRequired reports whether RequireBusEnv says the session bus is required.
func BusRequired() bool { return os.Getenv(RequireBusEnv) == "1" }

// RequireSessionBus, called from TestMain before m.Run, keeps the tests of a
// package that uses the real Secret Service from running without a session
// bus: without one, go-keyring auto-launches daemons that outlive the test.
// Without a bus the package's tests are skipped, with a message saying so and
// go test's "[no tests to run]", unless BusRequired: then the test binary
// fails. pkg names the package in the message.
func RequireSessionBus(pkg string) {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") != "" {
		return
	}
	pkg = strings.TrimSpace(pkg)
	if BusRequired() {
		fmt.Fprintf(os.Stderr, "%s: these tests need the real Secret Service on a private bus, and %s=1 but there is no "+
			"session bus: run them inside .ci/with-keyring, as 'make test' does\n", pkg, RequireBusEnv)
		os.Exit(1)
	}
	fmt.Printf("%s: SKIP: these tests need the real Secret Service on a private bus and there is no session bus; "+
		"'make test' (or .ci/with-keyring go test ./...) runs them\n", pkg)
	if !flag.Parsed() {
		flag.Parse()
	}
	_ = flag.Set("test.run", "^$") // testing then says "no tests to run" and passes
}
