// Package google holds what mailkey knows about Google as data and code: the
// endpoints, scopes and limits, the downloaded OAuth client file, the console
// checklist, the app-password steps and the troubleshooting entries.
//
// The facts come from shared/GOOGLE.md; when Google changes its console or its
// policy, change that file and this package together. The GUI, the CLI and the
// tests all read the same lists from here. The package never imports Fyne.
package google

import (
	"math"
	"net"
	"net/url"
	"strings"
)

// Scopes that mailkey asks for.
const (
	// ScopeMail is the full Gmail scope. Gmail's SMTP and IMAP servers accept
	// only this one; Google lists it as restricted. (The narrower send-only
	// scope, https://www.googleapis.com/auth/gmail.send, is enough for the
	// Gmail API's send endpoint, but Gmail's SMTP server refuses it.)
	ScopeMail = "https://mail.google.com/"
)

// SignInScopes are the scopes mailkey requests at sign-in: openid and email
// tell it which address signed in, and ScopeMail lets it send over SMTP.
var SignInScopes = []string{"openid", "email", ScopeMail}

// Endpoints and pages.
const (
	// defaultAuthURI is Google's authorization endpoint, used when the client
	// file has no auth_uri.
	defaultAuthURI = "https://accounts.google.com/o/oauth2/auth"
	// defaultTokenURI is Google's token endpoint, used when the client file
	// has no token_uri.
	defaultTokenURI = "https://oauth2.googleapis.com/token"
	// DefaultSMTP is Gmail's submission server: port 587 with STARTTLS,
	// which is mandatory there.
	DefaultSMTP = "smtp://smtp.gmail.com:587"
	// SMTPImplicitTLS is Gmail's submission server on port 465 with TLS from
	// the first byte.
	SMTPImplicitTLS = "smtps://smtp.gmail.com:465"
	// gmailSMTPHost is the host name of Gmail's SMTP server.
	gmailSMTPHost = "smtp.gmail.com"
	// AppPasswordsURL is the Google Account page where app passwords are
	// created and deleted.
	AppPasswordsURL = "https://myaccount.google.com/apppasswords"
	// TwoStepURL is the Google Account page that turns on 2-Step Verification.
	TwoStepURL = "https://myaccount.google.com/signinoptions/twosv"
	// consoleURL is the start page of the Google Cloud console.
	consoleURL = "https://console.cloud.google.com/"
	// clientIDSuffix ends every Google OAuth client ID.
	clientIDSuffix = ".apps.googleusercontent.com"
)

// SMTPURL returns raw, or DefaultSMTP when raw is empty: an account or a
// sign-in without a server sends through Gmail's submission server.
func SMTPURL(raw string) string {
	if raw == "" {
		return DefaultSMTP
	}
	return raw
}

// mimeLineLength is the longest base64 line in a MIME body (RFC 2045 §6.8).
const mimeLineLength = 76

// WireSize estimates how many bytes an attachment of rawBytes takes in a
// message: base64 turns every 3 bytes into 4 characters, and the encoded text
// is broken into lines of 76 characters, each ending in CRLF. It returns 0 for
// a size of 0 or less, and math.MaxInt64 when the result would overflow.
func WireSize(rawBytes int64) int64 {
	if rawBytes <= 0 {
		return 0
	}
	if rawBytes > math.MaxInt64/2 {
		return math.MaxInt64
	}
	encoded := (rawBytes + 2) / 3 * 4
	lines := (encoded + mimeLineLength - 1) / mimeLineLength
	return encoded + 2*lines
}

// IsGmailHost reports whether host names Gmail's SMTP server. It accepts a
// bare host ("smtp.gmail.com"), a host with a port ("smtp.gmail.com:587") or
// an SMTP URL ("smtps://smtp.gmail.com:465"), in any letter case and with or
// without a trailing dot.
func IsGmailHost(host string) bool {
	host = strings.TrimSpace(host)
	if strings.Contains(host, "://") {
		u, err := url.Parse(host)
		if err != nil {
			return false
		}
		host = u.Hostname()
	} else if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(host, ".")
	return strings.EqualFold(host, gmailSMTPHost)
}
