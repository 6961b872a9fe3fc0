package watch_test

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/mailkey-app/mailkey/app/watch"
)

// A notification's action opens the desktop app found as 'mailkey app'
// finds it (here on PATH), on the finding's screen.
func TestOpenAppStartsTheDesktopApp(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the stand-in app is a shell script")
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "shown")
	script := "#!/bin/sh\nprintf '%s' \"$" + watch.ShowEnv + "\" > " + out + ".tmp && mv " + out + ".tmp " + out + "\n"
	if err := os.WriteFile(filepath.Join(dir, watch.AppName), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	if err := watch.OpenApp(watch.Finding{Screen: "sign-in", Address: "ann@gmail.com"}); err != nil {
		t.Fatal(err)
	}
	for range 100 {
		if b, err := os.ReadFile(out); err == nil {
			if got := strings.TrimSpace(string(b)); got != "sign-in:ann@gmail.com" {
				t.Fatalf("the app was asked for %q", got)
			}
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("the desktop app on PATH was not started")
}

// Without the desktop app, OpenApp says so.
func TestOpenAppWithoutTheApp(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	err := watch.OpenApp(watch.Finding{Screen: "sign-in", Address: "ann@gmail.com"})
	if err == nil || !strings.Contains(err.Error(), "not installed") {
		t.Fatalf("got %v", err)
	}
}
