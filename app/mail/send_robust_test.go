package mail

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/mailkey-app/mailkey/app/advice"
)

// TestServerFaultsGiveClearErrorsAndNoDuplicate sends through a server that
// fails in the ways real ones do; each send fails once with an explained
// error, and the server never holds a message (so a retry cannot duplicate).
func TestServerFaultsGiveClearErrorsAndNoDuplicate(t *testing.T) {
	drop := errors.New("connection dropped")
	tests := []struct {
		name  string
		stage string
		fault error
		body  string
		want  []error // any of
		next  string
	}{
		{"dropped mid-DATA, small message", "data-partial", drop, strings.Repeat("x", 4<<10), []error{ErrMaybeSent, ErrConnect}, "Sent folder"},
		{"dropped mid-DATA, 4 MB message", "data-partial", drop, strings.Repeat("0123456789abcde\n", 256<<10), []error{ErrMaybeSent, ErrConnect}, ""},
		{"421 at MAIL", "mail", &smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCode{4, 7, 0}, Message: "Try again later, closing connection."}, "hi", []error{ErrRateLimited, ErrTemporary}, "Try again"},
		{"454 at RCPT", "rcpt", &smtp.SMTPError{Code: 454, EnhancedCode: smtp.EnhancedCode{4, 7, 0}, Message: "Too many login attempts, please try again later."}, "hi", []error{ErrRateLimited, ErrTemporary}, "Try again"},
		{"421 after DATA", "data", &smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCode{4, 7, 0}, Message: "Temporary System Problem."}, "hi", []error{ErrRateLimited, ErrTemporary}, "Try again"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := startPeers(t)
			p.SMTP.SetReplyFault(func(stage string) error {
				if stage == tt.stage {
					return tt.fault
				}
				return nil
			})
			m := Message{From: ann, To: []string{"bob@example.com"}, Subject: tt.name, Body: tt.body}
			res, err := sendSMTP(p.sender, context.Background(), mustEndpoint(t, p.SMTP.StartTLSURL()), Credential{Username: ann, Password: annPass}, m)
			t.Logf("%v", err)
			if err == nil {
				t.Fatal("send succeeded through a failing server")
			}
			matched := false
			for _, w := range tt.want {
				matched = matched || errors.Is(err, w)
			}
			if !matched {
				t.Errorf("error %v, want one of %v", err, tt.want)
			}
			var ae *advice.Error
			if !errors.As(err, &ae) || advice.Next(err) == "" || !strings.Contains(strings.ToLower(advice.Next(err)), strings.ToLower(tt.next)) {
				t.Errorf("error without the advice %q: %v", tt.next, err)
			}
			if res.Transcript == "" {
				t.Error("no transcript for the failed send")
			}
			if n := len(p.SMTP.Messages()); n != 0 {
				t.Fatalf("server holds %d messages after a failed send", n)
			}
			// The draft is untouched, so sending it again delivers it exactly once.
			p.SMTP.SetReplyFault(nil)
			if _, err := sendSMTP(p.sender, context.Background(), mustEndpoint(t, p.SMTP.StartTLSURL()), Credential{Username: ann, Password: annPass}, m); err != nil {
				t.Fatalf("send again: %v", err)
			}
			if n := len(p.SMTP.Messages()); n != 1 {
				t.Fatalf("server holds %d messages after the retry, want 1", n)
			}
		})
	}
}

// TestCancelLatencyOnStalledServer measures how long Cancel takes to end a
// send while the server stalls before answering the end of DATA.
func TestCancelLatencyOnStalledServer(t *testing.T) {
	p := startPeers(t)
	release := make(chan struct{})
	defer close(release)
	stalled := make(chan struct{}, 1)
	p.SMTP.SetReplyFault(func(stage string) error {
		if stage == "data" {
			stalled <- struct{}{}
			<-release
		}
		return nil
	})
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		_, err := sendSMTP(p.sender, ctx, mustEndpoint(t, p.SMTP.StartTLSURL()), Credential{Username: ann, Password: annPass},
			Message{From: ann, To: []string{"bob@example.com"}, Subject: "stall"})
		errc <- err
	}()
	<-stalled
	start := time.Now()
	cancel()
	select {
	case err := <-errc:
		took := time.Since(start)
		t.Logf("Cancel ended the stalled send in %v", took)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelled send returned %v", err)
		}
		if took > time.Second {
			t.Fatalf("Cancel took %v, want well under 1 s (target 200 ms)", took)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("Send did not return within 3 s of Cancel")
	}
}
