package mail

import (
	"fmt"
	"net"
	"net/url"
	"strconv"

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
// "smtps://host[:port]" (implicit TLS, default port 465).
func ParseEndpoint(raw string) (Endpoint, error) {
	// bad wraps ErrBadEndpoint with why, the reason the text gives in English.
	bad := func(why string) error { return fmt.Errorf("%w: %s", ErrBadEndpoint, why) }
	quoted := strconv.Quote(raw)
	u, err := url.Parse(raw)
	if err != nil {
		return Endpoint{}, advice.Keyed(bad("it does not parse"), "mail.smtp_url_unparsable", advice.Data{"URL": quoted},
			"{{.URL}} is not a usable SMTP URL: it does not parse",
			"Use smtp://smtp.gmail.com:587 (STARTTLS) or smtps://smtp.gmail.com:465 (TLS)")
	}
	var e Endpoint
	switch u.Scheme {
	case "smtp":
		e.Port = 587
	case "smtps":
		e.Port, e.ImplicitTLS = 465, true
	default:
		return Endpoint{}, advice.Keyed(bad("the scheme must be smtp or smtps"), "mail.smtp_url_scheme", advice.Data{"URL": quoted},
			"{{.URL}} is not a usable SMTP URL: the scheme must be smtp or smtps",
			"Use smtp://smtp.gmail.com:587 (STARTTLS) or smtps://smtp.gmail.com:465 (TLS)")
	}
	if u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return Endpoint{}, advice.Keyed(bad("it must hold only a host and a port"), "mail.smtp_url_extra", advice.Data{"URL": quoted},
			"{{.URL}} is not a usable SMTP URL: it must hold only a host and a port",
			"Use smtp://smtp.gmail.com:587 (STARTTLS) or smtps://smtp.gmail.com:465 (TLS)")
	}
	e.Host = u.Hostname()
	if e.Host == "" {
		return Endpoint{}, advice.Keyed(bad("the host is missing"), "mail.smtp_url_no_host", advice.Data{"URL": quoted},
			"{{.URL}} is not a usable SMTP URL: the host is missing",
			"Use smtp://smtp.gmail.com:587 (STARTTLS) or smtps://smtp.gmail.com:465 (TLS)")
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return Endpoint{}, advice.Keyed(bad("the port must be a number from 1 to 65535"), "mail.smtp_url_port",
				advice.Data{"URL": quoted},
				"{{.URL}} is not a usable SMTP URL: the port must be a number from 1 to 65535",
				"Use smtp://smtp.gmail.com:587 (STARTTLS) or smtps://smtp.gmail.com:465 (TLS)")
		}
		e.Port = n
	}
	return e, nil
}
