package mail

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/textproto"
	"regexp"
	"strconv"
	"strings"

	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/google"
	gomail "github.com/wneessen/go-mail"
)

// Sentinels for the kinds of failure a send can have; test with errors.Is.
var (
	ErrAuthRejected        = advice.Sentinel(advice.Auth, "credentials rejected")
	ErrAppPasswordRequired = advice.Sentinel(advice.Auth, "app password required")
	ErrWebLoginRequired    = advice.Sentinel(advice.Auth, "web login required")
	ErrTokenRejected       = advice.Sentinel(advice.Auth, "access token rejected")
	ErrRateLimited         = advice.Sentinel(advice.Temporary, "rate limited")
	ErrDailyLimit          = advice.Sentinel(advice.Temporary, "daily sending limit")
	ErrRejected            = advice.Sentinel(advice.Failure, "rejected by the server")
	// ErrBlocked means Gmail refused the message for its content or the type
	// of an attachment; its size is not the cause.
	ErrBlocked = advice.Sentinel(advice.Usage, "content blocked")
	// ErrTooManyRecipients means the message has more recipients than Gmail
	// takes in one message; sending it again will not help.
	ErrTooManyRecipients = advice.Sentinel(advice.Usage, "too many recipients")
	// ErrProtocol means the server refused a command as out of order or
	// malformed: a fault of the client, or a server that is not Gmail.
	ErrProtocol  = advice.Sentinel(advice.Failure, "protocol error")
	ErrTemporary = advice.Sentinel(advice.Temporary, "temporary server failure")
	ErrConnect   = advice.Sentinel(advice.Temporary, "cannot connect")
	ErrTLS       = advice.Sentinel(advice.Failure, "TLS failure")
	ErrTimeout   = advice.Sentinel(advice.Temporary, "server timed out")
	// ErrMaybeSent means the connection failed after the whole message was
	// transmitted: the server may have accepted it.
	ErrMaybeSent = advice.Sentinel(advice.Failure, "delivery uncertain")
)

// Reply is an SMTP reply: code, enhanced status code and text.
type Reply struct {
	Code     int    `json:"code"`
	Enhanced string `json:"enhanced,omitempty"`
	Text     string `json:"text,omitempty"`
}

var (
	enhancedRE = regexp.MustCompile(`^\s*([245]\.\d{1,3}\.\d{1,3})(\s+|$)`)
	// gsmtpTail is the session tag Gmail ends its replies with: "<id> - gsmtp".
	gsmtpTail = regexp.MustCompile(`\s*\S*\s+-\s+gsmtp\s*$`)
)

// maxReplyText bounds the server text a Reply keeps.
const maxReplyText = 400

// ParseReply reads a reply as sent on the wire ("535-5.7.8 Username …" or
// "535 5.7.8 …"), possibly several lines joined by newlines.
func ParseReply(s string) (Reply, bool) {
	s = strings.TrimSpace(s)
	if len(s) < 3 {
		return Reply{}, false
	}
	code, err := strconv.Atoi(s[:3])
	if err != nil || code < 200 || code > 599 {
		return Reply{}, false
	}
	var text []string
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if len(line) >= 4 && line[:3] == s[:3] && (line[3] == '-' || line[3] == ' ') {
			line = line[4:]
		} else if line == s[:3] {
			line = ""
		}
		text = append(text, line)
	}
	return replyOf(code, strings.Join(text, "\n")), true
}

// replyOf makes a Reply of a code and the text of its lines, one per line
// (as textproto gives them, the reply code already removed). Gmail repeats
// the enhanced code on every line and ends with its session tag: the text
// keeps neither, so that a reply of several lines reads as one sentence.
func replyOf(code int, text string) Reply {
	r := Reply{Code: code}
	var parts []string
	for _, line := range strings.Split(text, "\n") {
		if m := enhancedRE.FindStringSubmatch(line); m != nil && (r.Enhanced == "" || m[1] == r.Enhanced) {
			r.Enhanced = m[1]
			line = line[len(m[0]):]
		}
		if line = strings.TrimSpace(line); line != "" {
			parts = append(parts, line)
		}
	}
	r.Text = gsmtpTail.ReplaceAllString(strings.Join(parts, " "), "")
	r.Text = advice.Printable(r.Text, maxReplyText)
	return r
}

// Challenge is the JSON Gmail sends in a 334 reply when it refuses an XOAUTH2 token.
type Challenge struct {
	Status  string `json:"status"`
	Schemes string `json:"schemes"`
	Scope   string `json:"scope"`
}

// ParseChallenge decodes a 334 challenge payload (already base64-decoded).
func ParseChallenge(b []byte) (Challenge, bool) {
	var c Challenge
	if json.Unmarshal(b, &c) != nil || c.Status == "" {
		return Challenge{}, false
	}
	return c, true
}

// Explain turns an SMTP reply into advice. oauth says which method was used,
// since the same 535 means different things for each.
func Explain(r Reply, oauth bool) *advice.Error {
	return factsOn(explainReply(r, oauth), Failure{Kind: FailReply, Reply: &r, OAuth: oauth})
}

// explainReply is Explain without the facts.
func explainReply(r Reply, oauth bool) *advice.Error {
	wire := fmt.Sprintf("%d %s %s", r.Code, r.Enhanced, r.Text)
	wire = strings.Join(strings.Fields(wire), " ")
	if e := explainSignIn(r, oauth, wire); e != nil {
		return e
	}
	if e := explainProtocol(r, wire); e != nil {
		return e
	}
	if e := explainRefusal(r, wire); e != nil {
		return e
	}
	if e := explainTemporary(r, wire); e != nil {
		return e
	}
	return advice.Keyed(ErrRejected, "mail.rejected", advice.Data{"Reply": wire},
		"the server refused ({{.Reply}})", "Check the addresses and the message, then try again")
}

// explainSignIn explains the replies that refuse the sign-in, or returns nil.
func explainSignIn(r Reply, oauth bool, wire string) *advice.Error {
	switch {
	case r.Code == 535 || r.Enhanced == "5.7.8":
		if oauth {
			return advice.Keyed(ErrTokenRejected, "mail.token_rejected", advice.Data{"Reply": wire},
				"Gmail refused the sign-in token ({{.Reply}})", "Sign in again")
		}
		return advice.Keyed(ErrAuthRejected, "mail.auth_rejected", advice.Data{"Reply": wire, "URL": google.AppPasswordsURL},
			"Gmail did not accept the address and app password ({{.Reply}})",
			"Check the address, then create a new app password at {{.URL}} and enter it again")
	case r.Code == 534 && strings.Contains(strings.ToLower(r.Text), "application-specific password"):
		return advice.Keyed(ErrAppPasswordRequired, "mail.app_password_required", advice.Data{"Reply": wire, "URL": google.AppPasswordsURL},
			"Gmail needs an app password, not your Google account password ({{.Reply}})",
			"Create an app password at {{.URL}} (2-Step Verification must be on) and use its 16 letters")
	case r.Code == 534:
		return advice.Keyed(ErrWebLoginRequired, "mail.web_login_required", advice.Data{"Reply": wire},
			"Google blocked the sign-in ({{.Reply}})",
			"Sign in at https://mail.google.com once in your browser, then try again")
	}
	return nil
}

// explainProtocol explains the replies that refuse how mailkey spoke, or
// returns nil.
func explainProtocol(r Reply, wire string) *advice.Error {
	switch {
	case r.Code == 504 && r.Enhanced == "5.7.4":
		return advice.Keyed(fmt.Errorf("%w: %d %s", ErrProtocol, r.Code, r.Enhanced), "mail.xoauth_unsupported", advice.Data{"Reply": wire},
			"the server refused the old XOAUTH sign-in ({{.Reply}})",
			"mailkey signs in with XOAUTH2; if you see this, the server is not Gmail's or something between rewrote the command: report it")
	case r.Code == 530 && strings.Contains(strings.ToLower(r.Text), "starttls"):
		return advice.Keyed(fmt.Errorf("%w: %d %s", ErrProtocol, r.Code, r.Enhanced), "mail.starttls_required", advice.Data{"Reply": wire},
			"the server wants an encrypted connection first ({{.Reply}})",
			"Use smtp://smtp.gmail.com:587 or smtps://smtp.gmail.com:465; if the address is already one of these, something on your network removes the encryption")
	case r.Code == 530:
		return advice.Keyed(fmt.Errorf("%w: %d %s", ErrProtocol, r.Code, r.Enhanced), "mail.auth_required", advice.Data{"Reply": wire},
			"the server wants a sign-in before it takes mail ({{.Reply}})",
			"Check that the account's server is smtp.gmail.com; another server may not offer the sign-in mailkey uses")
	case (r.Code == 555 || r.Code == 501) && r.Enhanced == "5.5.2":
		return advice.Keyed(fmt.Errorf("%w: %d %s", ErrProtocol, r.Code, r.Enhanced), "mail.syntax_error", advice.Data{"Reply": wire},
			"the server could not read a command mailkey sent ({{.Reply}})",
			"This is a fault in mailkey or in something between it and Gmail: try again, and report it if it keeps happening")
	}
	return nil
}

// explainRefusal explains the replies that refuse this message (limits,
// recipients, content, size), or returns nil.
func explainRefusal(r Reply, wire string) *advice.Error {
	switch {
	case r.Code == 550 && r.Enhanced == "5.4.5":
		return advice.Keyed(ErrDailyLimit, "mail.daily_limit", advice.Data{"Reply": wire},
			"Gmail's daily sending limit is reached ({{.Reply}})",
			"Wait 24 hours; a free account may send about 500 messages a day")
	case (r.Code == 452 && r.Enhanced == "4.5.3") || (r.Code == 550 && r.Enhanced == "5.5.3"):
		return advice.Keyed(fmt.Errorf("%w: %d %s", ErrTooManyRecipients, r.Code, r.Enhanced), "mail.too_many_recipients_reply",
			advice.Data{"Reply": wire, "Max": MaxRecipients},
			"Gmail refused the message for having too many recipients ({{.Reply}})",
			"Split the list into messages of at most {{.Max}} recipients each; sending the same message again will not help")
	case r.Code == 552 && r.Enhanced == "5.7.0":
		return advice.Keyed(fmt.Errorf("%w: %d %s", ErrBlocked, r.Code, r.Enhanced), "mail.blocked_content", advice.Data{"Reply": wire},
			"Gmail blocked the message for its content or an attachment's type ({{.Reply}})",
			"This is not about size: remove the attachment Gmail refuses (such as a program or an archive holding one) and send a link to it instead")
	case r.Code == 552 || r.Enhanced == "5.3.4" || r.Enhanced == "5.2.3":
		return advice.Keyed(ErrTooBig, "mail.too_big", advice.Data{"Reply": wire},
			"the message is too big for Gmail ({{.Reply}})",
			"Keep attachments under about 25 MB in all: encoding for mail grows them by a third, to about 34 MB, and Gmail takes at most 35.9 MB encoded")
	}
	return nil
}

// explainTemporary explains the replies that say "not now", or returns nil.
func explainTemporary(r Reply, wire string) *advice.Error {
	switch {
	case (r.Code == 454 || r.Code == 421) && r.Enhanced == "4.7.0":
		return advice.Keyed(ErrRateLimited, "mail.rate_limited", advice.Data{"Reply": wire},
			"Gmail is limiting logins or sending for now ({{.Reply}})",
			"Wait a few minutes and try again")
	case r.Code >= 400 && r.Code < 500:
		return advice.Keyed(ErrTemporary, "mail.temporary", advice.Data{"Reply": wire},
			"the server had a temporary problem ({{.Reply}})", "Try again in a few minutes")
	}
	return nil
}

// ExplainChallenge explains Gmail's XOAUTH2 334 JSON.
func ExplainChallenge(c Challenge, final Reply) *advice.Error {
	return factsOn(explainChallenge(c, final), Failure{Kind: FailChallenge, Reply: &final, Challenge: &c})
}

// explainChallenge is ExplainChallenge without the facts.
func explainChallenge(c Challenge, final Reply) *advice.Error {
	wire := strings.Join(strings.Fields(fmt.Sprintf("%d %s %s", final.Code, final.Enhanced, final.Text)), " ")
	if final.Code == 0 {
		wire = "no final reply"
	}
	if c.Status == "400" {
		// Gmail answers 400 both to a token without https://mail.google.com/
		// (a gmail.send token, say) and to one it no longer accepts.
		return advice.Keyed(fmt.Errorf("%w: status %s", ErrTokenRejected, c.Status), "mail.token_refused",
			advice.Data{"Needed": google.ScopeMail, "Scope": c.Scope, "Reply": wire},
			"Gmail refused the sign-in token: it has expired or been revoked, or it lacks the permission {{.Needed}}"+
				" (challenge status 400, scope {{.Scope}}; {{.Reply}})",
			"Sign in again and allow \"Read, compose, send and permanently delete all your email from Gmail\"")
	}
	return advice.Keyed(fmt.Errorf("%w: status %s", ErrTokenRejected, c.Status), "mail.token_expired",
		advice.Data{"Status": c.Status, "Reply": wire},
		"Gmail refused the token as expired or revoked (challenge status {{.Status}}; {{.Reply}})", "Sign in again")
}

// explain maps an error from go-mail or the network to advice.
func explain(ctx context.Context, ep Endpoint, cred Credential, err error, challenge []byte) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		if errors.Is(ctxErr, context.DeadlineExceeded) {
			return withFacts(sendTimeout(ctxErr), Failure{Kind: FailSendTimeout})
		}
		return ctxErr
	}
	var own *advice.Error
	if errors.As(err, &own) { // mailkey's own finding, e.g. the pre-flight size check
		return err
	}
	// Server text reaches the user only without the secret and escaped.
	red := newRedactor(cred)
	cause := red.text(err.Error())
	if e := explainBrokenSession(ep, err, red, cause); e != nil {
		return e
	}
	if r, ok := replyIn(err); ok {
		r.Text = red.text(r.Text)
		if c, ok := ParseChallenge(challenge); ok {
			c.Status, c.Scope = red.text(c.Status), red.text(c.Scope)
			return ExplainChallenge(c, r)
		}
		return Explain(r, cred.Token != "")
	}
	kind := networkKind(err)
	return withFacts(explainNetwork(kind, ep, cause), Failure{Kind: kind, Host: ep.Host, Port: ep.Port})
}

// sendTimeout explains a send stopped by its deadline.
func sendTimeout(ctxErr error) error {
	return advice.Keyed(fmt.Errorf("%w: %w", ErrTimeout, ctxErr), "mail.send_timeout", nil,
		"the send took too long and was stopped", "Try again; check your connection if it keeps happening")
}

// explainBrokenSession explains a reply too long to read and a refused
// STARTTLS, or returns nil.
func explainBrokenSession(ep Endpoint, err error, red redactor, cause string) error {
	var refused *startTLSRefused
	switch {
	case errors.Is(err, ErrReplyTooLong):
		return withFacts(replyTooLong(ep, cause), Failure{Kind: FailReplyTooLong, Host: ep.Host, Port: ep.Port})
	case errors.As(err, &refused):
		f := Failure{Kind: FailSTARTTLSRefused, Host: ep.Host, Port: ep.Port}
		if r, ok := replyIn(err); ok {
			r.Text = red.text(r.Text)
			f.Reply = &r
		}
		return withFacts(startTLSRefusedError(ep, f.Reply, cause), f)
	}
	return nil
}

// replyTooLong explains a reply longer than mailkey reads.
func replyTooLong(ep Endpoint, cause string) error {
	return advice.Keyed(fmt.Errorf("%w: %s", ErrReplyTooLong, cause), "mail.reply_too_long",
		advice.Data{"Server": ep.Addr(), "Bytes": maxReplyLine, "Lines": maxReplyLines},
		"{{.Server}} sent a reply longer than mailkey accepts (a line over {{.Bytes}} bytes or over {{.Lines}} lines), so mailkey hung up",
		"Mail servers do not do this; something on your network may be interfering: "+
			"try smtps://smtp.gmail.com:465 or another network")
}

// startTLSRefusedError explains a refused STARTTLS, with the server's reply
// r when there was a usable one.
func startTLSRefusedError(ep Endpoint, r *Reply, cause string) error {
	wire := "no usable reply"
	if r != nil {
		wire = strings.Join(strings.Fields(fmt.Sprintf("%d %s %s", r.Code, r.Enhanced, r.Text)), " ")
	}
	return advice.Keyed(fmt.Errorf("%w: %s", ErrTLS, cause), "mail.starttls_refused",
		advice.Data{"Server": ep.Addr(), "Reply": wire},
		"{{.Server}} refused STARTTLS ({{.Reply}}), and mailkey never sends without encryption",
		"Try smtps://smtp.gmail.com:465; if that fails too, something on your network (a proxy or antivirus) "+
			"may be intercepting mail: try another network")
}

// networkKind says which failure of the network or of TLS err is, for an
// error without an SMTP reply (TLS, DNS, a timeout, a broken connection).
func networkKind(err error) string {
	var (
		certErr  *tls.CertificateVerificationError
		unknown  x509.UnknownAuthorityError
		hostErr  x509.HostnameError
		dnsErr   *net.DNSError
		opErr    *net.OpError
		recordEr tls.RecordHeaderError
	)
	// go-mail's SendError does not unwrap its causes, so its text is read too.
	var se *gomail.SendError
	switch {
	case errors.As(err, &se) && se.Reason == gomail.ErrSMTPDataClose, errors.As(err, new(*afterDataError)):
		return FailMaybeSent
	case errors.As(err, &certErr), errors.As(err, &unknown), errors.As(err, &hostErr):
		return FailCertificate
	case errors.As(err, &recordEr):
		return FailNotTLS
	case errors.Is(err, errNoSTARTTLS):
		return FailNoSTARTTLS
	case errors.As(err, &dnsErr):
		return FailHostNotFound
	case timedOut(err):
		return FailServerSilent
	case errors.As(err, &opErr) && opErr.Op == "dial":
		return FailCannotConnect
	}
	return FailConnection
}

// explainNetwork words a failure of the network or of TLS (networkKind) at
// ep; cause is the error's text, redacted.
func explainNetwork(kind string, ep Endpoint, cause string) error {
	switch kind {
	case FailMaybeSent:
		return advice.Keyed(fmt.Errorf("%w: %s", ErrMaybeSent, cause), "mail.maybe_sent",
			advice.Data{"Server": ep.Addr()},
			"the connection to {{.Server}} failed after the whole message was sent, so it may have been delivered",
			"Look in your Sent folder before you send it again")
	case FailCertificate:
		return advice.Keyed(fmt.Errorf("%w: %s", ErrTLS, cause), "mail.certificate_unverified", advice.Data{"Host": ep.Host},
			"the server's certificate for {{.Host}} could not be verified",
			"Something on your network may be intercepting the connection; try another network")
	case FailNotTLS:
		return advice.Keyed(fmt.Errorf("%w: %s", ErrTLS, cause), "mail.not_tls", advice.Data{"Server": ep.Addr()},
			"{{.Server}} does not speak TLS",
			"Use smtps:// only with port 465 and smtp:// with port 587")
	case FailNoSTARTTLS:
		return advice.Keyed(fmt.Errorf("%w: %s", ErrTLS, cause), "mail.no_starttls", advice.Data{"Server": ep.Addr()},
			"{{.Server}} does not offer STARTTLS, and mailkey never sends without encryption",
			"Use smtp://smtp.gmail.com:587 or smtps://smtp.gmail.com:465")
	case FailHostNotFound:
		return advice.Keyed(fmt.Errorf("%w: %s", ErrConnect, cause), "mail.host_not_found", advice.Data{"Host": ep.Host},
			"cannot find the server {{.Host}}",
			"Check your internet connection and the server name")
	case FailServerSilent:
		return advice.Keyed(fmt.Errorf("%w: %s", ErrTimeout, cause), "mail.server_silent", advice.Data{"Server": ep.Addr()},
			"the server {{.Server}} stopped answering",
			"Check your connection and try again; some networks block ports 587 and 465")
	case FailCannotConnect:
		return advice.Keyed(fmt.Errorf("%w: %s", ErrConnect, cause), "mail.cannot_connect",
			advice.Data{"Server": ep.Addr(), "Port": ep.Port},
			"cannot connect to {{.Server}}",
			"Check your internet connection; some networks block port {{.Port}}: "+
				"try the other port (587 with smtp:// or 465 with smtps://) or another network")
	}
	return advice.Keyed(fmt.Errorf("%w: %s", ErrConnect, cause), "mail.connection_failed",
		advice.Data{"Server": ep.Addr()},
		"the connection to {{.Server}} failed",
		"Try again; check your connection if it keeps happening")
}

// timedOut says whether err is a network timeout, also when go-mail's
// SendError hides it in its text.
func timedOut(err error) bool {
	var netErr net.Error
	return (errors.As(err, &netErr) && netErr.Timeout()) || strings.Contains(err.Error(), "i/o timeout")
}

// replyIn finds an SMTP reply in err's chain.
func replyIn(err error) (Reply, bool) {
	var se *gomail.SendError
	if errors.As(err, &se) && se.ErrorCode() != 0 {
		var tp *textproto.Error
		if errors.As(se, &tp) {
			return replyOf(tp.Code, tp.Msg), true
		}
		return replyOf(se.ErrorCode(), se.EnhancedStatusCode()+" "+lastReply(se.Error())), true
	}
	var tp *textproto.Error
	if errors.As(err, &tp) {
		return replyOf(tp.Code, tp.Msg), true
	}
	return Reply{}, false
}

// lastReply extracts the server text at the end of go-mail's error strings.
func lastReply(s string) string {
	if i := strings.LastIndex(s, ": "); i >= 0 {
		s = s[i+2:]
	}
	if r, ok := ParseReply(s); ok {
		return r.Text
	}
	return s
}
