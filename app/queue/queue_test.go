package queue

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/mailkey-app/mailkey/app/mail"
	"github.com/mailkey-app/mailkey/app/oauth"
)

// fakeSender answers each send with the next error of its script; it is a
// unit-test fake for the delivery logic (the real engine is tested end to
// end in app/cli).
type fakeSender struct {
	mu       sync.Mutex
	errs     map[string]error // by first recipient
	sent     []mail.Raw
	signedIn time.Time
	needs    bool
}

func (f *fakeSender) SendRaw(_ context.Context, _ string, r mail.Raw) (mail.Result, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.errs[r.To[0]]; err != nil {
		return mail.Result{}, err
	}
	f.sent = append(f.sent, r)
	return mail.Result{MessageID: r.MessageID}, nil
}

func (f *fakeSender) Account(addr string) (engine.Info, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return engine.Info{Account: account.Account{Address: addr, SignedInAt: f.signedIn, NeedsSignIn: f.needs}}, nil
}

type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func newQueue(t *testing.T) (*Queue, *clock) {
	t.Helper()
	c := &clock{now: time.Now()}
	q := Open(filepath.Join(t.TempDir(), "state", "mailkey", "queue"), 1<<20)
	q.Now = c.Now
	return q, c
}

func add(t *testing.T, q *Queue, to, body string) Item {
	t.Helper()
	it, err := q.Add(Item{Account: "ann@gmail.com", From: "ann@gmail.com", To: []string{to}, MessageID: "<" + to + ">"},
		strings.NewReader("To: "+to+"\r\n\r\n"+body))
	if err != nil {
		t.Fatal(err)
	}
	return it
}

func TestAddListModes(t *testing.T) {
	q, _ := newQueue(t)
	it := add(t, q, "bob@example.com", "hello")
	if !validID(it.ID) || it.State != StateQueued || it.Size != int64(len("To: bob@example.com\r\n\r\nhello")) {
		t.Fatalf("item %+v", it)
	}
	for p, want := range map[string]os.FileMode{q.Dir(): 0o700, q.path(it.ID, ".eml"): 0o600, q.path(it.ID, ".json"): 0o600} {
		fi, err := os.Stat(p)
		if err != nil || fi.Mode().Perm() != want {
			t.Errorf("%s: mode %v, %v; want %v", p, fi.Mode().Perm(), err, want)
		}
	}
	items, damaged, err := q.List()
	if err != nil || len(items) != 1 || len(damaged) != 0 || items[0].ID != it.ID {
		t.Fatalf("List: %+v %+v %v", items, damaged, err)
	}
	data, err := q.Data(items[0])
	if err != nil || !strings.HasSuffix(string(data), "hello") {
		t.Fatalf("Data: %q %v", data, err)
	}
	if _, err := q.Add(Item{Account: "a", To: []string{"b"}}, strings.NewReader(strings.Repeat("x", 1<<20+1))); !errors.Is(err, ErrTooBig) {
		t.Fatalf("over the limit: %v", err)
	}
	if entries, _ := os.ReadDir(q.Dir()); len(entries) != 2 {
		t.Fatalf("files left by a refused message: %v", entries)
	}
	for _, bad := range []string{"../x", "", "20261130T200000-zzzzzzzz"} {
		if err := q.Remove(bad); !errors.Is(err, ErrNotFound) {
			t.Errorf("Remove(%q): %v", bad, err)
		}
	}
}

func TestDeliverOutcomes(t *testing.T) {
	q, c := newQueue(t)
	s := &fakeSender{errs: map[string]error{
		"down@example.com":   advice.Keyed(mail.ErrConnect, "k", nil, "cannot connect", "try later"),
		"signin@example.com": advice.Keyed(oauth.ErrNeedsSignIn, "k", nil, "Google refused the refresh token", "Sign in again"),
		// The server's reply, explained by app/mail: the queue keeps its facts.
		"nobody@example.com": mail.Explain(mail.Reply{Code: 550, Enhanced: "5.1.1", Text: "no such user"}, false),
	}}
	ok := add(t, q, "ok@example.com", "1")
	add(t, q, "down@example.com", "2")
	add(t, q, "signin@example.com", "3")
	add(t, q, "nobody@example.com", "4")

	sum, err := q.Deliver(context.Background(), s, false)
	if err != nil || sum.Sent != 1 || sum.Queued != 1 || sum.Held != 1 || sum.Failed != 1 {
		t.Fatalf("first pass: %+v %v", sum, err)
	}
	if len(s.sent) != 1 || s.sent[0].MessageID != ok.MessageID {
		t.Fatalf("sent %+v", s.sent)
	}
	items, _, _ := q.List()
	byTo := map[string]Item{}
	for _, it := range items {
		byTo[it.To[0]] = it
	}
	if it := byTo["down@example.com"]; it.State != StateQueued || it.Attempts != 1 || !it.NextTry.Equal(c.Now().UTC().Add(30*time.Second)) {
		t.Errorf("temporary failure: %+v", it)
	}
	if it := byTo["signin@example.com"]; it.State != StateHeld || it.HeldAt.IsZero() || it.LastError.Text().Next != "Sign in again" {
		t.Errorf("sign-in needed: %+v", it)
	}
	if it := byTo["nobody@example.com"]; it.State != StateFailed || it.LastError.Text().Key != "mail.rejected" ||
		it.LastError.Text().Data["Reply"] != "550 5.1.1 no such user" {
		t.Errorf("permanent failure: %+v %+v", it, it.LastError)
	}

	// Nothing is due yet: no send is tried.
	sum, _ = q.Deliver(context.Background(), s, false)
	if sum.Sent != 0 || sum.Queued != 1 || sum.Held != 1 || sum.Failed != 1 || sum.Next.IsZero() {
		t.Fatalf("second pass: %+v", sum)
	}

	// The network is back and the account signed in again: both go out; the
	// failed one stays until retried.
	delete(s.errs, "down@example.com")
	delete(s.errs, "signin@example.com")
	s.signedIn = c.Now().Add(time.Second)
	c.advance(time.Second)
	sum, _ = q.Deliver(context.Background(), s, false)
	if sum.Sent != 1 || sum.Held != 0 || sum.Queued != 1 {
		t.Fatalf("after the sign-in: %+v", sum)
	}
	c.advance(31 * time.Second)
	sum, _ = q.Deliver(context.Background(), s, false)
	if sum.Sent != 1 || sum.Failed != 1 || len(s.sent) != 3 {
		t.Fatalf("after the backoff: %+v, sent %d", sum, len(s.sent))
	}
	failed := byTo["nobody@example.com"]
	delete(s.errs, "nobody@example.com")
	if err := q.Retry(failed.ID); err != nil {
		t.Fatal(err)
	}
	if sum, _ = q.Deliver(context.Background(), s, false); sum.Sent != 1 || len(s.sent) != 4 {
		t.Fatalf("after retry: %+v", sum)
	}
	if items, _, _ := q.List(); len(items) != 0 {
		t.Fatalf("left: %+v", items)
	}
}

func TestBackoff(t *testing.T) {
	want := []time.Duration{30 * time.Second, time.Minute, 2 * time.Minute, 4 * time.Minute}
	for i, w := range want {
		if got := backoff(i + 1); got != w {
			t.Errorf("backoff(%d) = %v, want %v", i+1, got, w)
		}
	}
	if backoff(40) != time.Hour {
		t.Errorf("backoff(40) = %v", backoff(40))
	}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{mail.ErrConnect, StateQueued},
		{mail.ErrTemporary, StateQueued},
		{mail.ErrMaybeSent, StateQueued},
		{errors.New("something unknown"), StateQueued},
		{mail.ErrTokenRejected, StateHeld},
		{mail.ErrAuthRejected, StateHeld},
		{oauth.ErrNeedsSignIn, StateHeld},
		{mail.ErrRejected, StateFailed},
		{mail.ErrTooBig, StateFailed},
		{account.ErrNotFound, StateFailed},
	}
	for _, tt := range tests {
		if got := Classify(tt.err); got != tt.want {
			t.Errorf("Classify(%v) = %s, want %s", tt.err, got, tt.want)
		}
	}
}

func TestDamagedSetAside(t *testing.T) {
	q, _ := newQueue(t)
	good := add(t, q, "ok@example.com", "1")
	bad := add(t, q, "bad@example.com", "2")
	cut := add(t, q, "cut@example.com", "3")
	if err := os.WriteFile(q.path(bad.ID, ".json"), []byte(`{"id": "`), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(q.path(cut.ID, ".eml"), []byte("To: cut"), 0o600); err != nil { // truncated
		t.Fatal(err)
	}
	s := &fakeSender{}
	sum, err := q.Deliver(context.Background(), s, false)
	if err != nil || sum.Sent != 1 || len(sum.Damaged) != 2 || s.sent[0].MessageID != good.MessageID {
		t.Fatalf("pass: %+v %v", sum, err)
	}
	for _, d := range sum.Damaged {
		if !errors.Is(d.Err, ErrDamaged) || !strings.HasPrefix(d.Name, damagedDir+string(filepath.Separator)) {
			t.Errorf("damaged %+v", d)
		}
		if _, err := os.Stat(filepath.Join(q.Dir(), d.Name)); err != nil {
			t.Errorf("the damaged file is not kept: %v", err)
		}
		if !strings.Contains(d.Explain(q.Dir()).Error(), "set aside") {
			t.Errorf("explanation: %v", d.Explain(q.Dir()))
		}
	}
	if items, damaged, _ := q.List(); len(items) != 0 || len(damaged) != 0 {
		t.Fatalf("after: %+v %+v", items, damaged)
	}
}

// A record that is a link to /dev/zero or a named pipe is set aside, not
// read without end or waited on; the other messages are still sent.
func TestRecordThatIsNoFileSetAside(t *testing.T) {
	q, _ := newQueue(t)
	good := add(t, q, "ok@example.com", "1")
	zero := add(t, q, "zero@example.com", "2")
	pipe := add(t, q, "pipe@example.com", "3")
	if err := os.Remove(q.path(zero.ID, ".json")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/dev/zero", q.path(zero.ID, ".json")); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(q.path(pipe.ID, ".json")); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(q.path(pipe.ID, ".json"), 0o600); err != nil {
		t.Fatal(err)
	}
	s := &fakeSender{}
	sum, err := q.Deliver(context.Background(), s, false)
	if err != nil || sum.Sent != 1 || len(sum.Damaged) != 2 || s.sent[0].MessageID != good.MessageID {
		t.Fatalf("pass: %+v %v", sum, err)
	}
	for _, d := range sum.Damaged {
		if !errors.Is(d.Err, ErrDamaged) {
			t.Errorf("damaged %+v", d)
		}
	}
}

// A full disk refuses the new message and keeps what is queued.
func TestFullDisk(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full")
	}
	q, _ := newQueue(t)
	kept := add(t, q, "kept@example.com", "1")
	// A link to /dev/full, whose writes fail with ENOSPC; removing the
	// temporary file removes the link only.
	link := filepath.Join(t.TempDir(), ".incoming-full")
	if err := os.Symlink("/dev/full", link); err != nil {
		t.Fatal(err)
	}
	q.createTemp = func(string, string) (*os.File, error) { return os.OpenFile(link, os.O_WRONLY, 0) }
	_, err := q.Add(Item{Account: "a@b.org", From: "a@b.org", To: []string{"c@d.org"}}, strings.NewReader("To: c@d.org\n\nx"))
	if !errors.Is(err, ErrNoSpace) || !strings.Contains(advice.What(err), "full") {
		t.Fatalf("Add on a full disk: %v", err)
	}
	items, _, _ := q.List()
	if len(items) != 1 || items[0].ID != kept.ID {
		t.Fatalf("queue after a full disk: %+v", items)
	}
}

// Leftovers of a crash while queueing (never acknowledged) are removed once
// old; a young one may still be in the making and stays.
func TestCrashLeftovers(t *testing.T) {
	q, c := newQueue(t)
	it := add(t, q, "x@example.com", "1")
	if err := os.Remove(q.path(it.ID, ".json")); err != nil { // the crash came before the envelope
		t.Fatal(err)
	}
	tmp := filepath.Join(q.Dir(), ".incoming-123")
	_ = os.WriteFile(tmp, []byte("part"), 0o600)
	if items, _, _ := q.List(); len(items) != 0 {
		t.Fatalf("an unacknowledged message is listed: %+v", items)
	}
	if _, err := os.Stat(q.path(it.ID, ".eml")); err != nil {
		t.Fatal("a young message file was removed")
	}
	c.advance(orphanAge + time.Minute)
	_, _, _ = q.List()
	for _, p := range []string{q.path(it.ID, ".eml"), tmp} {
		if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s not removed: %v", p, err)
		}
	}
}

// Two deliverers never send the same message twice at once.
func TestDeliverLock(t *testing.T) {
	q, _ := newQueue(t)
	for i := range 5 {
		add(t, q, "r"+string(rune('a'+i))+"@example.com", "x")
	}
	s := &fakeSender{}
	var wg sync.WaitGroup
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			other := Open(q.Dir(), 1<<20)
			if _, err := other.Deliver(context.Background(), s, true); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if len(s.sent) != 5 {
		t.Fatalf("%d sends for 5 messages", len(s.sent))
	}
}

// Run sends at once, then on a kick, and notices a sign-in by polling.
func TestRun(t *testing.T) {
	q, _ := newQueue(t)
	s := &fakeSender{errs: map[string]error{"held@example.com": oauth.ErrNeedsSignIn}}
	add(t, q, "first@example.com", "1")
	add(t, q, "held@example.com", "2")
	kick := make(chan struct{}, 1)
	ctx, cancel := context.WithCancel(context.Background())
	passes := make(chan Summary, 100)
	done := make(chan struct{})
	go func() {
		defer close(done)
		q.Run(ctx, s, kick, 50*time.Millisecond, func(sum Summary, _ error) { passes <- sum })
	}()
	wait := func(what string, ok func(Summary) bool) {
		t.Helper()
		deadline := time.After(5 * time.Second)
		for {
			select {
			case sum := <-passes:
				if ok(sum) {
					return
				}
			case <-deadline:
				t.Fatalf("no pass where %s", what)
			}
		}
	}
	wait("the first message went out", func(sum Summary) bool { return sum.Sent == 1 && sum.Held == 1 })
	add(t, q, "second@example.com", "3")
	kick <- struct{}{}
	wait("the kicked message went out", func(sum Summary) bool { return sum.Sent == 1 })
	s.mu.Lock()
	delete(s.errs, "held@example.com")
	s.signedIn = time.Now().Add(time.Second)
	s.mu.Unlock()
	wait("the held message went out after the sign-in", func(sum Summary) bool { return sum.Sent == 1 && sum.Held == 0 })
	cancel()
	<-done
	if len(s.sent) != 3 {
		t.Fatalf("%d sent", len(s.sent))
	}
}

// A message dropped while it was being sent does not stop the pass.
func TestDroppedWhileSending(t *testing.T) {
	q, _ := newQueue(t)
	first := add(t, q, "a@example.com", "1")
	add(t, q, "b@example.com", "2")
	s := &dropper{fakeSender: &fakeSender{}, q: q, id: first.ID}
	sum, err := q.Deliver(context.Background(), s, true)
	// The dropped one is sent when its turn came first, skipped otherwise;
	// never failed, and the pass goes on.
	if err != nil || sum.Failed != 0 || (sum.Sent != 1 && sum.Sent != 2) {
		t.Fatalf("%+v %v", sum, err)
	}
	if items, damaged, _ := q.List(); len(items) != 0 || len(damaged) != 0 {
		t.Fatalf("left %+v %+v", items, damaged)
	}
}

// dropper drops a message from the queue while it sends it.
type dropper struct {
	*fakeSender
	q  *Queue
	id string
}

func (d *dropper) SendRaw(ctx context.Context, addr string, r mail.Raw) (mail.Result, error) {
	_ = d.q.Remove(d.id)
	return d.fakeSender.SendRaw(ctx, addr, r)
}
