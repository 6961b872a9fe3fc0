package mail

import (
	"context"
	"strings"
	"testing"
)

// The senders take only a Checked (or CheckedRaw), which only Check makes.
// These helpers do what the engine does for one send: Check once, then hand
// the checked message to the sender, which checks nothing of it again.

func sendSMTP(s *Sender, ctx context.Context, ep Endpoint, cred Credential, m Message) (Result, error) {
	c, err := m.Check()
	if err != nil {
		return Result{}, err
	}
	return s.Send(ctx, ep, cred, c)
}

func sendAPI(s *Sender, ctx context.Context, api API, cred Credential, m Message) (Result, error) {
	c, err := m.Check()
	if err != nil {
		return Result{}, err
	}
	return s.SendAPI(ctx, api, cred, c)
}

func sendRaw(s *Sender, ctx context.Context, ep Endpoint, cred Credential, r Raw) (Result, error) {
	c, err := r.Check()
	if err != nil {
		return Result{}, err
	}
	return s.SendRaw(ctx, ep, cred, c)
}

// TestCheckedIsTheMessageAsChecked: a change to the message's lists after
// Check does not reach what the senders write or the envelope.
func TestCheckedIsTheMessageAsChecked(t *testing.T) {
	m := Message{From: ann, To: []string{"bob@example.com"}, Cc: []string{"carol@example.com"}, Subject: "s"}
	c, err := m.Check()
	if err != nil {
		t.Fatal(err)
	}
	m.To[0], m.Cc[0] = "bob@example.com\r\nBcc: eve@example.com", "not an address"
	if c.msg.To[0] != "bob@example.com" || c.msg.Cc[0] != "carol@example.com" || strings.Join(c.rcpts, " ") != "bob@example.com carol@example.com" {
		t.Fatalf("the checked message changed with it: %+v %q", c.msg, c.rcpts)
	}
	r := Raw{From: ann, To: []string{"bob@example.com"}, Data: []byte("Subject: s\r\n\r\nx\r\n")}
	cr, err := r.Check()
	if err != nil {
		t.Fatal(err)
	}
	r.To[0] = "bob@example.com>\r\nRCPT TO:<eve@example.com"
	if cr.raw.To[0] != "bob@example.com" {
		t.Fatalf("the checked envelope changed with it: %q", cr.raw.To)
	}
}
