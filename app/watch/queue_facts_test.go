package watch_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/mail"
	"github.com/mailkey-app/mailkey/app/queue"
)

// A queued message that failed because mailkey no longer has its account
// is notified with the accounts store's own words, said again from the
// queue's facts, not with general words.
func TestQueueFailedNotifiedInItsOwnWords(t *testing.T) {
	r := newRig(t, account.Production)
	q := queue.Open(filepath.Join(t.TempDir(), "queue"), mail.MaxRawBytes)
	q.Now = r.clk.Now
	r.w.Queue = q
	_, gone := account.NewStore(t.TempDir()).Get(ann)
	it, err := q.AddFailed(queue.Item{Account: ann, From: ann, To: []string{"bob@example.com"}}, strings.NewReader("Subject: x\r\n\r\nhi\r\n"), gone)
	if err != nil || it.State != queue.StateFailed {
		t.Fatalf("%+v, %v", it, err)
	}
	r.check()
	r.wantNotified(1, "to bob@example.com could not be sent: mailkey has no account "+ann)
}
