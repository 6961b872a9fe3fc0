package setup

import (
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/gofrs/flock"

	"github.com/mailkey-app/mailkey/app/advice"
)

// TestConcurrentUpdatesLoseNothing runs many read-change-write updates at
// once, each from its own Store as separate windows or processes would: every
// step ticked must survive.
func TestConcurrentUpdatesLoseNothing(t *testing.T) {
	dir := t.TempDir()
	const n = 24
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := fmt.Sprintf("step-%d", i)
			errs <- NewStore(dir).Update(func(p *Progress) { p.Verify(id, true, Flag{}) })
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	p := NewStore(dir).Load()
	for i := range n {
		if id := fmt.Sprintf("step-%d", i); !p.Done[id] {
			t.Errorf("%s was lost; progress holds %d of %d steps", id, len(p.Done), n)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(dir, fileName+".tmp-*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// TestUpdateKeepsWhatItDoesNotChange changes one field and keeps the rest.
func TestUpdateKeepsWhatItDoesNotChange(t *testing.T) {
	dir := t.TempDir()
	s := NewStore(dir)
	if err := s.Save(Progress{ProjectID: "my-mail-4711", Done: map[string]bool{"project": true}, Step: "branding"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Update(func(p *Progress) { p.Step = "client" }); err != nil {
		t.Fatal(err)
	}
	if p := s.Load(); p.Step != "client" || p.ProjectID != "my-mail-4711" || !p.Done["project"] {
		t.Fatalf("after Update: %+v", p)
	}
}

// TestUpdateWaitsForTheLock holds the lock as another mailkey would, and
// checks that Update waits for it and then gives up with advice.
func TestUpdateWaitsForTheLock(t *testing.T) {
	dir := t.TempDir()
	l := flock.New(filepath.Join(dir, fileName+".lock"))
	if err := l.Lock(); err != nil {
		t.Fatal(err)
	}
	defer l.Unlock()
	s := NewStore(dir)
	defer func(w time.Duration) { lockWait = w }(lockWait)
	lockWait = 200 * time.Millisecond
	start := time.Now()
	err := s.Update(func(p *Progress) { p.Step = "client" })
	var ae *advice.Error
	if !errors.As(err, &ae) || ae.Key != "setup.locked" {
		t.Fatalf("Update under another's lock = %v, want the setup.locked advice", err)
	}
	if d := time.Since(start); d < 200*time.Millisecond {
		t.Errorf("gave up after %v, before the lock wait", d)
	}
	if p := s.Load(); p.Step != "" {
		t.Errorf("saved %+v despite the lock", p)
	}
}
