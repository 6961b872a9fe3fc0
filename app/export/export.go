// Package export renders an account's settings for other mail programs: an
// msmtp account block, and the plain values that a "generic mail provider"
// form asks for (SeaTable, Odoo, Thunderbird and the like).
//
// It never reads the keyring and never puts a secret into its output unless
// the caller passes one in: the msmtp block reads the password or token at run
// time through passwordeval.
package export

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/google"
	"github.com/mailkey-app/mailkey/app/mail"
	"github.com/mailkey-app/mailkey/app/secret"
)

// Format names an export format.
type Format string

// The export formats.
const (
	MSMTP  Format = "msmtp"
	Values Format = "values"
)

// ErrUnsafeAddress means an address holds characters that cannot be put
// safely into a configuration line or a shell command.
var ErrUnsafeAddress = advice.Sentinel(advice.Failure, "address cannot be exported")

// Field is one labelled value of the settings.
type Field struct {
	Label, Value string
}

// The labels of Fields, for callers that look one up.
const (
	LabelServer   = "Server"
	LabelPort     = "Port"
	LabelSecurity = "Security"
	LabelUsername = "Username"
	LabelMethod   = "Authentication"
)

// The labels Text adds after those of Fields.
const (
	labelPassword = "Password"
	labelNote     = "Note"
)

// Security names as mail programs show them.
const (
	securitySTARTTLS = "STARTTLS"
	securityTLS      = "SSL/TLS"
)

// endpoint returns the account's SMTP endpoint, Gmail's when none is set.
func endpoint(a account.Account) (mail.Endpoint, error) {
	return mail.ParseEndpoint(google.SMTPURL(a.SMTP))
}

// Fields returns the server, port, security, username and authentication
// method of a, in the order a settings form asks for them. It holds no secret.
func Fields(a account.Account) ([]Field, error) {
	ep, err := endpoint(a)
	if err != nil {
		return nil, err
	}
	sec := securitySTARTTLS
	if ep.ImplicitTLS {
		sec = securityTLS
	}
	method := "Normal password (PLAIN), with the app password"
	if a.Method == account.OAuth {
		method = "OAuth 2.0 (XOAUTH2)"
	}
	return []Field{
		{LabelServer, ep.Host},
		{LabelPort, strconv.Itoa(ep.Port)},
		{LabelSecurity, sec},
		{LabelUsername, a.Address},
		{LabelMethod, method},
	}, nil
}

// passwordNote says where the password comes from, without the password.
func passwordNote(a account.Account) string {
	if a.Method == account.OAuth {
		return "none: this account signs in with OAuth 2.0"
	}
	return "the app password, kept in the keyring (not printed; mailkey export values --show-password " + a.Address + " prints it)"
}

// oauthNote explains how another program can use an OAuth account; it is ""
// for app-password accounts.
func oauthNote(a account.Account) string {
	if a.Method != account.OAuth {
		return ""
	}
	return "a program that signs in with OAuth 2.0 needs its own OAuth client (client ID and secret) and its own sign-in; " +
		"or use msmtp, which gets a fresh token from 'mailkey token " + a.Address + "' (mailkey export msmtp " + a.Address + ")"
}

// Text renders the values as "Label: value" lines. password is printed only
// when it is not empty, and only for an app-password account.
func Text(a account.Account, password string) (string, error) {
	fields, err := Fields(a)
	if err != nil {
		return "", err
	}
	pw := passwordNote(a)
	if password != "" && a.Method == account.AppPassword {
		pw = password
	}
	fields = append(fields, Field{labelPassword, pw})
	if note := oauthNote(a); note != "" {
		fields = append(fields, Field{labelNote, note})
	}
	var b strings.Builder
	for _, f := range fields {
		fmt.Fprintf(&b, "%s: %s\n", f.Label, f.Value)
	}
	return b.String(), nil
}

// passwordEval returns the command that prints the account's password or
// token, as msmtp's passwordeval runs it (through the shell).
func passwordEval(a account.Account) (string, error) {
	if err := checkAddress(a.Address); err != nil {
		return "", err
	}
	if a.Method == account.OAuth {
		return "mailkey token " + a.Address, nil
	}
	return "secret-tool lookup service " + secret.Service + " username " + a.Address + "/" + string(secret.AppPassword), nil
}

// MSMTPBlock renders an msmtp account named after the address. The password
// is never in it: passwordeval runs 'mailkey token ADDR' (OAuth; mailkey must be
// on PATH) or secret-tool (app password, read from the keyring at send time).
func MSMTPBlock(a account.Account) (string, error) {
	ep, err := endpoint(a)
	if err != nil {
		return "", err
	}
	eval, err := passwordEval(a)
	if err != nil {
		return "", err
	}
	starttls, auth := "on", "plain"
	if ep.ImplicitTLS {
		starttls = "off"
	}
	comment := "# The app password is read from the keyring by secret-tool (package libsecret-tools)."
	if a.Method == account.OAuth {
		auth = "xoauth2"
		comment = "# The access token comes from mailkey, which must be on PATH."
	}
	lines := []string{
		"# " + a.Address + ", exported by mailkey.",
		comment,
		"account " + a.Address,
		"host " + ep.Host,
		"port " + strconv.Itoa(ep.Port),
		"tls on",
		"tls_starttls " + starttls,
		"auth " + auth,
		"user " + a.Address,
		"from " + a.Address,
		`passwordeval "` + eval + `"`,
	}
	return strings.Join(lines, "\n") + "\n", nil
}

// checkAddress refuses an address that a shell or msmtp's parser would read
// as more than plain text. Addresses saved by mailkey never hit this.
func checkAddress(addr string) error {
	if addr == "" {
		return advice.Keyed(fmt.Errorf("%w: empty", ErrUnsafeAddress), "export.no_address", nil,
			"the account has no address", "Remove the account and add it again")
	}
	for _, r := range addr {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("@.+-_=", r)
		if !ok {
			return advice.Keyed(fmt.Errorf("%w: %q", ErrUnsafeAddress, addr), "export.unsafe_address",
				advice.Data{"Address": strconv.Quote(addr)},
				"{{.Address}} holds characters that cannot go into an msmtp passwordeval command",
				"Write the msmtp account by hand, quoting the address for the shell")
		}
	}
	return nil
}
