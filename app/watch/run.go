package watch

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
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

// AppName is the desktop app's binary, installed next to mailkey.
var AppName = func() string {
	if runtime.GOOS == "windows" {
		return "mailkey-app.exe"
	}
	return "mailkey-app"
}()

// FindApp returns the desktop app's binary: next to the running program
// first (so that a bin/ or an unpacked bundle uses its own pair; through a
// symlink, next to the real file), then on PATH. 'mailkey app' and OpenApp
// both use it.
func FindApp() (string, error) {
	if self, err := os.Executable(); err == nil {
		if real, err := filepath.EvalSymlinks(self); err == nil {
			self = real
		}
		p := filepath.Join(filepath.Dir(self), AppName)
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p, nil
		}
	}
	return exec.LookPath(AppName)
}

// OpenApp starts the mailkey app (FindApp) on f's screen, without waiting
// for it.
func OpenApp(f Finding) error {
	prog, err := FindApp()
	if err != nil {
		return fmt.Errorf("the desktop app (%s) is not installed next to mailkey or on your PATH: %w", AppName, err)
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
