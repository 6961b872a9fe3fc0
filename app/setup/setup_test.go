package setup

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/gofrs/flock"

	"github.com/mailkey-app/mailkey/app/advice"
)

func TestProgressRoundTrip(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cfg")
	s := NewStore(dir)
	if p := s.Load(); p.ProjectID != "" || len(p.Done) != 0 || p.Done == nil {
		t.Fatalf("fresh progress = %+v", p)
	}
	want := Progress{ProjectID: "my-mail-4711", Done: map[string]bool{"project": true, "gmail-api": true}, Step: "branding"}
	if err := s.Save(want); err != nil {
		t.Fatal(err)
	}
	got := NewStore(dir).Load()
	if got.ProjectID != want.ProjectID || got.Step != want.Step || !got.Done["gmail-api"] || len(got.Done) != 2 {
		t.Fatalf("reloaded %+v", got)
	}
	fi, err := os.Stat(filepath.Join(dir, fileName))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("file mode %v, %v", fi.Mode(), err)
	}
}

func TestDamagedProgressStartsOver(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, fileName), []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if p := NewStore(dir).Load(); p.ProjectID != "" || p.Done == nil {
		t.Fatalf("damaged file gave %+v", p)
	}
}

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
			errs <- NewStore(dir).Update(func(p *Progress) { p.Verify(id, true, "") })
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
	s.lockWait = 200 * time.Millisecond
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
