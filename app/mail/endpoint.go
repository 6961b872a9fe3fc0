package mail

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"

	"github.com/mailkey-app/mailkey/app/advice"
)

// ErrBadEndpoint means an SMTP URL cannot be used.
var ErrBadEndpoint = advice.Sentinel(advice.Usage, "invalid SMTP URL")

// Endpoint is where and how to reach an SMTP server.
type Endpoint struct {
	Host string
	Port int
	// ImplicitTLS is true for smtps:// (TLS from the first byte); smtp:// means
	// STARTTLS, which is mandatory: mailkey never sends without encryption.
	ImplicitTLS bool
}

// Addr returns host:port.
func (e Endpoint) Addr() string { return net.JoinHostPort(e.Host, strconv.Itoa(e.Port)) }

// String returns the endpoint as a URL.
func (e Endpoint) String() string {
	s := "smtp"
	if e.ImplicitTLS {
		s = "smtps"
	}
	return s + "://" + e.Addr()
}

// ParseEndpoint reads "smtp://host[:port]" (STARTTLS, default port 587) or
// "smtps://host[:port]" (implicit TLS, default port 465). Its error carries
// the facts of what is wrong (BadEndpoint).
func ParseEndpoint(raw string) (Endpoint, error) {
	u, err := url.Parse(raw)
	bad := func(problem string) error { return BadEndpoint{URL: shownURL(raw, u), Problem: problem}.Explain() }
	if err != nil {
		return Endpoint{}, bad(URLUnparsable)
	}
	var e Endpoint
	switch u.Scheme {
	case "smtp":
		e.Port = 587
	case "smtps":
		e.Port, e.ImplicitTLS = 465, true
	default:
		return Endpoint{}, bad(URLScheme)
	}
	if u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return Endpoint{}, bad(URLExtra)
	}
	e.Host = u.Hostname()
	if e.Host == "" {
		return Endpoint{}, bad(URLNoHost)
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return Endpoint{}, bad(URLPort)
		}
		e.Port = n
	}
	return e, nil
}

// shownURL is raw as an error and the queue's record of it may show it:
// a password typed into the URL is a secret, shown as xxxxx; in a URL that
// does not parse (u nil), all that stands before an "@" is hidden.
func shownURL(raw string, u *url.URL) string {
	if u == nil {
		if i, j := strings.Index(raw, "://"), strings.LastIndex(raw, "@"); i >= 0 && j > i {
			return raw[:i+3] + "xxxxx" + raw[j:]
		}
		return raw
	}
	if _, ok := u.User.Password(); ok {
		return u.Redacted()
	}
	return raw
}

// What is wrong with an SMTP URL (BadEndpoint.Problem): stable names, saved
// in the queue's files.
const (
	URLUnparsable = "unparsable"
	URLScheme     = "scheme"
	URLExtra      = "extra"
	URLNoHost     = "no_host"
	URLPort       = "port"
)

// BadEndpoint is an SMTP URL that cannot be used, as facts: the URL as
// given and what is wrong with it (URLScheme…). Explain words it as
// ParseEndpoint's error did; BadEndpointOf finds it in one.
type BadEndpoint struct {
	URL     string `json:"url"`
	Problem string `json:"problem"`
}

// BadEndpointOf returns the facts of the bad SMTP URL that err carries.
func BadEndpointOf(err error) (BadEndpoint, bool) { return advice.FactsOf[BadEndpoint](err) }

// Explain words b as ParseEndpoint's error, and carries b as it did; nil
// for a problem this mailkey does not know.
func (b BadEndpoint) Explain() error {
	data := advice.Data{"URL": strconv.Quote(b.URL)}
	// bad wraps ErrBadEndpoint with why, the reason the text gives in English.
	bad := func(why string) error { return fmt.Errorf("%w: %s", ErrBadEndpoint, why) }
	var e *advice.Error
	switch b.Problem {
	case URLUnparsable:
		e = advice.Keyed(bad("it does not parse"), "mail.smtp_url_unparsable", data,
			"{{.URL}} is not a usable SMTP URL: it does not parse",
			"Use smtp://smtp.gmail.com:587 (STARTTLS) or smtps://smtp.gmail.com:465 (TLS)")
	case URLScheme:
		e = advice.Keyed(bad("the scheme must be smtp or smtps"), "mail.smtp_url_scheme", data,
			"{{.URL}} is not a usable SMTP URL: the scheme must be smtp or smtps",
			"Use smtp://smtp.gmail.com:587 (STARTTLS) or smtps://smtp.gmail.com:465 (TLS)")
	case URLExtra:
		e = advice.Keyed(bad("it must hold only a host and a port"), "mail.smtp_url_extra", data,
			"{{.URL}} is not a usable SMTP URL: it must hold only a host and a port",
			"Use smtp://smtp.gmail.com:587 (STARTTLS) or smtps://smtp.gmail.com:465 (TLS)")
	case URLNoHost:
		e = advice.Keyed(bad("the host is missing"), "mail.smtp_url_no_host", data,
			"{{.URL}} is not a usable SMTP URL: the host is missing",
			"Use smtp://smtp.gmail.com:587 (STARTTLS) or smtps://smtp.gmail.com:465 (TLS)")
	case URLPort:
		e = advice.Keyed(bad("the port must be a number from 1 to 65535"), "mail.smtp_url_port", data,
			"{{.URL}} is not a usable SMTP URL: the port must be a number from 1 to 65535",
			"Use smtp://smtp.gmail.com:587 (STARTTLS) or smtps://smtp.gmail.com:465 (TLS)")
	default:
		return nil
	}
	return advice.WithFacts(e, b)
}
