package mail

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/internal/testpeer"
	gosmtp "github.com/wneessen/go-mail/smtp"
)

// wire records the SMTP peer's plaintext dialogue, one entry per read from
// the connection or reply written.
type wire struct {
	mu     sync.Mutex
	chunks []string
}

func (w *wire) Write(b []byte) (int, error) {
	w.mu.Lock()
	w.chunks = append(w.chunks, string(b))
	w.mu.Unlock()
	return len(b), nil
}

func (w *wire) get() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.chunks)
}

// wirePeer starts an SMTP peer (STARTTLS and implicit TLS) that records its dialogue.
func wirePeer(t *testing.T) (*testpeer.SMTP, *Sender, *wire) {
	t.Helper()
	ca, err := testpeer.NewCA(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	w := &wire{}
	sp, err := testpeer.StartSMTP(testpeer.SMTPOptions{TLS: ca.ServerTLS, Passwords: map[string]string{ann: annPass}, Wire: w})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sp.Close() })
	return sp, &Sender{RootCAs: ca.Pool, Timeout: 5 * time.Second}, w
}

func recipients(n int) (to, cc, bcc, all []string) {
	for i := range n {
		a := fmt.Sprintf("r%03d@example.com", i)
		switch {
		case i < n*4/10:
			to = append(to, a)
		case i < n*7/10:
			cc = append(cc, a)
		default:
			bcc = append(bcc, a)
		}
		all = append(all, a)
	}
	return to, cc, bcc, all
}

// transcriptFrom returns the transcript's lines from the first MAIL on.
func transcriptFrom(tr string) []string {
	lines := strings.Split(tr, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "C: MAIL FROM:") {
			return lines[i:]
		}
	}
	return nil
}

func TestPipelinedSendOf100Recipients(t *testing.T) {
	for _, url := range []string{"starttls", "implicit"} {
		t.Run(url, func(t *testing.T) {
			sp, sender, w := wirePeer(t)
			raw := sp.StartTLSURL()
			if url == "implicit" {
				raw = sp.ImplicitTLSURL()
			}
			to, cc, bcc, all := recipients(100)
			res, err := sendSMTP(sender, context.Background(), mustEndpoint(t, raw), Credential{Username: ann, Password: annPass},
				Message{From: "Ann <" + ann + ">", To: to, Cc: cc, Bcc: bcc, Subject: "to a hundred", Body: "hello\n"})
			if err != nil {
				t.Fatalf("send: %v\n%s", err, res.Transcript)
			}
			msgs := sp.Messages()
			if len(msgs) != 1 || msgs[0].From != ann || !slices.Equal(msgs[0].To, all) ||
				!strings.Contains(string(msgs[0].Data), "Subject: to a hundred") {
				t.Fatalf("received %d messages: %+v", len(msgs), msgs)
			}

			// On the wire: MAIL, the 100 RCPTs and DATA reach the server in
			// one read, before it sent a single reply to them.
			chunks := w.get()
			i := slices.IndexFunc(chunks, func(c string) bool { return strings.HasPrefix(c, "MAIL FROM:<"+ann+">") })
			if i < 0 {
				t.Fatalf("no MAIL on the wire: %q", chunks)
			}
			group := chunks[i]
			if n := strings.Count(group, "RCPT TO:<"); n != 100 || !strings.HasSuffix(group, "\r\nDATA\r\n") {
				t.Fatalf("the server read MAIL with %d RCPTs and then %q, want all 100 and DATA in one read", n, group[max(0, len(group)-40):])
			}
			for j, a := range all {
				if !strings.Contains(group, fmt.Sprintf("RCPT TO:<%s>\r\n", a)) {
					t.Fatalf("recipient %d (%s) missing from the group", j, a)
				}
			}
			// Then the replies, in order: MAIL's 250, a 250 per RCPT, DATA's 354.
			var replies []string
			for _, c := range chunks[i+1:] {
				if strings.HasPrefix(c, "354 ") {
					replies = append(replies, c)
					break
				}
				replies = append(replies, c)
			}
			if len(replies) != 102 || !strings.HasPrefix(replies[101], "354 ") {
				t.Fatalf("%d replies before DATA's 354: %q", len(replies), replies)
			}
			for j, r := range replies[:101] {
				if !strings.HasPrefix(r, "250 ") {
					t.Fatalf("reply %d: %q", j, r)
				}
			}
			// QUIT follows the message's 250 (the server reads it after Send
			// returned, since nobody waits for its 221).
			deadline := time.Now().Add(5 * time.Second)
			for !slices.Contains(w.get(), "QUIT\r\n") && time.Now().Before(deadline) {
				time.Sleep(10 * time.Millisecond)
			}
			if !slices.Contains(w.get(), "QUIT\r\n") {
				t.Fatalf("no QUIT on the wire: %q", w.get()[i+102:])
			}
			if strings.Contains(res.Transcript, "S: 221") {
				t.Fatalf("the client waited for QUIT's reply:\n%s", res.Transcript)
			}

			// The transcript shows every command and every reply, in wire order.
			tr := transcriptFrom(res.Transcript)
			if len(tr) != 102+102+2 {
				t.Fatalf("transcript has %d lines from MAIL on:\n%s", len(tr), strings.Join(tr, "\n"))
			}
			if tr[101] != "C: DATA" || !strings.HasPrefix(tr[102], "S: 250") || !strings.HasPrefix(tr[203], "S: 354") ||
				!strings.HasPrefix(tr[204], "S: 250") || tr[205] != "C: QUIT" {
				t.Fatalf("transcript order:\n%s", strings.Join(tr, "\n"))
			}
		})
	}
}

// TestPipelinedGroupsAreBounded sends 100 recipients in groups of 10: each
// group is written, then its replies are read, and the message arrives.
func TestPipelinedGroupsAreBounded(t *testing.T) {
	defer func(n int) { maxGroup = n }(maxGroup)
	maxGroup = 10
	sp, sender, w := wirePeer(t)
	to, _, _, all := recipients(100)
	if _, err := sendSMTP(sender, context.Background(), mustEndpoint(t, sp.StartTLSURL()), Credential{Username: ann, Password: annPass},
		Message{From: ann, To: to[:40], Cc: all[40:], Subject: "groups"}); err != nil {
		t.Fatal(err)
	}
	if msgs := sp.Messages(); len(msgs) != 1 || !slices.Equal(msgs[0].To, all) {
		t.Fatalf("received %+v", msgs)
	}
	groups := 0
	for _, c := range w.get() {
		if n := strings.Count(c, "RCPT TO:<") + strings.Count(c, "MAIL FROM:<"); n > 0 {
			if n > 10 {
				t.Fatalf("a group of %d commands", n)
			}
			groups++
		}
	}
	if groups != 11 {
		t.Fatalf("%d groups, want 11 (101 commands and DATA by tens)", groups)
	}
}

func TestPipelinedRefusedRecipient(t *testing.T) {
	sp, sender, _ := wirePeer(t)
	var mu sync.Mutex
	n := 0
	sp.SetReplyFault(func(stage string) error {
		mu.Lock()
		defer mu.Unlock()
		if stage != "rcpt" {
			return nil
		}
		n++
		if n == 3 {
			return &smtp.SMTPError{
				Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1},
				Message: "The email account that you tried to reach does not exist.",
			}
		}
		return nil
	})
	_, _, _, to := recipients(5)
	res, err := sendSMTP(sender, context.Background(), mustEndpoint(t, sp.StartTLSURL()), Credential{Username: ann, Password: annPass},
		Message{From: ann, To: to, Subject: "one refused"})
	if !errors.Is(err, ErrRejected) || !strings.Contains(advice.What(err), "550 5.1.1 The email account that you tried to reach does not exist") {
		t.Fatalf("refused recipient: %v", err)
	}
	// Every reply was read and logged: the refusal sits after the third RCPT's
	// place, and DATA's 354 (the others were accepted) did not lead to a message.
	tr := transcriptFrom(res.Transcript)
	want := []string{"S: 250", "S: 250", "S: 250", "S: 550 5.1.1", "S: 250", "S: 250", "S: 354"}
	if len(tr) != 7+len(want) {
		t.Fatalf("transcript:\n%s", strings.Join(tr, "\n"))
	}
	for i, w := range want {
		if !strings.HasPrefix(tr[7+i], w) {
			t.Fatalf("reply %d is %q, want %s…\n%s", i, tr[7+i], w, strings.Join(tr, "\n"))
		}
	}
	if strings.Contains(res.Transcript, "C: QUIT") {
		t.Fatal("QUIT after a refusal: the connection must close in DATA so that nothing is delivered")
	}

	// The server dropped the half-open transaction: the next message is the only one.
	sp.SetReplyFault(nil)
	if _, err := sendSMTP(sender, context.Background(), mustEndpoint(t, sp.StartTLSURL()), Credential{Username: ann, Password: annPass},
		Message{From: ann, To: to[:1], Subject: "second"}); err != nil {
		t.Fatal(err)
	}
	if msgs := sp.Messages(); len(msgs) != 1 || !strings.Contains(string(msgs[0].Data), "Subject: second") {
		t.Fatalf("received %d messages, want only the second: %+v", len(msgs), msgs)
	}
}

func TestPipelinedRefusedSender(t *testing.T) {
	sp, sender, _ := wirePeer(t)
	sp.SetReplyFault(func(stage string) error {
		if stage == "mail" {
			return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 4, 5}, Message: "Daily user sending limit exceeded."}
		}
		return nil
	})
	res, err := sendSMTP(sender, context.Background(), mustEndpoint(t, sp.StartTLSURL()), Credential{Username: ann, Password: annPass},
		Message{From: ann, To: []string{"bob@example.com", "carol@example.com"}, Subject: "s"})
	if !errors.Is(err, ErrDailyLimit) {
		t.Fatalf("MAIL refused: %v", err)
	}
	// The first refusal is the one explained; the replies to RCPT and DATA
	// that follow it were read too.
	tr := transcriptFrom(res.Transcript)
	if len(tr) != 8 || !strings.HasPrefix(tr[4], "S: 550 5.4.5") || !strings.HasPrefix(tr[7], "S: 5") {
		t.Fatalf("transcript:\n%s", strings.Join(tr, "\n"))
	}
	if len(sp.Messages()) != 0 {
		t.Fatal("a message arrived")
	}
}

// TestPlainExchangeWithoutPipelining keeps the one-command-at-a-time path
// working for servers that do not offer PIPELINING.
func TestPlainExchangeWithoutPipelining(t *testing.T) {
	defer func() { pipelining = true }()
	pipelining = false
	sp, sender, w := wirePeer(t)
	_, _, _, all := recipients(5)
	if _, err := sendSMTP(sender, context.Background(), mustEndpoint(t, sp.StartTLSURL()), Credential{Username: ann, Password: annPass},
		Message{From: ann, To: all, Subject: "plain"}); err != nil {
		t.Fatal(err)
	}
	if msgs := sp.Messages(); len(msgs) != 1 || !slices.Equal(msgs[0].To, all) {
		t.Fatalf("received %+v", msgs)
	}
	for _, c := range w.get() {
		if strings.Count(c, "\r\n") > 1 && (strings.HasPrefix(c, "MAIL") || strings.HasPrefix(c, "RCPT")) {
			t.Fatalf("commands sent together without PIPELINING: %q", c)
		}
	}
}

// TestPipelinedServerClosing: the server answers MAIL with 421 and hangs up
// (as Gmail does when it limits a sender) without answering RCPT and DATA;
// the 421 is what gets explained, not the end of the connection. A scripted
// peer, since go-smtp's server keeps the connection open after a 421.
func TestPipelinedServerClosing(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		tp := textproto.NewConn(c)
		_ = tp.PrintfLine("220 smtp.gmail.test ready")
		if l, _ := tp.ReadLine(); strings.HasPrefix(l, "EHLO") {
			_ = tp.PrintfLine("250-smtp.gmail.test\r\n250 PIPELINING")
		}
		if l, _ := tp.ReadLine(); strings.HasPrefix(l, "MAIL FROM:") {
			_ = tp.PrintfLine("421 4.7.0 Try again later, closing connection.")
		}
	}()
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	sc, err := gosmtp.NewClient(conn, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	defer sc.Close()
	if !pipelines(sc) {
		t.Fatal("PIPELINING not seen")
	}
	tr := newTranscript(newRedactor(Credential{}))
	err = deliverPipelined(sc, tr, ann, []string{"bob@example.com", "carol@example.com"}, func(io.Writer) error { return nil })
	var tp *textproto.Error
	if !errors.As(err, &tp) || tp.Code != 421 {
		t.Fatalf("got %v, want the 421\n%s", err, tr)
	}
	if r, ok := replyIn(err); !ok || !errors.Is(Explain(r, false), ErrRateLimited) {
		t.Fatalf("explained as %v", Explain(r, false))
	}
}
