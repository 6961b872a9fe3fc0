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
		return "", advice.Keyed(err, "account.no_config_dir", nil,
			"cannot find your configuration directory", "Set $HOME or $XDG_CONFIG_HOME (or MAILKEY_CONFIG_DIR) and try again")
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
	return Account{}, advice.Keyed(ErrNotFound, "account.not_found_login", advice.Data{"Address": addr},
		"mailkey has no account {{.Address}}",
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
			return nil, advice.Keyed(ErrNotFound, "account.not_found", advice.Data{"Address": addr},
				"mailkey has no account {{.Address}}", "Run 'mailkey accounts' to see the accounts")
		}
		return slices.Delete(list, i, i+1), nil
	})
}

// Modify applies fn to the account with address addr and saves it.
func (s *Store) Modify(addr string, fn func(*Account)) error {
	return s.Update(func(list []Account) ([]Account, error) {
		i := slices.IndexFunc(list, func(b Account) bool { return Same(addr, b.Address) })
		if i < 0 {
			return nil, advice.Keyed(ErrNotFound, "account.not_found", advice.Data{"Address": addr},
				"mailkey has no account {{.Address}}", "Run 'mailkey accounts' to see the accounts")
		}
		fn(&list[i])
		return list, nil
	})
}

// Update reads the accounts, lets fn change them, and writes the result, all
// under an exclusive lock on the directory.
//
// A damaged file is never overwritten and never lost. Reading it (List, Get)
// fails with ErrCorrupt, whose advice says that mailkey will keep a copy. An
// Update over it starts from an empty list; if fn succeeds, the damaged file is
// first kept as accounts.json.damaged-<UTC time> (never replacing an earlier
// copy; see BackupPrefix), then the new file is written and Update succeeds.
// If fn fails (Remove or Modify of an account the damaged file may hold), the
// ErrCorrupt error is returned and nothing changes.
func (s *Store) Update(fn func([]Account) ([]Account, error)) error {
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return advice.Keyed(err, "account.create_dir", advice.Data{"Dir": s.dir},
			"cannot create the configuration directory {{.Dir}}", "Check its permissions and free disk space")
	}
	unlock, err := s.lock()
	if err != nil {
		return err
	}
	defer unlock()
	f, err := s.read()
	damaged := errors.Is(err, ErrCorrupt)
	if err != nil && !damaged {
		return err
	}
	list, ferr := fn(slices.Clone(f.Accounts))
	if ferr != nil {
		if damaged {
			return err
		}
		return ferr
	}
	if damaged {
		if err := s.setAside(); err != nil {
			return err
		}
	}
	s.removeStaleTemps()
	slices.SortFunc(list, func(a, b Account) int { return compareFold(a.Address, b.Address) })
	return s.write(file{Version: SchemaVersion, Accounts: list})
}

// removeStaleTemps deletes temporary files that a mailkey killed in the middle
// of a save left behind. Only the holder of the lock writes, so none of them
// is in use.
func (s *Store) removeStaleTemps() {
	stale, _ := filepath.Glob(filepath.Join(s.dir, FileName+".tmp-*"))
	for _, name := range stale {
		_ = os.Remove(name)
	}
}

// BackupPrefix starts the name of a damaged accounts file that mailkey kept:
// accounts.json.damaged-20060102T150405Z, with -2, -3… when that name is taken.
const BackupPrefix = FileName + ".damaged-"

// setAside keeps the damaged accounts file under a new backup name. It links
// rather than renames, so that accounts.json exists at every moment until the
// atomic write replaces it; where links are not supported it renames.
func (s *Store) setAside() error {
	base := filepath.Join(s.dir, BackupPrefix+time.Now().UTC().Format("20060102T150405Z"))
	for i := 1; i <= 100; i++ {
		name := base
		if i > 1 {
			name = fmt.Sprintf("%s-%d", base, i)
		}
		err := os.Link(s.Path(), name)
		if errors.Is(err, os.ErrExist) {
			continue
		}
		if err != nil {
			if _, serr := os.Lstat(name); serr == nil {
				continue
			}
			err = os.Rename(s.Path(), name)
		}
		if err != nil {
			return advice.Keyed(err, "account.backup_failed", advice.Data{"Path": s.Path()},
				"cannot keep a copy of the damaged accounts file {{.Path}}",
				"Move it aside by hand (for example rename it to accounts.json.bak) and try again")
		}
		return nil
	}
	return advice.Keyed(errors.New("too many backups"), "account.too_many_backups",
		advice.Data{"Path": s.Path(), "Prefix": BackupPrefix, "Dir": s.dir},
		"cannot keep a copy of the damaged accounts file {{.Path}}",
		"Delete old {{.Prefix}}* files in {{.Dir}} and try again")
}

func (s *Store) lock() (func(), error) {
	l := flock.New(filepath.Join(s.dir, FileName+".lock"))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ok, err := l.TryLockContext(ctx, 20*time.Millisecond)
	if err != nil || !ok {
		return nil, advice.Keyed(fmt.Errorf("lock %s: %v", l.Path(), err), "account.locked", nil,
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
		return file{}, advice.Keyed(err, "account.read_failed", advice.Data{"Path": s.Path()},
			"cannot read {{.Path}}", "Check the file's permissions")
	}
	var f file
	if err := json.Unmarshal(data, &f); err != nil || f.Version == 0 {
		return file{}, advice.Keyed(fmt.Errorf("%w: %v", ErrCorrupt, err), "account.damaged",
			advice.Data{"Path": s.Path(), "Backup": filepath.Join(s.dir, BackupPrefix+"<date>")},
			"the accounts file {{.Path}} is damaged",
			"Add your accounts again: mailkey then keeps the damaged file as {{.Backup}} and starts a new one. "+
				"Your secrets are still in the keyring")
	}
	if f.Version > SchemaVersion {
		return file{}, advice.Keyed(ErrNewerSchema, "account.newer_schema", advice.Data{"Version": f.Version, "Supported": SchemaVersion},
			"the accounts file was written by a newer mailkey (format {{.Version}}, this one reads {{.Supported}})",
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
		return advice.Keyed(err, "account.save_failed", advice.Data{"Path": s.Path()},
			"cannot save the accounts file {{.Path}}", "Check free disk space and permissions; the previous file is unchanged")
	}
	return nil
}

func compareFold(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) }
