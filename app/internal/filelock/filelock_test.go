package filelock

import (
	"path/filepath"
	"testing"
	"time"
)

func TestLockExcludesAndReleases(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.lock")
	unlock, err := Lock(path, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := Lock(path, 150*time.Millisecond); err == nil {
		t.Fatal("a second Lock succeeded while the first was held")
	}
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Errorf("the second Lock gave up after %v, before its wait", d)
	}
	unlock()
	unlock2, err := Lock(path, time.Second)
	if err != nil {
		t.Fatalf("Lock after unlock: %v", err)
	}
	unlock2()
}
