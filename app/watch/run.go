package watch

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/mailkey-app/mailkey/app/notify"
)

// Run checks every `every` (DefaultEvery when zero) until ctx ends, handing
// each check's findings to report.
func (w *Watcher) Run(ctx context.Context, every time.Duration, report func([]Finding, error)) error {
	if every <= 0 {
		every = DefaultEvery
	}
	for {
		found, err := w.Check(ctx)
		report(found, err)
		t := time.NewTimer(every)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// ShowEnv is the environment variable that tells the app which screen to
// open: "sign-in:ADDR" or "account:ADDR".
const ShowEnv = "MAILKEY_SHOW"

// OpenApp starts the mailkey app on f's screen, without waiting for it:
// mailkey-app next to this program when it exists, else this program
// without arguments (which opens the app).
func OpenApp(f Finding) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	prog := self
	if app := filepath.Join(filepath.Dir(self), "mailkey-app"); app != self {
		if fi, err := os.Stat(app); err == nil && !fi.IsDir() {
			prog = app
		}
	}
	cmd := exec.Command(prog)
	cmd.Env = append(os.Environ(), ShowEnv+"="+f.Screen+":"+f.Address)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting %s: %w", prog, err)
	}
	return cmd.Process.Release()
}

// HandleActions opens the app on the right screen for every action the user
// chooses on a notification this watcher posted, until ch closes or ctx ends.
func (w *Watcher) HandleActions(ctx context.Context, ch <-chan notify.Invoked, open func(Finding) error) {
	for {
		select {
		case <-ctx.Done():
			return
		case inv, ok := <-ch:
			if !ok {
				return
			}
			if f, ok := w.Posted(inv.ID); ok {
				if err := open(f); err != nil && w.Warn != nil {
					fmt.Fprintf(w.Warn, "Could not open mailkey: %v\n", err)
				}
			}
		}
	}
}
