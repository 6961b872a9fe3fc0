package setup

import (
	"os"
	"path/filepath"
	"testing"
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
	fi, err := os.Stat(filepath.Join(dir, FileName))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("file mode %v, %v", fi.Mode(), err)
	}
}

func TestDamagedProgressStartsOver(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, FileName), []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if p := NewStore(dir).Load(); p.ProjectID != "" || p.Done == nil {
		t.Fatalf("damaged file gave %+v", p)
	}
}
