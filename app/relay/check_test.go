package relay_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/mailkey-app/mailkey/app/engine/enginetest"
	"github.com/mailkey-app/mailkey/app/mail"
	"github.com/mailkey-app/mailkey/app/queue"
)

// A queued message that delivery cannot take (101 recipients: a queue
// file written by hand, or by a mailkey without the limit) is checked once
// per try, by the engine's SendRaw (mail.Raw.Check), before the keyring and
// any connection: it fails for good at the first try, and Gmail saw
// nothing. The keyring is emptied: had the check come after it, the missing
// app password would have held the message instead.
func TestQueueChecksEachTryOnceBeforeConnecting(t *testing.T) {
	re := startRelay(t, nil)
	ctx := context.Background()
	conns := re.env.Gmail.SMTP.Connections() // the login's
	if err := re.env.Secrets.DeleteAll(ctx, enginetest.User); err != nil {
		t.Fatal(err)
	}
	to := make([]string, mail.MaxRecipients+1)
	for i := range to {
		to[i] = fmt.Sprintf("r%d@example.com", i)
	}
	it, err := re.queue.Add(queue.Item{Account: enginetest.User, From: enginetest.User, To: to, MessageID: "<many@test>"},
		strings.NewReader("From: "+enginetest.User+"\r\nSubject: many\r\nMessage-ID: <many@test>\r\n\r\nbody\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	sum, err := re.queue.Deliver(ctx, re.env.Engine, true)
	if err != nil || sum.Failed != 1 || sum.Sent+sum.Queued+sum.Held != 0 {
		t.Fatalf("delivery: %+v %v", sum, err)
	}
	got, err := re.queue.Get(it.ID)
	if err != nil || got.State != queue.StateFailed || got.Attempts != 1 || got.LastError == nil {
		t.Fatalf("the message after its try: %+v %v", got, err)
	}
	if n := re.env.Gmail.SMTP.Connections(); n != conns {
		t.Fatalf("Gmail was contacted %d times for a message the check refuses", n-conns)
	}
	// The reason is the check's.
	if _, err := re.env.Engine.SendRaw(ctx, enginetest.User, mail.Raw{From: it.From, To: it.To, Data: []byte("x")}); !errors.Is(err, mail.ErrTooManyRecipients) {
		t.Fatalf("SendRaw: %v", err)
	}
}
