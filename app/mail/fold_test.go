package mail

import (
	"context"
	"fmt"
	"mime"
	netmail "net/mail"
	"strings"
	"testing"
)

// TestLongHeadersAreFolded sends messages whose headers are far over the
// 998-octet limit (a 5,000-character ASCII subject, a 2,000-character
// non-ASCII one, 45 recipients with long names, in To and Cc) through the stand-in
// Gmail: every line arrives at most 78 octets long (998 where a single
// word cannot be broken), and the headers decode back to the same text.
func TestLongHeadersAreFolded(t *testing.T) {
	var words []string
	for i := range 1200 {
		words = append(words, fmt.Sprintf("w%03d", i))
	}
	asciiSubject := strings.Join(words, " ")[:4999] + "."
	nonASCII := ""
	for len([]rune(nonASCII)) < 2000 {
		nonASCII += "Grüße aus Köln — 日本語のテキスト ✓ émoji 👩‍💻 "
	}
	nonASCII = string([]rune(nonASCII)[:2000])
	var to []string
	for i := range 45 { // twice (To and Cc): Gmail takes 100 recipients at most
		name := fmt.Sprintf("Recipient Number %d With A Rather Long Display Name", i)
		switch i % 3 {
		case 1:
			name = fmt.Sprintf("Zoë Ångström-Łukasiewicz %d, Société Générale d'Électricité", i)
		case 2:
			name = strings.Repeat("x", 120) + fmt.Sprint(i) // one word too long for a line
		}
		to = append(to, fmt.Sprintf("%q <r%d@example.com>", name, i))
	}
	tests := []struct {
		name    string
		subject string
		to      []string
	}{
		{"5,000-character ASCII subject", asciiSubject, []string{"bob@example.com"}},
		{"one 2,000-character ASCII word", strings.Repeat("y", 2000), []string{"bob@example.com"}},
		{"2,000-character non-ASCII subject", nonASCII, []string{"bob@example.com"}},
		{"subject with spaces that matter", "  two  spaces and =?UTF-8?q?not_a_word?= ", []string{"bob@example.com"}},
		{"45 recipients with long names, in To and Cc", "many", to},
	}
	p := startPeers(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := len(p.SMTP.Messages())
			m := Message{
				From: "Ann Élise Marie-Thérèse de la Fontaine du Bois-Joli <" + ann + ">", To: tt.to,
				Cc: tt.to, Subject: tt.subject, Body: "hi",
			}
			if _, err := sendSMTP(p.sender, context.Background(), mustEndpoint(t, p.SMTP.StartTLSURL()), Credential{Username: ann, Password: annPass}, m); err != nil {
				t.Fatalf("Send: %v", err)
			}
			msgs := p.SMTP.Messages()
			if len(msgs) != n+1 {
				t.Fatalf("the server holds %d messages, want %d", len(msgs), n+1)
			}
			data := string(msgs[n].Data)
			head := data[:strings.Index(data, "\r\n\r\n")]
			for _, l := range strings.Split(head, "\r\n") {
				if len(l) > 998 || (len(l) > 78 && strings.Contains(strings.TrimLeft(l, " "), " ")) {
					t.Errorf("header line of %d octets: %.120q", len(l), l)
				}
			}
			msg, err := netmail.ReadMessage(strings.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			var dec mime.WordDecoder
			subj, err := dec.DecodeHeader(msg.Header.Get("Subject"))
			if err != nil || subj != tt.subject {
				t.Errorf("Subject decodes to %.200q (%v), want %.200q", subj, err, tt.subject)
			}
			for _, field := range []string{"To", "Cc"} {
				list, err := msg.Header.AddressList(field)
				if err != nil {
					t.Fatalf("%s: %v", field, err)
				}
				if len(list) != len(tt.to) {
					t.Fatalf("%s holds %d addresses, want %d", field, len(list), len(tt.to))
				}
				for i, a := range list {
					want, _ := netmail.ParseAddress(tt.to[i])
					if a.Name != want.Name || a.Address != want.Address {
						t.Errorf("%s[%d] = %q <%s>, want %q <%s>", field, i, a.Name, a.Address, want.Name, want.Address)
					}
				}
			}
			from, err := msg.Header.AddressList("From")
			if err != nil || len(from) != 1 || from[0].Name != "Ann Élise Marie-Thérèse de la Fontaine du Bois-Joli" {
				t.Errorf("From = %v (%v)", from, err)
			}
		})
	}
}
