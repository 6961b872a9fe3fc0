package setup

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// FuzzSetupFile feeds arbitrary bytes as setup.json. Loading never panics
// and always gives usable progress (Done never nil), and what loads survives
// a save and a reload unchanged.
func FuzzSetupFile(f *testing.F) {
	for _, seed := range []string{
		`{"project_id":"my-mail-4711","done":{"project":true,"gmail-api":true},"step":"branding"}`,
		`{"done":{"gmail-api":false},"flagged":{"gmail-api":"The Gmail API is turned off"}}`,
		`{"done":null,"flagged":{}}`,
		`{"flagged":{"gmail-api":{"finding":"gmail_api_off","project":"my-mail-4711"},"scopes":{"finding":"from_a_newer_mailkey"}}}`,
		`{"flagged":{"a":null,"b":{},"c":"","d":7}}`,
		`{"project_id":7}`,
		`{not json`,
		`null`,
		`[]`,
		``,
		"\xff\xfe",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, fileName), data, 0o600); err != nil {
			t.Fatal(err)
		}
		s := NewStore(dir)
		p := s.Load()
		if p.Done == nil {
			t.Fatal("Load gave a nil Done map")
		}
		if err := s.Save(p); err != nil {
			t.Fatalf("Save: %v", err)
		}
		if again := s.Load(); !reflect.DeepEqual(normal(again), normal(p)) {
			t.Fatalf("progress changed through a save: %+v, then %+v", p, again)
		}
	})
}

// normal drops the difference between a nil and an empty Flagged map, which
// the file cannot tell apart.
func normal(p Progress) Progress {
	if len(p.Flagged) == 0 {
		p.Flagged = nil
	}
	return p
}
