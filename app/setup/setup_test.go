package setup

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
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

// TestLoadRefusesWhatIsNotAFile: a named pipe, a device or a folder in place
// of setup.json gives empty progress at once; it used to hang on the pipe
// and run out of memory on /dev/zero.
func TestLoadRefusesWhatIsNotAFile(t *testing.T) {
	for name, create := range map[string]func(path string) error{
		"named pipe": func(p string) error { return syscall.Mkfifo(p, 0o600) },
		"dev-zero":   func(p string) error { return os.Symlink("/dev/zero", p) },
		"folder":     func(p string) error { return os.Mkdir(p, 0o700) },
		"too large": func(p string) error {
			return os.WriteFile(p, []byte(`{"project_id":"`+strings.Repeat("x", 2<<20)+`"}`), 0o600)
		},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			if err := create(filepath.Join(dir, fileName)); err != nil {
				t.Skip(err)
			}
			done := make(chan Progress, 1)
			go func() { done <- NewStore(dir).Load() }()
			select {
			case p := <-done:
				if p.ProjectID != "" || p.Done == nil {
					t.Fatalf("Load gave a project ID of %d bytes, done %v", len(p.ProjectID), p.Done)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("Load did not return within 5 seconds")
			}
		})
	}
}
