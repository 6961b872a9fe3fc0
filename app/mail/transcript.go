package mail

import (
	"encoding/base64"
	"fmt"
	"strings"
	"sync"

	"github.com/wneessen/go-mail/log"
)

// transcript collects go-mail's debug log of the SMTP dialogue. go-mail
// already hides AUTH data; every secret of the credential, plain or in base64,
// is replaced as well in case any line carries it.
type transcript struct {
	mu      sync.Mutex
	lines   []string
	secrets []string
}

var _ log.Logger = (*transcript)(nil)

func newTranscript(c Credential) *transcript {
	t := &transcript{}
	if s := c.secret(); s != "" {
		t.secrets = append(t.secrets, s, base64.StdEncoding.EncodeToString([]byte(s)))
		for _, a := range []string{
			"\x00" + c.Username + "\x00" + c.Password,
			"user=" + c.Username + "\x01auth=Bearer " + c.Token + "\x01\x01",
		} {
			t.secrets = append(t.secrets, base64.StdEncoding.EncodeToString([]byte(a)))
		}
	}
	return t
}

func (t *transcript) add(l log.Log) {
	dir := "S:"
	if l.Direction == log.DirClientToServer {
		dir = "C:"
	}
	line := fmt.Sprintf(l.Format, l.Messages...)
	for _, s := range t.secrets {
		line = strings.ReplaceAll(line, s, "<redacted>")
	}
	t.mu.Lock()
	t.lines = append(t.lines, dir+" "+strings.TrimRight(line, "\r\n"))
	t.mu.Unlock()
}

func (t *transcript) Debugf(l log.Log) { t.add(l) }
func (t *transcript) Infof(l log.Log)  { t.add(l) }
func (t *transcript) Warnf(l log.Log)  { t.add(l) }
func (t *transcript) Errorf(l log.Log) { t.add(l) }

// String returns the transcript, one line per command or reply.
func (t *transcript) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.Join(t.lines, "\n")
}
