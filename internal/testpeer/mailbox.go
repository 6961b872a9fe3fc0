package testpeer

import (
	"bytes"
	"fmt"
	"net/http"
	"net/mail"
	"slices"
	"strings"
	"sync"
	"time"
)

// Mailbox is a Gmail-like message store with labels: it receives what the
// SMTP and Gmail API stand-ins deliver, serves the read side of the Gmail API
// (users.messages.list with q=rfc822msgid:, users.messages.get with
// format=metadata, users.settings.sendAs.list) and feeds the IMAP stand-in.
//
// Shapes of the answers follow Google's reference pages for
// users.messages.list (https://developers.google.com/gmail/api/reference/rest/v1/users.messages/list:
// {"messages":[{"id","threadId"}],"resultSizeEstimate"}, no "messages" key
// when nothing matches; spam and trash are left out unless
// includeSpamTrash=true), users.messages.get
// (…/users.messages/get, format=metadata: labelIds and payload.headers
// limited to metadataHeaders) and users.settings.sendAs.list
// (…/users.settings.sendAs/list: {"sendAs":[{"sendAsEmail","displayName",
// "isPrimary","isDefault","treatAsAlias","verificationStatus"}]}).
type Mailbox struct {
	mu     sync.Mutex
	msgs   []*stored
	spam   bool
	drop   bool
	delay  time.Duration
	sendAs map[string][]SendAs
	onFile []func(owner, label string, raw []byte)
	reads  int
}

// SendAs is one "Send mail as" address of users.settings.sendAs.
type SendAs struct {
	SendAsEmail        string `json:"sendAsEmail"`
	DisplayName        string `json:"displayName,omitempty"`
	IsPrimary          bool   `json:"isPrimary,omitempty"`
	IsDefault          bool   `json:"isDefault,omitempty"`
	TreatAsAlias       bool   `json:"treatAsAlias,omitempty"`
	VerificationStatus string `json:"verificationStatus,omitempty"` // "accepted" or "pending"; absent for the primary address
}

type stored struct {
	id     string
	owner  string
	labels []string
	raw    []byte
	msgID  string
}

// GmailAuthResults is the Authentication-Results header the stand-in adds to
// a delivered message, in the form Gmail writes it ("Show original" of a
// message from a gmail.com sender; RFC 8601 §2.2 for the syntax).
func GmailAuthResults(from string) string {
	return "mx.google.com;\r\n       dkim=pass header.i=@gmail.com header.s=20230601 header.b=Qm9ndXNTaWc;\r\n" +
		"       spf=pass (google.com: domain of " + from + " designates 2607:f8b0:4864:20::42a as permitted sender) smtp.mailfrom=" + from + ";\r\n" +
		"       dmarc=pass (p=NONE sp=QUARANTINE dis=NONE) header.from=gmail.com"
}

// Mailbox returns the message store behind the API's read endpoints; it
// receives nothing until fed (StartGmail feeds it from SMTP and the API).
func (p *GmailAPI) Mailbox() *Mailbox { return p.mailbox }

// NewMailbox returns an empty store.
func NewMailbox() *Mailbox { return &Mailbox{sendAs: map[string][]SendAs{}} }

// SetSpam makes every message delivered from now on land in Spam.
func (m *Mailbox) SetSpam(on bool) { m.mu.Lock(); m.spam = on; m.mu.Unlock() }

// SetDrop makes every message delivered from now on vanish (never arrive).
func (m *Mailbox) SetDrop(on bool) { m.mu.Lock(); m.drop = on; m.mu.Unlock() }

// SetDelay makes messages arrive d after they were accepted, as Gmail's
// delivery takes a moment.
func (m *Mailbox) SetDelay(d time.Duration) { m.mu.Lock(); m.delay = d; m.mu.Unlock() }

// SetSendAs sets owner's "Send mail as" list (the primary address included,
// as Gmail lists it).
func (m *Mailbox) SetSendAs(owner string, list []SendAs) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sendAs[strings.ToLower(owner)] = slices.Clone(list)
}

// OnFile registers f, called with every message filed, with its label
// ("INBOX" or "SPAM"); the IMAP stand-in uses it.
func (m *Mailbox) OnFile(f func(owner, label string, raw []byte)) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.onFile = append(m.onFile, f)
}

// DeliverSMTP files a message the SMTP stand-in accepted, for each
// recipient. Like Gmail, it rewrites a From that is neither the signed-in
// user nor one of the user's accepted Send mail as addresses to the user's
// address (Gmail Help, "Send emails from a different address or alias": the
// address must be added and verified under Send mail as).
func (m *Mailbox) DeliverSMTP(r Received) {
	data, from := m.rewriteFrom(r.Data, r.User), r.From
	if !bytes.Equal(data, r.Data) {
		from = r.User
	}
	for _, to := range r.To {
		m.deliver(to, from, data)
	}
}

// rewriteFrom returns raw with its From header replaced by user when user
// may not send as it.
func (m *Mailbox) rewriteFrom(raw []byte, user string) []byte {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil || user == "" {
		return raw
	}
	a, err := mail.ParseAddress(msg.Header.Get("From"))
	if err != nil || strings.EqualFold(a.Address, user) {
		return raw
	}
	m.mu.Lock()
	aliases := m.sendAs[strings.ToLower(user)]
	m.mu.Unlock()
	for _, s := range aliases {
		if strings.EqualFold(s.SendAsEmail, a.Address) && s.VerificationStatus == "accepted" {
			return raw
		}
	}
	out := stripHeader(raw, "From")
	return append([]byte("From: "+user+"\r\n"), out...)
}

// Message returns the raw message owner received with messageID, as filed
// (with the headers Gmail adds), or nil.
func (m *Mailbox) Message(owner, messageID string) []byte {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, s := range m.msgs {
		if s.owner == strings.ToLower(owner) && s.msgID == messageID {
			return slices.Clone(s.raw)
		}
	}
	return nil
}

// DeliverRaw files a message the Gmail API stand-in accepted, for each
// recipient of its To, Cc and Bcc headers (Gmail strips Bcc on delivery).
func (m *Mailbox) DeliverRaw(raw []byte) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return
	}
	from := ""
	if a, err := mail.ParseAddress(msg.Header.Get("From")); err == nil {
		from = a.Address
	}
	for _, h := range []string{"To", "Cc", "Bcc"} {
		list, _ := msg.Header.AddressList(h)
		for _, a := range list {
			m.deliver(a.Address, from, stripHeader(raw, "Bcc"))
		}
	}
}

func (m *Mailbox) deliver(owner, from string, raw []byte) {
	m.mu.Lock()
	drop, spam, delay := m.drop, m.spam, m.delay
	m.mu.Unlock()
	if drop {
		return
	}
	label := "INBOX"
	if spam {
		label = "SPAM"
	}
	data := append([]byte("Authentication-Results: "+GmailAuthResults(from)+"\r\n"), raw...)
	file := func() {
		owner := strings.ToLower(owner)
		msgID := ""
		if msg, err := mail.ReadMessage(bytes.NewReader(data)); err == nil {
			msgID = strings.TrimSpace(msg.Header.Get("Message-ID"))
		}
		m.mu.Lock()
		s := &stored{id: fmt.Sprintf("19a%013x", len(m.msgs)+1), owner: owner, labels: []string{label, "UNREAD"}, raw: data, msgID: msgID}
		if strings.EqualFold(from, owner) {
			s.labels = append(s.labels, "SENT")
		}
		m.msgs = append(m.msgs, s)
		hooks := slices.Clone(m.onFile)
		m.mu.Unlock()
		for _, f := range hooks {
			f(owner, label, data)
		}
	}
	if delay <= 0 {
		file()
		return
	}
	time.AfterFunc(delay, file)
}

// Reads returns how many requests reached the read endpoints so far (the
// API's Hits counts its profile and send endpoints only).
func (m *Mailbox) Reads() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.reads
}

// Labels returns the labels of owner's messages with messageID, or nil.
func (m *Mailbox) Labels(owner, messageID string) []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, s := range m.msgs {
		if s.owner == strings.ToLower(owner) && s.msgID == messageID {
			return slices.Clone(s.labels)
		}
	}
	return nil
}

// stripHeader removes the header field name from a raw message's header.
func stripHeader(raw []byte, name string) []byte {
	head, body, ok := bytes.Cut(raw, []byte("\r\n\r\n"))
	if !ok {
		return raw
	}
	var out [][]byte
	skip := false
	for _, line := range bytes.Split(head, []byte("\r\n")) {
		if len(line) > 0 && (line[0] == ' ' || line[0] == '\t') {
			if !skip {
				out = append(out, line)
			}
			continue
		}
		k, _, _ := bytes.Cut(line, []byte(":"))
		skip = strings.EqualFold(strings.TrimSpace(string(k)), name)
		if !skip {
			out = append(out, line)
		}
	}
	return append(append(bytes.Join(out, []byte("\r\n")), "\r\n\r\n"...), body...)
}

// register adds the read endpoints to the Gmail API stand-in; like its
// other endpoints, they check the token first, then whether the API is on.
func (m *Mailbox) register(api *GmailAPI) {
	api.mux.HandleFunc("GET /gmail/v1/users/me/messages", func(w http.ResponseWriter, r *http.Request) { m.listMessages(api, w, r) })
	api.mux.HandleFunc("GET /gmail/v1/users/me/messages/{id}", func(w http.ResponseWriter, r *http.Request) { m.getMessage(api, w, r) })
	api.mux.HandleFunc("GET /gmail/v1/users/me/settings/sendAs", func(w http.ResponseWriter, r *http.Request) { m.listSendAs(api, w, r) })
}

// auth counts a read and checks its token as the Gmail API does; it answers
// a refused request itself and returns the owner's address otherwise.
func (m *Mailbox) auth(api *GmailAPI, w http.ResponseWriter, r *http.Request) (string, bool) {
	api.mu.Lock()
	disabled := api.disabled
	api.mu.Unlock()
	m.mu.Lock()
	m.reads++
	m.mu.Unlock()
	email, scope, valid := bearer(api.tokens, r)
	switch {
	case !valid:
		writeSaid(w, "api/auth-error")
		return "", false
	case disabled:
		writeSaid(w, "api/service-disabled")
		return "", false
	case !hasScope(scope, gmailScope):
		writeSaid(w, "api/scope-insufficient")
		return "", false
	}
	return strings.ToLower(email), true
}

// listMessages implements users.messages.list, with q=rfc822msgid:.
func (m *Mailbox) listMessages(api *GmailAPI, w http.ResponseWriter, r *http.Request) {
	owner, ok := m.auth(api, w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	want, byID := strings.CutPrefix(q.Get("q"), "rfc822msgid:")
	withSpam := q.Get("includeSpamTrash") == "true"
	var found []map[string]string
	m.mu.Lock()
	for i := len(m.msgs) - 1; i >= 0; i-- {
		s := m.msgs[i]
		if s.owner != owner || (byID && strings.Trim(s.msgID, "<>") != strings.Trim(want, "<>")) {
			continue
		}
		if !withSpam && slices.Contains(s.labels, "SPAM") {
			continue
		}
		found = append(found, map[string]string{"id": s.id, "threadId": s.id})
	}
	m.mu.Unlock()
	out := map[string]any{"resultSizeEstimate": len(found)}
	if len(found) > 0 {
		out["messages"] = found
	}
	writeJSON(w, http.StatusOK, out)
}

// getMessage implements users.messages.get (format=metadata).
func (m *Mailbox) getMessage(api *GmailAPI, w http.ResponseWriter, r *http.Request) {
	owner, ok := m.auth(api, w, r)
	if !ok {
		return
	}
	m.mu.Lock()
	var s *stored
	for _, x := range m.msgs {
		if x.owner == owner && x.id == r.PathValue("id") {
			s = x
		}
	}
	m.mu.Unlock()
	if s == nil {
		writeJSON(w, http.StatusNotFound, map[string]any{"error": map[string]any{
			"code": 404, "message": "Requested entity was not found.",
			"status": "NOT_FOUND", "errors": []map[string]string{{"message": "Requested entity was not found.", "domain": "global", "reason": "notFound"}},
		}})
		return
	}
	var headers []map[string]string
	if msg, err := mail.ReadMessage(bytes.NewReader(s.raw)); err == nil {
		for _, name := range r.URL.Query()["metadataHeaders"] {
			for _, v := range msg.Header[http.CanonicalHeaderKey(name)] {
				headers = append(headers, map[string]string{"name": name, "value": v})
			}
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"id": s.id, "threadId": s.id, "labelIds": s.labels,
		"payload": map[string]any{"mimeType": "text/plain", "headers": headers}, "sizeEstimate": len(s.raw),
	})
}

// listSendAs implements users.settings.sendAs.list.
func (m *Mailbox) listSendAs(api *GmailAPI, w http.ResponseWriter, r *http.Request) {
	owner, ok := m.auth(api, w, r)
	if !ok {
		return
	}
	m.mu.Lock()
	list := slices.Clone(m.sendAs[owner])
	m.mu.Unlock()
	if len(list) == 0 {
		list = []SendAs{{SendAsEmail: owner, IsPrimary: true, IsDefault: true}}
	}
	writeJSON(w, http.StatusOK, map[string]any{"sendAs": list})
}
