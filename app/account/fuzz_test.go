package account

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// accountsSeeds are the seeds of FuzzAccountsFile: a good file, files from
// a newer mailkey, and the damaged files of TestStoreSetsDamagedFileAside.
var accountsSeeds = []string{
	`{"version":1,"accounts":[]}`,
	`{"version":1,"accounts":[{"address":"ann@gmail.com","method":"oauth","smtp":"smtp://smtp.gmail.com:587",` +
		`"client_id":"1-x.apps.googleusercontent.com","publishing":"testing","signed_in_at":"2026-11-01T12:00:00Z",` +
		`"reason_data":{"Port":"587"},"needs_sign_in":true}]}`,
	`{"version":2,"accounts":[]}`,
	`{"version":1,"accounts":[{"address":"a@gmail.com"`,
	"\x00\x01not json",
	`{"accounts":[]}`,
	`{"version":1,"accounts":[{"address":"A@x"},{"address":"a@X"}]}`,
	`{"version":1,"accounts":null}`,
	`{"version":-1}`,
	`[]`,
	``,
}

// FuzzAccountsFile feeds arbitrary bytes to the accounts file parser. It
// never panics and fails only as damaged or from a newer mailkey; what it
// accepts, mailkey writes back, and that file reads back to itself. The seeds also run
// through the store: a readable file keeps its accounts through a save, and
// a damaged one is kept byte for byte aside when an account is added.
func FuzzAccountsFile(f *testing.F) {
	for _, seed := range accountsSeeds {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := parse(data)
		switch {
		case errors.Is(err, ErrCorrupt), errors.Is(err, ErrNewerSchema):
			return
		case err != nil:
			t.Fatalf("parse = %v, want success, ErrCorrupt or ErrNewerSchema", err)
		}
		out, err := json.MarshalIndent(file{Version: schemaVersion, Accounts: got.Accounts}, "", "  ")
		if err != nil {
			t.Fatalf("an accepted file cannot be written back: %v", err)
		}
		again, err := parse(out)
		if err != nil || len(again.Accounts) != len(got.Accounts) {
			t.Fatalf("written back and read again: %+v, %v; want %+v", again.Accounts, err, got.Accounts)
		}
		// What mailkey writes, it reads back to the same file.
		if out2, _ := json.MarshalIndent(again, "", "  "); !bytes.Equal(out2, out) {
			t.Fatalf("a second write differs:\n%s\nthen\n%s", out, out2)
		}
	})
}

// TestAccountsSeedsThroughTheStore runs FuzzAccountsFile's seeds through the
// whole store, where each save syncs to disk (too slow to fuzz).
func TestAccountsSeedsThroughTheStore(t *testing.T) {
	for _, data := range accountsSeeds {
		s := NewStore(t.TempDir())
		if err := os.WriteFile(s.Path(), []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
		before, err := s.List()
		if errors.Is(err, ErrNewerSchema) {
			if err := s.Put(Account{Address: "x@y"}); !errors.Is(err, ErrNewerSchema) {
				t.Fatalf("%q: a save over a newer file: %v", data, err)
			}
			continue
		}
		damaged := errors.Is(err, ErrCorrupt)
		if err != nil && !damaged {
			t.Fatalf("%q: List = %v", data, err)
		}
		if err := s.Put(Account{Address: "fuzz@new.example", Method: AppPassword}); err != nil {
			t.Fatalf("%q: Put: %v", data, err)
		}
		after, err := s.List()
		if err != nil || len(after) != len(before)+1 && !damaged {
			t.Fatalf("%q: after a save %+v, %v; before %+v", data, after, err, before)
		}
		kept, _ := filepath.Glob(filepath.Join(s.Dir(), BackupPrefix+"*"))
		if !damaged {
			if len(kept) != 0 {
				t.Fatalf("%q: a readable file was set aside", data)
			}
			continue
		}
		if b, _ := os.ReadFile(kept[0]); len(kept) != 1 || len(after) != 1 || string(b) != data {
			t.Fatalf("%q: over a damaged file: accounts %+v, backups %v holding %q", data, after, kept, b)
		}
	}
}
