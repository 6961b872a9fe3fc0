package account

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestStatus(t *testing.T) {
	signed := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		acct Account
		now  time.Time
		want string
	}{
		{"app password is always ok", Account{Method: AppPassword, SignedInAt: signed}, signed.Add(400 * 24 * time.Hour), "ok"},
		{"production oauth is ok", Account{Method: OAuth, Publishing: Production, SignedInAt: signed}, signed.Add(30 * 24 * time.Hour), "ok"},
		{"testing, just signed in", Account{Method: OAuth, Publishing: Testing, SignedInAt: signed}, signed, "expires in 7 days"},
		{"testing, 6 days and 1 hour later", Account{Method: OAuth, Publishing: Testing, SignedInAt: signed}, signed.Add(6*24*time.Hour + time.Hour), "expires in 1 day"},
		{"testing, 7 days later", Account{Method: OAuth, Publishing: Testing, SignedInAt: signed}, signed.Add(7 * 24 * time.Hour), "needs sign-in"},
		{"marked by invalid_grant", Account{Method: OAuth, Publishing: Production, SignedInAt: signed, NeedsSignIn: true}, signed, "needs sign-in"},
		// A sign-in made in Testing keeps its end once the app is published.
		{
			"production, sign-in made in Testing",
			Account{Method: OAuth, Publishing: Production, SignedInAt: signed, SignInEndsAt: signed.Add(7 * 24 * time.Hour)},
			signed.Add(2 * 24 * time.Hour), "expires in 5 days",
		},
		{
			"production, Testing sign-in ended",
			Account{Method: OAuth, Publishing: Production, SignedInAt: signed, SignInEndsAt: signed.Add(7 * 24 * time.Hour)},
			signed.Add(8 * 24 * time.Hour), "needs sign-in",
		},
		{
			"Google's exact end",
			Account{Method: OAuth, Publishing: Testing, SignedInAt: signed, SignInEndsAt: signed.Add(7*24*time.Hour - time.Second), EndFromGoogle: true},
			signed.Add(7*24*time.Hour - time.Second), "needs sign-in",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.acct.Status(tt.now).String(); got != tt.want {
				t.Errorf("Status = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestStorePutGetRemove(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cfg")
	s := NewStore(dir)
	if list, err := s.List(); err != nil || len(list) != 0 {
		t.Fatalf("empty store: %v, %v", list, err)
	}
	b := Account{Address: "bob@gmail.com", Method: AppPassword, SMTP: "smtp://smtp.gmail.com:587"}
	a := Account{Address: "Ann@gmail.com", Method: OAuth, SMTP: "smtps://smtp.gmail.com:465", ClientID: "x.apps.googleusercontent.com", Publishing: Testing}
	for _, x := range []Account{b, a} {
		if err := s.Put(x); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.Get("ann@GMAIL.com")
	if err != nil || got.ClientID != a.ClientID {
		t.Fatalf("Get = %+v, %v", got, err)
	}
	list, _ := s.List()
	if len(list) != 2 || list[0].Address != "Ann@gmail.com" {
		t.Fatalf("List not sorted by address: %+v", list)
	}
	fi, err := os.Stat(s.Path())
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("accounts file mode = %v, %v; want 0600", fi.Mode(), err)
	}
	var raw map[string]any
	data, _ := os.ReadFile(s.Path())
	if err := json.Unmarshal(data, &raw); err != nil || raw["version"] != float64(schemaVersion) {
		t.Fatalf("file lacks schema version: %s", data)
	}
	if err := s.Remove("bob@gmail.com"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get("bob@gmail.com"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get after Remove: %v, want ErrNotFound", err)
	}
	if err := s.Remove("bob@gmail.com"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("second Remove: %v, want ErrNotFound", err)
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, FileName+".tmp-*"))
	if len(leftovers) != 0 {
		t.Fatalf("temporary files left behind: %v", leftovers)
	}
}

func TestStoreSetsDamagedFileAside(t *testing.T) {
	for name, content := range map[string]string{
		"truncated": `{"version":1,"accounts":[{"address":"a@gmail.com"`,
		"garbage":   "\x00\x01not json",
		"no schema": `{"accounts":[]}`,
		"too large": `{"version":1,"accounts":[]}` + strings.Repeat(" ", maxFileBytes),
	} {
		t.Run(name, func(t *testing.T) {
			s := NewStore(t.TempDir())
			if err := os.WriteFile(s.Path(), []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := s.List()
			if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), BackupPrefix) {
				t.Fatalf("List = %v, want ErrCorrupt naming the backup", err)
			}
			// An update that cannot apply to an empty list changes nothing.
			if err := s.Remove("a@gmail.com"); !errors.Is(err, ErrCorrupt) {
				t.Fatalf("Remove over a damaged file = %v, want ErrCorrupt", err)
			}
			if backups(t, s) != nil {
				t.Fatal("a failed update set the file aside")
			}
			// Adding an account keeps the damaged file, then starts a new one.
			if err := s.Put(Account{Address: "new@gmail.com", Method: AppPassword}); err != nil {
				t.Fatalf("Put over a damaged file = %v", err)
			}
			list, err := s.List()
			if err != nil || len(list) != 1 || list[0].Address != "new@gmail.com" {
				t.Fatalf("after Put: %v, %v", list, err)
			}
			b := backups(t, s)
			if len(b) != 1 {
				t.Fatalf("backups %v, want one", b)
			}
			if kept, _ := os.ReadFile(b[0]); string(kept) != content {
				t.Fatalf("backup holds %q, want the damaged content", kept)
			}
			// A second damage in the same second gets its own backup.
			if err := os.WriteFile(s.Path(), []byte("again"), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := s.Put(Account{Address: "other@gmail.com", Method: AppPassword}); err != nil {
				t.Fatal(err)
			}
			if b2 := backups(t, s); len(b2) != 2 {
				t.Fatalf("backups after a second damage: %v", b2)
			}
			if kept, _ := os.ReadFile(b[0]); string(kept) != content {
				t.Fatal("the first backup was overwritten")
			}
		})
	}
}

func backups(t *testing.T, s *Store) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(s.Dir(), BackupPrefix+"*"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestStoreRefusesNewerSchema(t *testing.T) {
	s := NewStore(t.TempDir())
	if err := os.WriteFile(s.Path(), []byte(`{"version":99,"accounts":[]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := s.List(); !errors.Is(err, ErrNewerSchema) {
		t.Fatalf("List = %v, want ErrNewerSchema", err)
	}
}

func TestStoreConcurrentWritersAreSerialised(t *testing.T) {
	dir := t.TempDir()
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Separate Store values, as separate processes would have.
			if err := NewStore(dir).Put(Account{Address: "user" + string(rune('a'+i)) + "@gmail.com", Method: AppPassword}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	list, err := NewStore(dir).List()
	if err != nil || len(list) != 20 {
		t.Fatalf("after 20 concurrent Puts: %d accounts, %v", len(list), err)
	}
}

func TestClientIdle(t *testing.T) {
	signed := time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	for _, tc := range []struct {
		name     string
		a        Account
		now      time.Time
		idle     bool
		lastUsed time.Time
	}{
		{"fresh sign-in", Account{Method: OAuth, SignedInAt: signed}, signed.Add(10 * day), false, signed},
		{"150 days after sign-in", Account{Method: OAuth, SignedInAt: signed}, signed.Add(150 * day), false, signed},
		{"151 days after sign-in", Account{Method: OAuth, SignedInAt: signed}, signed.Add(151 * day), true, signed},
		{"refreshed since", Account{Method: OAuth, SignedInAt: signed, LastRefresh: signed.Add(100 * day)}, signed.Add(151 * day), false, signed.Add(100 * day)},
		{"refresh older than a new sign-in", Account{Method: OAuth, SignedInAt: signed.Add(100 * day), LastRefresh: signed}, signed.Add(151 * day), false, signed.Add(100 * day)},
		{"app password", Account{Method: AppPassword, SignedInAt: signed}, signed.Add(400 * day), false, time.Time{}},
		{"no record", Account{Method: OAuth}, signed, false, time.Time{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.a.ClientIdle(tc.now); got != tc.idle {
				t.Errorf("ClientIdle = %v, want %v", got, tc.idle)
			}
			if got := tc.a.LastClientUse(); !got.Equal(tc.lastUsed) {
				t.Errorf("LastClientUse = %v, want %v", got, tc.lastUsed)
			}
		})
	}
}
