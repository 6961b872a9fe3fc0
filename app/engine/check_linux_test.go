//go:build linux

package engine_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"unsafe"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/engine/enginetest"
	"github.com/mailkey-app/mailkey/app/mail"
)

// opens counts the opens of one file, as the kernel reports them (inotify).
type opens struct {
	t  *testing.T
	fd int
}

func watchOpens(t *testing.T, path string) *opens {
	t.Helper()
	fd, err := syscall.InotifyInit1(syscall.IN_NONBLOCK | syscall.IN_CLOEXEC)
	if err != nil {
		t.Skipf("inotify: %v", err)
	}
	t.Cleanup(func() { _ = syscall.Close(fd) })
	// The closes too: the kernel merges an event into the one before it
	// when they are the same and unread, so open, open would count as one.
	if _, err := syscall.InotifyAddWatch(fd, path, syscall.IN_OPEN|syscall.IN_CLOSE); err != nil {
		t.Fatal(err)
	}
	return &opens{t: t, fd: fd}
}

// since returns the opens since the last call.
func (o *opens) since() int {
	o.t.Helper()
	n := 0
	buf := make([]byte, 64*syscall.SizeofInotifyEvent)
	for {
		r, err := syscall.Read(o.fd, buf)
		if errors.Is(err, syscall.EAGAIN) {
			return n
		}
		if err != nil {
			o.t.Fatal(err)
		}
		for off := 0; off+syscall.SizeofInotifyEvent <= r; {
			ev := (*syscall.InotifyEvent)(unsafe.Pointer(&buf[off]))
			if ev.Mask&syscall.IN_OPEN != 0 {
				n++
			}
			off += syscall.SizeofInotifyEvent + int(ev.Len)
		}
	}
}

// TestSendChecksTheAttachmentsOnce counts how often a send opens its
// attachment: once for the check (mail.Message.Check) and twice per message
// written (counting it for the server's SIZE, then DATA; the API, too,
// writes it twice, to count it, then as the body; a token refused over SMTP
// is refused before DATA, one refused by the API after the upload). A
// retry with a refreshed token, or the fallback from an unreachable SMTP
// server to the API, adds no check: the senders take the mail.Checked as it
// is. Before, the transport checked every message again on each attempt:
// 4 opens for one send, 5 or 7 with a retry, 5 with the fallback.
func TestSendChecksTheAttachmentsOnce(t *testing.T) {
	env := doctorEnv(t) // OAuth, transport auto
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(file, []byte("%PDF-1.4 a small report"), 0o600); err != nil {
		t.Fatal(err)
	}
	o := watchOpens(t, file)
	m := mail.Message{From: enginetest.User, To: []string{"bob@example.com"}, Subject: "report", Body: "attached", Attachments: []string{file}}
	send := func(what string, want mail.Result, written int) {
		t.Helper()
		res, err := env.Engine.Send(ctx, m)
		if err != nil || res.Transport != want.Transport {
			t.Fatalf("%s: %+v %v", what, res, err)
		}
		if n, want := o.since(), 1+2*written; n != want {
			t.Errorf("%s: the attachment was opened %d times, want %d (one check, two per message written)", what, n, want)
		}
	}

	send("over SMTP", mail.Result{Transport: mail.TransportSMTP}, 1)
	env.Gmail.OAuth.ExpireAccessTokens()
	send("over SMTP, the token refused and refreshed", mail.Result{Transport: mail.TransportSMTP}, 1)
	if err := env.Engine.SetTransport(enginetest.User, account.TransportAPI); err != nil {
		t.Fatal(err)
	}
	send("through the API", mail.Result{Transport: mail.TransportAPI}, 1)
	env.Gmail.OAuth.ExpireAccessTokens()
	send("through the API, the token refused and refreshed", mail.Result{Transport: mail.TransportAPI}, 2)
	if err := env.Engine.SetTransport(enginetest.User, account.TransportAuto); err != nil {
		t.Fatal(err)
	}
	_ = env.Gmail.SMTP.Close()
	send("SMTP unreachable, then the API", mail.Result{Transport: mail.TransportAPI}, 1)
}
