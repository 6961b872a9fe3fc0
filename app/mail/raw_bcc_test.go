package mail

import (
	"fmt"
	"strings"
	"testing"
)

// The Bcc field added for the Gmail API is folded like every header mailkey
// writes, with the line ending the message itself uses.
func TestRawBccHeaderFoldedInTheMessagesLineEnding(t *testing.T) {
	var to []string
	for i := range 12 {
		to = append(to, fmt.Sprintf("hidden.recipient.%02d@example.com", i))
	}
	for name, eol := range map[string]string{"CRLF": "\r\n", "LF": "\n"} {
		data := []byte("From: ann@gmail.com" + eol + "To: bob@example.com" + eol + "Subject: x" + eol + eol + "body" + eol)
		h := string(bccHeader(Raw{From: "ann@gmail.com", To: append([]string{"bob@example.com"}, to...), Data: data}))
		if !strings.HasSuffix(h, eol) || (eol == "\n" && strings.Contains(h, "\r")) {
			t.Fatalf("%s: the Bcc field does not end its lines as the message does: %q", name, h)
		}
		lines := strings.Split(strings.TrimSuffix(h, eol), eol)
		if len(lines) < 2 {
			t.Fatalf("%s: a Bcc of %d addresses on one line: %q", name, len(to), h)
		}
		for _, l := range lines {
			if len(l) > maxHeaderLine {
				t.Fatalf("%s: a line of %d characters: %q", name, len(l), l)
			}
		}
		if got := strings.ReplaceAll(strings.TrimSuffix(h, eol), eol, ""); got != "Bcc: "+strings.Join(to, ", ") {
			t.Fatalf("%s: unfolded, the field is %q", name, got)
		}
	}
}
