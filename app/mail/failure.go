package mail

import (
	"errors"

	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/google"
)

// The kinds of a failed send (Failure.Kind): stable names, saved in files.
const (
	// FailReply: the SMTP server refused with a reply (Reply, OAuth).
	FailReply = "smtp_reply"
	// FailChallenge: Gmail refused the XOAUTH2 token with a challenge
	// (Challenge, and Reply the final reply).
	FailChallenge = "smtp_challenge"
	// FailAPI: the Gmail API answered an error (Status, API, Project;
	// TooLong when the answer was too long to read).
	FailAPI = "api_answer"
	// FailSendTimeout: the send took longer than its deadline.
	FailSendTimeout = "send_timeout"
	// FailReplyTooLong: the SMTP server sent a reply longer than mailkey reads.
	FailReplyTooLong = "reply_too_long"
	// FailSTARTTLSRefused: the server refused STARTTLS (Reply, when usable).
	FailSTARTTLSRefused = "starttls_refused"
	// FailTooManyRecipients: the message has more recipients (Count) than
	// Gmail takes.
	FailTooManyRecipients = "too_many_recipients"
	// FailTooBigForServer: the message (Size bytes encoded) is over the
	// server's SIZE (Limit).
	FailTooBigForServer = "too_big_for_server"
	// FailMaybeSent: the connection broke after the whole message was sent.
	FailMaybeSent = "maybe_sent"
	// FailCertificate: the server's certificate could not be verified.
	FailCertificate = "tls_certificate"
	// FailNotTLS: the server does not speak TLS.
	FailNotTLS = "not_tls"
	// FailNoSTARTTLS: the server offers no STARTTLS.
	FailNoSTARTTLS = "no_starttls"
	// FailHostNotFound: the server's name was not found.
	FailHostNotFound = "host_not_found"
	// FailServerSilent: the server stopped answering.
	FailServerSilent = "timeout"
	// FailCannotConnect: the connection could not be made.
	FailCannotConnect = "cannot_connect"
	// FailConnection: the connection failed otherwise.
	FailConnection = "connection_failed"
	// FailAPIMaybeSent: the connection to the Gmail API broke after the
	// whole message was sent.
	FailAPIMaybeSent = "api_maybe_sent"
	// FailAPIHostNotFound: the Gmail API's server name was not found.
	FailAPIHostNotFound = "api_host_not_found"
	// FailAPISilent: the Gmail API stopped answering.
	FailAPISilent = "api_timeout"
	// FailAPIUnreachable: the Gmail API could not be reached.
	FailAPIUnreachable = "api_unreachable"
)

// Failure is the facts of a failed send, as the server or the network gave
// them: which failure (Kind), the server's reply or answer (its text made
// printable), the host. Explain words it again exactly as the send's error
// did, so that a record of the failure (the queue's) holds these facts,
// never a sentence or a translation key. FailureOf finds it in an error.
type Failure struct {
	Kind      string     `json:"kind"`
	Reply     *Reply     `json:"reply,omitempty"`
	OAuth     bool       `json:"oauth,omitempty"`
	Challenge *Challenge `json:"challenge,omitempty"`
	// Status is the Gmail API's HTTP status, API its error answer, Project
	// the OAuth client's project (for the link that enables the API).
	Status  int              `json:"status,omitempty"`
	API     *google.APIError `json:"api,omitempty"`
	Project string           `json:"project,omitempty"`
	TooLong bool             `json:"too_long,omitempty"`
	// Host and Port are the server's.
	Host string `json:"host,omitempty"`
	Port int    `json:"port,omitempty"`
	// Count is the message's recipients; Size its encoded size and Limit
	// the server's, in bytes.
	Count int   `json:"count,omitempty"`
	Size  int64 `json:"size,omitempty"`
	Limit int64 `json:"limit,omitempty"`
}

// Explain words the failure as the send's error did, with the same
// sentinels (and so the same category), and carries f as that error did; nil
// for a kind this mailkey does not know.
func (f Failure) Explain() error {
	return withFacts(f.explain(), f)
}

func (f Failure) explain() error {
	ep := Endpoint{Host: f.Host, Port: f.Port}
	switch f.Kind {
	case FailReply:
		if f.Reply != nil {
			return Explain(*f.Reply, f.OAuth)
		}
	case FailChallenge:
		if f.Reply != nil && f.Challenge != nil {
			return ExplainChallenge(*f.Challenge, *f.Reply)
		}
	case FailAPI:
		return f.explainAPI()
	case FailTooManyRecipients:
		return checkRecipientCount(f.Count)
	case FailTooBigForServer:
		return fitsServer(f.Size, f.Limit)
	case FailSendTimeout:
		return sendTimeout(errors.New("deadline exceeded"))
	case FailReplyTooLong:
		return replyTooLong(ep, "")
	case FailSTARTTLSRefused:
		return startTLSRefusedError(ep, f.Reply, "")
	case FailAPIMaybeSent, FailAPIHostNotFound, FailAPISilent, FailAPIUnreachable:
		return explainAPINetwork(f.Kind, f.Host, errors.New(f.Kind))
	case FailMaybeSent, FailCertificate, FailNotTLS, FailNoSTARTTLS, FailHostNotFound, FailServerSilent, FailCannotConnect, FailConnection:
		return explainNetwork(f.Kind, ep, "")
	}
	return nil
}

// explainAPI words a FailAPI: the Gmail API's answer.
func (f Failure) explainAPI() error {
	var ae google.APIError
	if f.API != nil {
		ae = *f.API
	}
	ae.Message = advice.Printable(ae.Message, maxReplyText)
	e := explainAPIAnswer(API{ProjectID: f.Project}, f.Status, ae)
	if f.TooLong {
		return answerTooLong(e)
	}
	return e
}

// withFacts returns explained (an *advice.Error) carrying f.
func withFacts(explained error, f Failure) error { return advice.WithFacts(explained, f) }

// factsOn returns a copy of explained carrying f.
func factsOn(explained *advice.Error, f Failure) *advice.Error {
	return advice.WithFacts(explained, f).(*advice.Error)
}

// FailureOf returns the facts that err, a failed send, carries. An error
// worded around a send's (by the engine, say) may carry them too: the
// caller that keeps them checks that they say what err says.
func FailureOf(err error) (Failure, bool) { return advice.FactsOf[Failure](err) }
