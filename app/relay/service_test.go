package relay

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeSystemctl records the commands the service would run; the real
// systemd user manager cannot run in a test.
type fakeSystemctl struct {
	calls []string
	fail  string // a command line that fails
}

func (f *fakeSystemctl) run(_ context.Context, name string, args ...string) error {
	line := name + " " + strings.Join(args, " ")
	f.calls = append(f.calls, line)
	if line == f.fail {
		return errors.New("Failed to connect to bus: No medium found")
	}
	return nil
}

// withPath makes exec.LookPath find systemctl (a dummy file) or not.
func withPath(t *testing.T, systemctl bool) {
	dir := t.TempDir()
	if systemctl {
		if err := os.WriteFile(filepath.Join(dir, "systemctl"), []byte("#!/bin/sh\nexit 1\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("PATH", dir)
}

func TestServiceSystemd(t *testing.T) {
	withPath(t, true)
	f := &fakeSystemctl{}
	s := &Service{ConfigHome: t.TempDir(), Exe: "/usr/bin/mailkey", Run: f.run}
	kind, err := s.Enable(context.Background(), "0.0.0.0:2525")
	if err != nil || kind != "systemd" || s.Enabled() != "systemd" {
		t.Fatalf("Enable: %s %v", kind, err)
	}
	unit, _ := os.ReadFile(s.UnitPath())
	if !strings.Contains(string(unit), "ExecStart=\"/usr/bin/mailkey\" relay --listen 0.0.0.0:2525\n") ||
		!strings.Contains(string(unit), "WantedBy=default.target") {
		t.Fatalf("unit:\n%s", unit)
	}
	if strings.Join(f.calls, "; ") != "systemctl --user daemon-reload; systemctl --user enable --now "+Unit {
		t.Fatalf("calls %v", f.calls)
	}
	f.calls = nil
	if err := s.Disable(context.Background()); err != nil || s.Enabled() != "" {
		t.Fatalf("Disable: %v", err)
	}
	if strings.Join(f.calls, "; ") != "systemctl --user disable --now "+Unit+"; systemctl --user daemon-reload" {
		t.Fatalf("calls %v", f.calls)
	}
}

// Without a systemd user manager (systemctl fails, or is absent), the relay
// starts from the desktop's autostart.
func TestServiceAutostart(t *testing.T) {
	for _, tt := range []struct {
		name      string
		systemctl bool
	}{{"systemctl without a user manager", true}, {"no systemctl", false}} {
		t.Run(tt.name, func(t *testing.T) {
			withPath(t, tt.systemctl)
			f := &fakeSystemctl{fail: "systemctl --user daemon-reload"}
			s := &Service{ConfigHome: t.TempDir(), Exe: "/opt/mailkey", Run: f.run}
			kind, err := s.Enable(context.Background(), DefaultListen)
			if err != nil || kind != "autostart" || s.Enabled() != "autostart" {
				t.Fatalf("Enable: %s %v", kind, err)
			}
			if _, err := os.Stat(s.UnitPath()); !errors.Is(err, os.ErrNotExist) {
				t.Error("a unit was left behind")
			}
			entry, _ := os.ReadFile(s.AutostartPath())
			if !strings.Contains(string(entry), "Exec=\"/opt/mailkey\" relay --listen 127.0.0.1:2525\n") {
				t.Fatalf("entry:\n%s", entry)
			}
			if err := s.Disable(context.Background()); err != nil || s.Enabled() != "" {
				t.Fatalf("Disable: %v", err)
			}
		})
	}
}

func TestServiceEnableFails(t *testing.T) {
	withPath(t, true)
	f := &fakeSystemctl{fail: "systemctl --user enable --now " + Unit}
	s := &Service{ConfigHome: t.TempDir(), Exe: "/usr/bin/mailkey", Run: f.run}
	if _, err := s.Enable(context.Background(), DefaultListen); !errors.Is(err, ErrService) || !strings.Contains(err.Error(), "No medium found") {
		t.Fatalf("Enable: %v", err)
	}
}
