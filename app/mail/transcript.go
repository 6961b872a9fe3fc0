package mail

import (
	"fmt"
	"strings"
	"sync"

	"github.com/wneessen/go-mail/log"
)

// transcript collects go-mail's debug log of the SMTP dialogue. go-mail
// already hides AUTH data; every form of the credential's secret is removed
// as well in case any line carries it (a server may echo it), and every line
// is made fit to print: the server's words reach --verbose and the window.
type transcript struct {
	mu    sync.Mutex
	lines []string
	red   redactor
}

var _ log.Logger = (*transcript)(nil)

func newTranscript(red redactor) *transcript { return &transcript{red: red} }

func (t *transcript) add(l log.Log) {
	dir := "S:"
	if l.Direction == log.DirClientToServer {
		dir = "C:"
	}
	line := strings.TrimRight(fmt.Sprintf(l.Format, l.Messages...), "\r\n")
	line = t.red.lines(line)
	t.mu.Lock()
	t.lines = append(t.lines, dir+" "+line)
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
