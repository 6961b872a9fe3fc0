package engine

import "time"

// SetLockWait shortens how long e waits for the token refresh lock, for
// the tests that hold it.
func SetLockWait(e *Engine, d time.Duration) { e.lockWait = d }
