package arrival_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/mailkey-app/mailkey/app/arrival"
	"github.com/mailkey-app/mailkey/internal/testpeer"
)

const (
	ann    = "ann@gmail.com"
	annPW  = "abcdefghijklmnop"
	sample = "From: ann@gmail.com\r\nTo: ann@gmail.com\r\nSubject: t\r\nMessage-ID: <m1@vm>\r\n\r\nhi\r\n"
)

// imapPeer starts the IMAP stand-in fed by a mailbox.
func imapPeer(t *testing.T, opts testpeer.IMAPOptions) (*testpeer.Mailbox, arrival.IMAP) {
	t.Helper()
	ca, err := testpeer.NewCA(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	opts.TLS, opts.Passwords = ca.ServerTLS, map[string]string{ann: annPW}
	p, err := testpeer.StartIMAP(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	mb := testpeer.NewMailbox()
	p.Feed(mb)
	return mb, arrival.IMAP{URL: p.URL, Username: ann, Password: annPW, RootCAs: ca.Pool}
}

func TestIMAPFindsInboxAndSpam(t *testing.T) {
	cases := []struct {
		name string
		opts testpeer.IMAPOptions
	}{
		{"Gmail in English", testpeer.IMAPOptions{}},
		{"a localised Spam folder found by \\Junk", testpeer.IMAPOptions{SpamName: "[Gmail]/Pourriel"}},
		{"no \\Junk: the English name", testpeer.IMAPOptions{NoSpecialUse: true}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			mb, finder := imapPeer(t, c.opts)
			ctx := context.Background()
			if _, ok, err := finder.Find(ctx, "<m1@vm>"); ok || err != nil {
				t.Fatalf("empty mailbox: found %v, %v", ok, err)
			}
			mb.DeliverSMTP(testpeer.Received{From: ann, To: []string{ann}, Data: []byte(sample)})
			f, ok, err := finder.Find(ctx, "<m1@vm>")
			if !ok || err != nil || f.Place != arrival.Inbox || arrival.ParseAuth(f.AuthResults).DKIM != "pass" {
				t.Fatalf("Find = %+v, %v, %v; want the Inbox with DKIM pass", f, ok, err)
			}
			mb.SetSpam(true)
			mb.DeliverSMTP(testpeer.Received{From: ann, To: []string{ann}, Data: []byte(strings.Replace(sample, "m1@vm", "m2@vm", 1))})
			f, ok, err = finder.Find(ctx, "<m2@vm>")
			if !ok || err != nil || f.Place != arrival.Spam {
				t.Fatalf("Find = %+v, %v, %v; want Spam", f, ok, err)
			}
		})
	}
}

func TestIMAPWrongPassword(t *testing.T) {
	_, finder := imapPeer(t, testpeer.IMAPOptions{})
	finder.Password = "qwertyuiopasdfgh"
	_, _, err := finder.Find(context.Background(), "<m1@vm>")
	if !errors.Is(err, arrival.ErrIMAPLogin) || !strings.Contains(err.Error(), "Invalid credentials") || strings.Contains(err.Error(), "qwerty") {
		t.Errorf("err = %v; want the login refusal, without the password", err)
	}
}

func TestIMAPStalledServer(t *testing.T) {
	bh, err := testpeer.StartBlackHole()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(bh.Close)
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, _, err = arrival.IMAP{URL: "imaps://" + bh.Addr, Username: ann, Password: annPW}.Find(ctx, "<m1@vm>")
	if !errors.Is(err, arrival.ErrLook) || time.Since(start) > 5*time.Second {
		t.Errorf("err = %v after %v; want a failed look within the deadline", err, time.Since(start))
	}
}
