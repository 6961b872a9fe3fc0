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

// TestFlagsKeepFindingsNotSentences: a flag is saved as what the health
// check found (a code and the project), never as a sentence.
func TestFlagsKeepFindingsNotSentences(t *testing.T) {
	dir := t.TempDir()
	s := NewStore(dir)
	if err := s.Update(func(p *Progress) {
		p.Verify("gmail-api", false, Flag{Finding: FindingAPIOff, Project: "my-mail-4711"})
		p.Verify("scopes", false, Flag{})
	}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, fileName))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"finding": "gmail_api_off"`) || !strings.Contains(string(data), `"project": "my-mail-4711"`) {
		t.Fatalf("saved file:\n%s", data)
	}
	p := s.Load()
	if got := p.Flagged["gmail-api"]; got != (Flag{Finding: FindingAPIOff, Project: "my-mail-4711"}) {
		t.Errorf("reloaded gmail-api flag %+v", got)
	}
	if got := p.Flagged["scopes"]; got.Finding != FindingUnknown {
		t.Errorf("a flag that names nothing reloaded as %+v, want the unknown finding", got)
	}
	p.Verify("gmail-api", true, Flag{})
	if _, ok := p.Flagged["gmail-api"]; ok || !p.Done["gmail-api"] {
		t.Errorf("done did not clear the flag: %+v", p)
	}
}

// TestOldSentenceFlagsStillLoad: a setup.json written before flags were
// typed holds the finding's English sentence. It loads as an unknown
// finding that keeps its sentence (an empty sentence as no flag), and a save
// writes it back as it was, until a health check's new finding replaces it
// with the typed form.
func TestOldSentenceFlagsStillLoad(t *testing.T) {
	dir := t.TempDir()
	const sentence = "The Gmail API is turned off in your Google Cloud project (my-mail-4711)"
	old := `{
  "project_id": "my-mail-4711",
  "done": {"project": true},
  "step": "gmail-api",
  "flagged": {
    "gmail-api": "` + sentence + `",
    "scopes": ""
  }
}`
	path := filepath.Join(dir, fileName)
	if err := os.WriteFile(path, []byte(old), 0o600); err != nil {
		t.Fatal(err)
	}
	s := NewStore(dir)
	p := s.Load()
	if p.ProjectID != "my-mail-4711" || p.Step != "gmail-api" || !p.Done["project"] {
		t.Fatalf("old file loaded as %+v", p)
	}
	if got, ok := p.Flagged["gmail-api"]; !ok || got.Finding != FindingUnknown || got.OldSentence() != sentence {
		t.Fatalf("old flag loaded as %+v (present %v)", got, ok)
	}
	if _, ok := p.Flagged["scopes"]; ok || len(p.Flagged) != 1 {
		t.Fatalf("an empty old reason became a flag: %+v", p.Flagged)
	}
	if err := s.Update(func(p *Progress) { p.Done["branding"] = true }); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"gmail-api": "`+sentence+`"`) || strings.Contains(string(data), `"finding"`) {
		t.Fatalf("the save after an old file did not keep its flag as it was:\n%s", data)
	}
	if again := s.Load(); again.Flagged["gmail-api"].OldSentence() != sentence || !again.Done["branding"] {
		t.Fatalf("rewritten file loaded as %+v", again)
	}

	// A health check's new finding replaces the old sentence with the typed flag.
	if err := s.Update(func(p *Progress) {
		p.Verify("gmail-api", false, Flag{Finding: FindingAPIOff, Project: "my-mail-4711"})
	}); err != nil {
		t.Fatal(err)
	}
	if data, err = os.ReadFile(path); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "turned off") || !strings.Contains(string(data), `"finding": "gmail_api_off"`) {
		t.Fatalf("a health check's finding did not replace the old sentence:\n%s", data)
	}
	if got := s.Load().Flagged["gmail-api"]; got != (Flag{Finding: FindingAPIOff, Project: "my-mail-4711"}) {
		t.Fatalf("the new finding loaded as %+v", got)
	}
}
