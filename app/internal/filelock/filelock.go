// Package filelock takes the exclusive advisory locks (flock) that keep two
// mailkeys, or two windows of one, from changing the same file at once.
package filelock

import (
	"context"
	"fmt"
	"time"

	"github.com/gofrs/flock"
)

// Lock takes the exclusive lock on the file at path (created if missing),
// trying every 20 ms for at most wait. It returns the function that releases
// the lock, or an error when another holder kept it for all of wait.
func Lock(path string, wait time.Duration) (unlock func(), err error) {
	l := flock.New(path)
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	ok, err := l.TryLockContext(ctx, 20*time.Millisecond)
	if err != nil || !ok {
		return nil, fmt.Errorf("lock %s: %v", path, err)
	}
	return func() { _ = l.Unlock() }, nil
}
