package oauth

import (
	"encoding/base64"
	"encoding/json"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/mailkey-app/mailkey/app/advice"
	"golang.org/x/oauth2"
)

// Identity is who signed in, from the claims of the ID token.
type Identity struct {
	// Email is the verified address that signed in: the account's address.
	Email string
	// HostedDomain is the Google Workspace domain of the account (the hd
	// claim); empty for a consumer account such as @gmail.com.
	HostedDomain string
	// Subject is Google's stable ID of the account (the sub claim).
	Subject string
}

// maxIDToken is the longest ID token mailkey reads. Google's are about
// 1 KB (RS256).
const maxIDToken = 16 << 10

// clockSkew is how far this computer's clock may be behind Google's for an
// ID token to count as unexpired.
const clockSkew = 5 * time.Minute

// googleIssuers are the iss values of Google's ID tokens (OpenID Connect
// discovery, https://accounts.google.com/.well-known/openid-configuration,
// and "Validating an ID token" in Google's OpenID Connect guide, which
// accepts both forms).
var googleIssuers = []string{"https://accounts.google.com", "accounts.google.com"}

// googleTokenHosts are the hosts of Google's token endpoints: the one in
// every client JSON Google Cloud Console hands out, and the older ones.
var googleTokenHosts = []string{"oauth2.googleapis.com", "accounts.google.com", "www.googleapis.com"}

type idClaims struct {
	Iss           string   `json:"iss"`
	Aud           audience `json:"aud"`
	Azp           string   `json:"azp"`
	Sub           string   `json:"sub"`
	Exp           float64  `json:"exp"`
	Email         string   `json:"email"`
	EmailVerified any      `json:"email_verified"`
	HD            string   `json:"hd"`
}

// audience is the aud claim: one string or an array of them (RFC 7519 §4.1.3).
type audience []string

func (a *audience) UnmarshalJSON(b []byte) error {
	var one string
	if json.Unmarshal(b, &one) == nil {
		*a = audience{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return err
	}
	*a = many
	return nil
}

// identityFromIDToken reads and checks the ID token that came with tok from
// client's token endpoint. The signature is not checked: the token came
// straight from the token endpoint over TLS, which OpenID Connect Core
// §3.1.3.7 allows. The claims are (§3.1.3.7, items 2–3 and 9):
//   - aud holds client's ID (and azp is the client when aud lists others);
//   - iss is Google's. When the client's token_uri is not one of Google's
//     hosts (a stand-in provider in tests, or a relay the user configured
//     in the client JSON), the issuer may also be that token_uri's origin
//     (scheme://host), which is whom mailkey already trusts with the code;
//   - exp is not past, allowing clockSkew;
//   - email is one bare address (no name, no list, no control character,
//     exactly what net/mail parses), and email_verified is true.
func identityFromIDToken(tok *oauth2.Token, clientID, tokenURI string, now time.Time) (Identity, error) {
	raw, _ := tok.Extra("id_token").(string)
	return parseIDToken(raw, clientID, tokenURI, now)
}

func parseIDToken(raw, clientID, tokenURI string, now time.Time) (Identity, error) {
	c, err := decodeIDToken(raw)
	if err != nil {
		return Identity{}, err
	}
	if err := c.checkIssue(clientID, tokenURI, now); err != nil {
		return Identity{}, err
	}
	if err := c.checkEmail(); err != nil {
		return Identity{}, err
	}
	return Identity{Email: c.Email, HostedDomain: strings.ToLower(c.HD), Subject: c.Sub}, nil
}

// errNoEmail says that the ID token names no address.
func errNoEmail() error {
	return advice.Keyed(ErrNoEmail, "oauth.no_email", nil,
		"Google did not say which address signed in",
		"Sign in again and allow mailkey to see your email address")
}

// decodeIDToken reads the claims of raw, a JWT, without checking them.
func decodeIDToken(raw string) (idClaims, error) {
	var c idClaims
	if len(raw) > maxIDToken {
		return c, advice.Keyed(ErrBadIDToken, "oauth.id_token_unreadable", nil, "the token endpoint's ID token is not one mailkey can read",
			"Sign in again; if this happens again, check that the client JSON's token_uri is Google's (https://oauth2.googleapis.com/token)")
	}
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		return c, errNoEmail()
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return c, errNoEmail()
	}
	if json.Unmarshal(payload, &c) != nil {
		return c, errNoEmail()
	}
	return c, nil
}

// checkIssue checks the token's audience, issuer and expiry.
func (c idClaims) checkIssue(clientID, tokenURI string, now time.Time) error {
	if !c.Aud.has(clientID) || (len(c.Aud) > 1 && c.Azp != clientID) {
		return advice.Keyed(ErrBadIDToken, "oauth.id_token_audience", nil,
			"the token endpoint's ID token was issued for another OAuth client, not this one",
			"Sign in again; if this happens again, check that the client JSON's token_uri is Google's (https://oauth2.googleapis.com/token)")
	}
	if !issuerOK(c.Iss, tokenURI) {
		return advice.Keyed(ErrBadIDToken, "oauth.id_token_issuer", advice.Data{"Issuer": quote(c.Iss)},
			"the token endpoint's ID token was issued by {{.Issuer}}, not by Google",
			"Sign in again; if this happens again, check that the client JSON's token_uri is Google's (https://oauth2.googleapis.com/token)")
	}
	if c.Exp == 0 || now.After(time.Unix(int64(c.Exp), 0).Add(clockSkew)) {
		return advice.Keyed(ErrBadIDToken, "oauth.id_token_expired", nil,
			"the token endpoint's ID token has expired or has no expiry",
			"Check that this computer's date and time are right, then sign in again")
	}
	return nil
}

// checkEmail checks the address, its verification and the Workspace domain.
func (c idClaims) checkEmail() error {
	if c.Email == "" {
		return errNoEmail()
	}
	if !bareAddress(c.Email) {
		return advice.Keyed(ErrBadIDToken, "oauth.id_token_email", advice.Data{"Email": quote(c.Email)},
			"the token endpoint gave {{.Email}} as the address that signed in, which is not one email address",
			"Sign in again; if this happens again, check that the client JSON's token_uri is Google's (https://oauth2.googleapis.com/token)")
	}
	if v, _ := c.EmailVerified.(bool); !v && c.EmailVerified != "true" {
		return advice.Keyed(ErrBadIDToken, "oauth.id_token_unverified", advice.Data{"Email": c.Email},
			"Google has not verified the address {{.Email}}",
			"Verify the address in your Google account, then sign in again")
	}
	if c.HD != "" && !domainName(c.HD) {
		return advice.Keyed(ErrBadIDToken, "oauth.id_token_domain", advice.Data{"Domain": quote(c.HD)},
			"the token endpoint gave {{.Domain}} as the account's Workspace domain, which is not a domain name",
			"Sign in again; if this happens again, check that the client JSON's token_uri is Google's (https://oauth2.googleapis.com/token)")
	}
	return nil
}

func (a audience) has(id string) bool {
	for _, s := range a {
		if s == id && id != "" {
			return true
		}
	}
	return false
}

// issuerOK accepts Google's issuers, and for a token endpoint that is not
// Google's, the endpoint's own origin.
func issuerOK(iss, tokenURI string) bool {
	for _, g := range googleIssuers {
		if iss == g {
			return true
		}
	}
	u, err := url.Parse(tokenURI)
	if err != nil || u.Host == "" {
		return false
	}
	for _, h := range googleTokenHosts {
		if strings.EqualFold(u.Hostname(), h) {
			return false
		}
	}
	return iss == u.Scheme+"://"+u.Host
}

// bareAddress reports whether s is exactly one addr-spec: printable, no
// space, and what net/mail parses it to.
func bareAddress(s string) bool {
	if len(s) > 254 {
		return false
	}
	for _, r := range s {
		if !unicode.IsPrint(r) || r == ' ' {
			return false
		}
	}
	a, err := mail.ParseAddress(s)
	return err == nil && a.Name == "" && a.Address == s
}

// domainName reports whether s looks like a DNS name: letters, digits,
// hyphens and dots, at most 253 characters.
func domainName(s string) bool {
	if len(s) > 253 || strings.HasPrefix(s, ".") || strings.Contains(s, "..") {
		return false
	}
	for _, r := range s {
		if !(r == '-' || r == '.' || r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r))) {
			return false
		}
	}
	return true
}

// quote shows server text safely: quoted, control characters and non-ASCII
// escaped, at most 100 bytes of it.
func quote(s string) string {
	if len(s) > 100 {
		s = s[:100] + "…"
	}
	return strconv.QuoteToASCII(s)
}
