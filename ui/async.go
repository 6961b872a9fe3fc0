package ui

import (
	"context"
	"sync"

	"fyne.io/fyne/v2"
)

// tasks runs work off the UI goroutine. It is the only place that hands
// results back to widgets, always through fyne.Do. Tests call wait to know
// that every task and its UI update has finished.
type tasks struct {
	wg sync.WaitGroup
}

// run calls work in a new goroutine, then done with its result on the UI goroutine.
func run[T any](t *tasks, work func() (T, error), done func(T, error)) {
	t.wg.Add(1)
	go func() {
		defer t.wg.Done()
		v, err := work()
		fyne.DoAndWait(func() { done(v, err) })
	}()
}

// wait blocks until every task started so far has finished.
func (t *tasks) wait() { t.wg.Wait() }

// cancellable is one long-running operation with a Cancel button's worth of state.
type cancellable struct {
	mu     sync.Mutex
	cancel context.CancelFunc
}

// start returns a context for a new operation, cancelling any previous one.
func (c *cancellable) start() context.Context {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cancel != nil {
		c.cancel()
	}
	ctx, cancel := context.WithCancel(context.Background())
	c.cancel = cancel
	return ctx
}

// stop cancels the running operation, if any.
func (c *cancellable) stop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cancel != nil {
		c.cancel()
		c.cancel = nil
	}
}
