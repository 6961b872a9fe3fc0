package account

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/gofrs/flock"
	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/internal/atomicfile"
)

// SchemaVersion is the version of the accounts file this code writes.
const SchemaVersion = 1

// FileName is the accounts file's name inside the config dir.
const FileName = "accounts.json"

var (
	// ErrNotFound means no account has that address.
	ErrNotFound = errors.New("no such account")
	// ErrCorrupt means the accounts file cannot be read as mailkey's format.
	ErrCorrupt = errors.New("the accounts file is damaged")
	// ErrNewerSchema means the file was written by a newer mailkey.
	ErrNewerSchema = errors.New("the accounts file is from a newer mailkey")
)

type file struct {
	Version  int       `json:"version"`
	Accounts []Account `json:"accounts"`
}

// Store is the accounts file in one directory.
type Store struct {
	dir string
}

// DefaultDir returns the config directory: $MAILKEY_CONFIG_DIR, or "mailkey"
// inside the user config dir.
func DefaultDir() (string, error) {
	if d := os.Getenv("MAILKEY_CONFIG_DIR"); d != "" {
		return d, nil
	}
	base, err := os.UserConfigDir()
	if err != nil {
		return "", advice.New(err, "cannot find your configuration directory", "Set $HOME or $XDG_CONFIG_HOME (or MAILKEY_CONFIG_DIR) and try again")
	}
	return filepath.Join(base, "mailkey"), nil
}

// NewStore returns the store for dir; the directory is created on first write.
func NewStore(dir string) *Store { return &Store{dir: dir} }

// Dir returns the store's directory.
func (s *Store) Dir() string { return s.dir }

// Path returns the accounts file's path.
func (s *Store) Path() string { return filepath.Join(s.dir, FileName) }

// List returns every account, sorted by address.
func (s *Store) List() ([]Account, error) {
	f, err := s.read()
	if err != nil {
		return nil, err
	}
	return f.Accounts, nil
}

// Get returns the account with address addr.
func (s *Store) Get(addr string) (Account, error) {
	list, err := s.List()
	if err != nil {
		return Account{}, err
	}
	for _, a := range list {
		if Same(a.Address, addr) {
			return a, nil
		}
	}
	return Account{}, advice.New(ErrNotFound, "mailkey has no account "+addr,
		"Run 'mailkey accounts' to see the accounts, or add this one with 'mailkey login'")
}

// Put adds a or replaces the account with the same address.
func (s *Store) Put(a Account) error {
	return s.Update(func(list []Account) ([]Account, error) {
		i := slices.IndexFunc(list, func(b Account) bool { return Same(a.Address, b.Address) })
		if i >= 0 {
			list[i] = a
			return list, nil
		}
		return append(list, a), nil
	})
}

// Remove deletes the account with address addr.
func (s *Store) Remove(addr string) error {
	return s.Update(func(list []Account) ([]Account, error) {
		i := slices.IndexFunc(list, func(b Account) bool { return Same(addr, b.Address) })
		if i < 0 {
			return nil, advice.New(ErrNotFound, "mailkey has no account "+addr, "Run 'mailkey accounts' to see the accounts")
		}
		return slices.Delete(list, i, i+1), nil
	})
}

// Modify applies fn to the account with address addr and saves it.
func (s *Store) Modify(addr string, fn func(*Account)) error {
	return s.Update(func(list []Account) ([]Account, error) {
		i := slices.IndexFunc(list, func(b Account) bool { return Same(addr, b.Address) })
		if i < 0 {
			return nil, advice.New(ErrNotFound, "mailkey has no account "+addr, "Run 'mailkey accounts' to see the accounts")
		}
		fn(&list[i])
		return list, nil
	})
}

// Update reads the accounts, lets fn change them, and writes the result, all
// under an exclusive lock on the directory. A damaged file is never overwritten.
func (s *Store) Update(fn func([]Account) ([]Account, error)) error {
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return advice.New(err, "cannot create the configuration directory "+s.dir, "Check its permissions and free disk space")
	}
	unlock, err := s.lock()
	if err != nil {
		return err
	}
	defer unlock()
	f, err := s.read()
	if err != nil {
		return err
	}
	list, err := fn(slices.Clone(f.Accounts))
	if err != nil {
		return err
	}
	slices.SortFunc(list, func(a, b Account) int { return compareFold(a.Address, b.Address) })
	return s.write(file{Version: SchemaVersion, Accounts: list})
}

func (s *Store) lock() (func(), error) {
	l := flock.New(filepath.Join(s.dir, FileName+".lock"))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ok, err := l.TryLockContext(ctx, 20*time.Millisecond)
	if err != nil || !ok {
		return nil, advice.New(fmt.Errorf("lock %s: %v", l.Path(), err),
			"another mailkey kept the accounts file locked for more than 10 seconds", "Try again in a moment")
	}
	return func() { _ = l.Unlock() }, nil
}

func (s *Store) read() (file, error) {
	data, err := os.ReadFile(s.Path())
	if errors.Is(err, os.ErrNotExist) {
		return file{Version: SchemaVersion}, nil
	}
	if err != nil {
		return file{}, advice.New(err, "cannot read "+s.Path(), "Check the file's permissions")
	}
	var f file
	if err := json.Unmarshal(data, &f); err != nil || f.Version == 0 {
		return file{}, advice.New(fmt.Errorf("%w: %v", ErrCorrupt, err),
			"the accounts file "+s.Path()+" is damaged and mailkey will not overwrite it",
			"Move it aside (for example rename it to accounts.json.bak) and add your accounts again; your secrets are still in the keyring")
	}
	if f.Version > SchemaVersion {
		return file{}, advice.New(ErrNewerSchema,
			fmt.Sprintf("the accounts file was written by a newer mailkey (format %d, this one reads %d)", f.Version, SchemaVersion),
			"Update mailkey")
	}
	return f, nil
}

// write replaces the file atomically (see package atomicfile).
func (s *Store) write(f file) error {
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	if err := atomicfile.Write(s.Path(), append(data, '\n'), 0o600); err != nil {
		return advice.New(err, "cannot save the accounts file "+s.Path(), "Check free disk space and permissions; the previous file is unchanged")
	}
	return nil
}

func compareFold(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) }
