package testpeer

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// DefaultProjectNumber is the Google Cloud project number the Gmail API peer
// names in its "API disabled" answer (the corpus's api/service-disabled).
const DefaultProjectNumber = "123456789012"

// GmailAPI is a stand-in for the Gmail API on 127.0.0.1. It answers GET
// /gmail/v1/users/me/profile and the media upload of users.messages.send
// (POST /upload/gmail/v1/users/me/messages/send?uploadType=media) for a valid
// access token of the OAuth peer, and can be switched off like an API not
// enabled in the project.
type GmailAPI struct {
	// URL is the base URL, for example http://127.0.0.1:PORT.
	URL string

	tokens TokenValidator
	srv    *http.Server
	once   sync.Once

	// mux takes the Mailbox's read endpoints too (mailbox.go).
	mux     *http.ServeMux
	mailbox *Mailbox

	mu       sync.Mutex
	disabled bool
	answer   string
	hits     int
	sent     [][]byte
	onSend   func(raw []byte)
}

// SetOnSend sets a function called with every message the API accepts.
func (p *GmailAPI) SetOnSend(f func(raw []byte)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.onSend = f
}

// StartGmailAPI starts the API peer on addr (empty: 127.0.0.1, random port);
// it checks bearer tokens with tokens. Call Close when done.
func StartGmailAPI(tokens TokenValidator, addr string) (*GmailAPI, error) {
	ln, err := net.Listen("tcp", orLoopback(addr))
	if err != nil {
		return nil, fmt.Errorf("testpeer: gmail api listen: %w", err)
	}
	p := &GmailAPI{URL: "http://" + ln.Addr().String(), tokens: tokens}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /gmail/v1/users/me/profile", p.handleProfile)
	mux.HandleFunc("POST /upload/gmail/v1/users/me/messages/send", p.handleSend)
	p.mux = mux
	p.mailbox = NewMailbox()
	p.mailbox.register(p) // messages.list/get and settings.sendAs (mailbox.go)
	p.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 30 * time.Second}
	go func() { _ = p.srv.Serve(ln) }()
	return p, nil
}

// Close stops the server. It is safe to call more than once.
func (p *GmailAPI) Close() { p.once.Do(func() { _ = p.srv.Close() }) }

// SetAPIDisabled makes every call answer Google's 403 for an API that is not
// enabled in the project, as before the user clicked Enable.
func (p *GmailAPI) SetAPIDisabled(off bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.disabled = off
}

// SetAnswer makes every call (profile and send) answer, to a valid token,
// the corpus entry name (for example "api/daily-sending-limit") with its
// status, as Google sends it; "" restores normal answers.
func (p *GmailAPI) SetAnswer(name string) {
	if name != "" {
		saysStatus(name) // panics on an unknown name
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.answer = name
}

// Hits returns how many requests reached the profile and send endpoints so
// far (Mailbox().Reads counts the read endpoints).
func (p *GmailAPI) Hits() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.hits
}

// Sent returns the raw messages received by the send endpoint, in order.
func (p *GmailAPI) Sent() [][]byte {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([][]byte, len(p.sent))
	for i, b := range p.sent {
		out[i] = append([]byte(nil), b...)
	}
	return out
}

// bearer checks the request's "Authorization: Bearer" token with tokens; a
// request without one is not valid.
func bearer(tokens TokenValidator, r *http.Request) (email, scope string, valid bool) {
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || token == "" {
		return "", "", false
	}
	return tokens.Validate(token)
}

// handleSend is users.messages.send with uploadType=media: the body is the
// raw RFC 5322 message.
func (p *GmailAPI) handleSend(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	p.hits++
	disabled, answer := p.disabled, p.answer
	n := len(p.sent)
	p.mu.Unlock()
	_, scope, valid := bearer(p.tokens, r)
	switch {
	case !valid:
		writeSaid(w, "api/auth-error")
		return
	case disabled:
		writeSaid(w, "api/service-disabled")
		return
	case !hasScope(scope, "https://mail.google.com/") && !hasScope(scope, "https://www.googleapis.com/auth/gmail.send"):
		writeSaid(w, "api/scope-insufficient")
		return
	case answer != "":
		_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, 36<<20))
		writeSaid(w, answer)
		return
	case r.URL.Query().Get("uploadType") != "media":
		writeJSON(w, http.StatusBadRequest, apiBadRequest("Media type 'application/octet-stream' is not supported. Valid uploadType is media."))
		return
	case r.Header.Get("Content-Type") != "message/rfc822":
		writeJSON(w, http.StatusBadRequest, apiBadRequest("Media type '"+r.Header.Get("Content-Type")+"' is not supported."))
		return
	}
	raw, err := io.ReadAll(io.LimitReader(r.Body, 36<<20))
	if err != nil {
		return // the client went away: nothing is stored
	}
	if len(raw) == 0 || !bytes.Contains(raw, []byte("\r\n\r\n")) {
		writeSaid(w, "api/recipient-required")
		return
	}
	p.mu.Lock()
	p.sent = append(p.sent, raw)
	onSend := p.onSend
	p.mu.Unlock()
	if onSend != nil {
		onSend(raw)
	}
	id := fmt.Sprintf("18f%013x", n+1)
	writeJSON(w, http.StatusOK, map[string]any{"id": id, "threadId": id, "labelIds": []string{"SENT"}})
}

func apiBadRequest(msg string) map[string]any {
	return map[string]any{"error": map[string]any{
		"code": 400, "message": msg, "status": "INVALID_ARGUMENT",
		"errors": []map[string]string{{"message": msg, "domain": "global", "reason": "invalidArgument"}},
	}}
}

func (p *GmailAPI) handleProfile(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	p.hits++
	disabled, answer := p.disabled, p.answer
	p.mu.Unlock()
	// Google checks the token first: an API disabled in the project is only
	// reported to a caller it knows.
	email, scope, valid := bearer(p.tokens, r)
	switch {
	case !valid:
		writeSaid(w, "api/auth-error")
	case disabled:
		writeSaid(w, "api/service-disabled")
	case !hasScope(scope, "https://mail.google.com/"):
		writeSaid(w, "api/scope-insufficient")
	case answer != "":
		writeSaid(w, answer)
	default:
		writeJSON(w, http.StatusOK, map[string]any{"emailAddress": email, "messagesTotal": 0, "threadsTotal": 0, "historyId": "1"})
	}
}
