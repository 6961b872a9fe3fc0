package account

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/gofrs/flock"
	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/internal/atomicfile"
	"github.com/mailkey-app/mailkey/app/internal/localfile"
)

// schemaVersion is the version of the accounts file this code writes.
const schemaVersion = 1

// FileName is the accounts file's name inside the config dir.
const FileName = "accounts.json"

var (
	// ErrNotFound means no account has that address.
	ErrNotFound = advice.Sentinel(advice.NoAccount, "no such account")
	// ErrCorrupt means the accounts file cannot be read as mailkey's format.
	ErrCorrupt = advice.Sentinel(advice.Failure, "the accounts file is damaged")
	// ErrNewerSchema means the file was written by a newer mailkey.
	ErrNewerSchema = advice.Sentinel(advice.Failure, "the accounts file is from a newer mailkey")
	// ErrStorage means mailkey cannot read or write its configuration
	// directory or the accounts file in it: a read-only or full disk, missing
	// permissions, a folder or a device where the file should be. The error
	// also wraps the system's error.
	ErrStorage = advice.Sentinel(advice.Storage, "cannot use the configuration directory")
)

// maxFileBytes is the largest accounts file mailkey reads, room for tens of
// thousands of accounts. A larger file is treated as damaged.
const maxFileBytes = 8 << 20

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
	return Account{}, NotFound(addr)
}

// NotFound is the ErrNotFound error for addr, with advice.
func NotFound(addr string) error {
	return advice.Keyed(ErrNotFound, "account.not_found_login", advice.Data{"Address": addr},
		"mailkey has no account {{.Address}}",
		"See the accounts mailkey has, or add this one").Then(advice.ActionAddAccount)
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
				"mailkey has no account {{.Address}}", "See the accounts mailkey has").Then(advice.ActionSeeAccounts)
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
				"mailkey has no account {{.Address}}", "See the accounts mailkey has").Then(advice.ActionSeeAccounts)
		}
		fn(&list[i])
		return list, nil
	})
}

// Update reads the accounts, lets fn change them, and writes the result, all
// under an exclusive lock on the directory (see Begin).
//
// A damaged file is never overwritten and never lost. Reading it (List, Get)
// fails with ErrCorrupt, whose advice says that mailkey will keep a copy. An
// Update over it starts from an empty list; if fn succeeds, the damaged file is
// first kept as accounts.json.damaged-<UTC time> (never replacing an earlier
// copy; see BackupPrefix), then the new file is written and Update succeeds.
// If fn fails (Remove or Modify of an account the damaged file may hold), the
// ErrCorrupt error is returned and nothing changes.
func (s *Store) Update(fn func([]Account) ([]Account, error)) error {
	tx, err := s.Begin()
	if err != nil {
		return err
	}
	defer tx.Close()
	list, ferr := fn(tx.Accounts())
	if ferr != nil {
		if d := tx.Damaged(); d != nil {
			return d
		}
		return ferr
	}
	return tx.Commit(list)
}

// Tx is the accounts file held under its lock, so that a caller can change
// the keyring and the file as one unit: no other mailkey reads a half-done
// change or writes in between. Close it in every case.
type Tx struct {
	s       *Store
	unlock  func()
	list    []Account
	damaged error
	backup  string
}

// Begin creates the directory if needed, takes the lock and reads the file.
// A damaged file gives an empty list (see Damaged); other problems (the
// directory is read-only, the file is a folder or cannot be read, it is
// from a newer mailkey) fail here, before the caller changes anything.
func (s *Store) Begin() (*Tx, error) {
	if err := s.mkdir(); err != nil {
		return nil, err
	}
	unlock, err := s.lock()
	if err != nil {
		return nil, err
	}
	f, err := s.read()
	damaged := errors.Is(err, ErrCorrupt)
	if err != nil && !damaged {
		unlock()
		return nil, err
	}
	tx := &Tx{s: s, unlock: unlock, list: f.Accounts}
	if damaged {
		tx.damaged = err
	}
	return tx, nil
}

// Accounts returns a copy of the accounts read, sorted by address; none when
// the file is damaged.
func (t *Tx) Accounts() []Account { return slices.Clone(t.list) }

// Find returns the account with address addr.
func (t *Tx) Find(addr string) (Account, bool) {
	i := slices.IndexFunc(t.list, func(b Account) bool { return Same(addr, b.Address) })
	if i < 0 {
		return Account{}, false
	}
	return t.list[i], true
}

// Damaged returns the ErrCorrupt error when the file on disk is damaged, else nil.
func (t *Tx) Damaged() error { return t.damaged }

// Commit writes list as the new file. Over a damaged file, it first keeps
// that file under a backup name (see Backup). On failure the file on disk is
// unchanged.
func (t *Tx) Commit(list []Account) error {
	if t.unlock == nil {
		return errors.New("account: commit of a closed transaction")
	}
	var undo func()
	if t.damaged != nil {
		name, u, err := t.s.setAside()
		if err != nil {
			return err
		}
		undo = u
		t.backup = name
	}
	t.s.removeStaleTemps()
	list = slices.Clone(list)
	slices.SortFunc(list, func(a, b Account) int { return compareFold(a.Address, b.Address) })
	if err := t.s.write(file{Version: schemaVersion, Accounts: list}); err != nil {
		if undo != nil {
			undo() // the damaged file stays where it was, with no extra copy
			t.backup = ""
		}
		return err
	}
	t.list, t.damaged = list, nil
	return nil
}

// Path returns the accounts file's path.
func (t *Tx) Path() string { return t.s.Path() }

// Backup returns the path under which Commit kept a damaged file, or "".
func (t *Tx) Backup() string { return t.backup }

// Close releases the lock. It may be called more than once.
func (t *Tx) Close() {
	if t.unlock != nil {
		t.unlock()
		t.unlock = nil
	}
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
// atomic write replaces it; where links are not supported it renames. undo
// puts things back as they were, for a write that then fails.
func (s *Store) setAside() (string, func(), error) {
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
		undo := func() { _ = os.Remove(name) }
		if err != nil {
			if _, serr := os.Lstat(name); serr == nil {
				continue
			}
			err = os.Rename(s.Path(), name)
			undo = func() { _ = os.Rename(name, s.Path()) }
		}
		if err != nil {
			return "", nil, advice.Keyed(storage(err), "account.backup_failed", advice.Data{"Path": s.Path()},
				"cannot keep a copy of the damaged accounts file {{.Path}}",
				"Move it aside by hand (for example rename it to accounts.json.bak) and try again")
		}
		return name, undo, nil
	}
	return "", nil, advice.Keyed(errors.New("too many backups"), "account.too_many_backups",
		advice.Data{"Path": s.Path(), "Prefix": BackupPrefix, "Dir": s.dir},
		"cannot keep a copy of the damaged accounts file {{.Path}}",
		"Delete old {{.Prefix}}* files in {{.Dir}} and try again")
}

// lock takes the accounts file's lock, waiting up to 10 seconds for another
// mailkey to release it. A directory mailkey may not write in fails at once.
func (s *Store) lock() (func(), error) {
	l := flock.New(filepath.Join(s.dir, FileName+".lock"))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ok, err := l.TryLockContext(ctx, 20*time.Millisecond)
	switch {
	case err == nil && ok:
		return func() { _ = l.Unlock() }, nil
	case readOnly(err):
		return nil, s.readOnlyErr(err)
	case err != nil && !errors.Is(err, context.DeadlineExceeded):
		return nil, advice.Keyed(storage(err), "account.lock_failed", advice.Data{"Path": l.Path()},
			"cannot lock {{.Path}}", "Check the permissions of its directory and the free disk space")
	}
	return nil, advice.Keyed(fmt.Errorf("lock %s: %v", l.Path(), err), "account.locked", nil,
		"another mailkey kept the accounts file locked for more than 10 seconds", "Try again in a moment")
}

// readOnly reports whether err says that a file system or directory may not be written.
func readOnly(err error) bool {
	return errors.Is(err, syscall.EROFS) || errors.Is(err, fs.ErrPermission)
}

func (s *Store) readOnlyErr(err error) error {
	return advice.Keyed(storage(err), "account.dir_read_only", advice.Data{"Dir": s.dir},
		"mailkey may not write in its configuration directory {{.Dir}}: it is read-only or belongs to someone else",
		"Make it writable, or set MAILKEY_CONFIG_DIR to a directory you may write in, and try again. Nothing was changed")
}

// storage returns err marked as ErrStorage; errors.Is still sees err.
func storage(err error) error { return fmt.Errorf("%w: %w", ErrStorage, err) }

// mkdir creates the configuration directory if needed.
func (s *Store) mkdir() error {
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return advice.Keyed(storage(err), "account.create_dir", advice.Data{"Dir": s.dir},
			"cannot create the configuration directory {{.Dir}}", "Check its permissions and free disk space")
	}
	return nil
}

// CheckWritable checks, before a long operation such as a browser sign-in,
// that an account can be saved: the directory exists or can be created,
// mailkey may write in it, and the accounts file can be read or is damaged
// (then saving keeps it aside). It leaves no file behind and takes no lock:
// reading needs none, as every write replaces the file whole.
func (s *Store) CheckWritable() error {
	if err := s.mkdir(); err != nil {
		return err
	}
	if _, err := s.read(); err != nil && !errors.Is(err, ErrCorrupt) {
		return err
	}
	probe, err := os.CreateTemp(s.dir, FileName+".tmp-*")
	if err != nil {
		return s.writeErr(err)
	}
	_ = probe.Close()
	_ = os.Remove(probe.Name())
	return nil
}

func (s *Store) read() (file, error) {
	data, err := localfile.Read(s.Path(), maxFileBytes)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return file{Version: schemaVersion}, nil
	case errors.Is(err, localfile.ErrIsDir):
		return file{}, Unreadable{Kind: unreadableIsDir, Path: s.Path()}.explain(storage(err))
	case errors.Is(err, localfile.ErrNotRegular):
		return file{}, Unreadable{Kind: unreadableIrregular, Path: s.Path()}.explain(storage(err))
	case errors.Is(err, localfile.ErrTooLarge):
		return file{}, s.damagedErr(err)
	case err != nil:
		return file{}, Unreadable{Kind: unreadableRead, Path: s.Path()}.explain(storage(err))
	}
	f, err := parse(data)
	if errors.Is(err, ErrCorrupt) {
		return file{}, s.damagedErr(err)
	}
	return f, err
}

// parse reads the content of an accounts file: ErrCorrupt when it is not
// mailkey's format, ErrNewerSchema when a newer mailkey wrote it.
func parse(data []byte) (file, error) {
	var f file
	if err := json.Unmarshal(data, &f); err != nil || f.Version == 0 {
		return file{}, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	if f.Version > schemaVersion {
		return file{}, Unreadable{Kind: unreadableNewer, Version: f.Version}.explain(ErrNewerSchema)
	}
	return f, nil
}

// damagedErr is the ErrCorrupt error, whose advice promises what Commit does.
func (s *Store) damagedErr(cause error) error {
	return Unreadable{Kind: unreadableDamaged, Path: s.Path()}.explain(cause)
}

// write replaces the file atomically (see package atomicfile).
func (s *Store) write(f file) error {
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	if err := atomicfile.Write(s.Path(), append(data, '\n'), 0o600); err != nil {
		return s.writeErr(err)
	}
	return nil
}

func (s *Store) writeErr(err error) error {
	if readOnly(err) {
		return s.readOnlyErr(err)
	}
	return advice.Keyed(storage(err), "account.save_failed", advice.Data{"Path": s.Path()},
		"cannot save the accounts file {{.Path}}", "Check free disk space and permissions; the previous file is unchanged")
}

func compareFold(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) }
