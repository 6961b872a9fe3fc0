package account

import (
	"errors"
	"fmt"
	"path/filepath"

	"github.com/mailkey-app/mailkey/app/advice"
)

// The kinds of an accounts file that could not be read (Unreadable.Kind):
// stable names, saved in files.
const (
	unreadableDamaged   = "damaged"
	unreadableIsDir     = "is_dir"
	unreadableIrregular = "not_regular"
	unreadableRead      = "read_failed"
	unreadableNewer     = "newer_schema"
)

// Unreadable is an accounts file that could not be read, as facts: why,
// its path, and the format a newer mailkey wrote. Explain words it again as
// the read's error did; UnreadableOf finds it in one.
type Unreadable struct {
	Kind    string `json:"kind"`
	Path    string `json:"path,omitempty"`
	Version int    `json:"version,omitempty"`
}

// Explain words u as the read's error did, and carries u as it did.
func (u Unreadable) Explain() error {
	switch u.Kind {
	case unreadableDamaged:
		return u.explain(ErrCorrupt)
	case unreadableNewer:
		return u.explain(ErrNewerSchema)
	}
	return u.explain(storage(errors.New(u.Kind)))
}

// UnreadableOf returns the unreadable accounts file that err carries.
func UnreadableOf(err error) (Unreadable, bool) { return advice.FactsOf[Unreadable](err) }

// explain words u around err, the cause.
func (u Unreadable) explain(err error) error {
	var e *advice.Error
	switch u.Kind {
	case unreadableIsDir:
		e = advice.Keyed(err, "account.path_is_dir", advice.Data{"Path": u.Path},
			"{{.Path}} is a folder, where mailkey's accounts file should be",
			"Move or rename that folder, then try again: mailkey then starts a new accounts file")
	case unreadableIrregular:
		e = advice.Keyed(err, "account.not_regular", advice.Data{"Path": u.Path},
			"{{.Path}} is not a regular file (it is a device, a named pipe or a link to one), where mailkey's accounts file should be",
			"Move it away, then try again: mailkey then starts a new accounts file")
	case unreadableDamaged:
		if !errors.Is(err, ErrCorrupt) {
			err = fmt.Errorf("%w: %v", ErrCorrupt, err)
		}
		e = advice.Keyed(err, "account.damaged",
			advice.Data{"Path": u.Path, "Backup": filepath.Join(filepath.Dir(u.Path), BackupPrefix+"<date>")},
			"the accounts file {{.Path}} is damaged",
			"Add your accounts again: mailkey then keeps the damaged file as {{.Backup}} and starts a new one. "+
				"Your secrets are still in the keyring")
	case unreadableNewer:
		e = advice.Keyed(err, "account.newer_schema", advice.Data{"Version": u.Version, "Supported": schemaVersion},
			"the accounts file was written by a newer mailkey (format {{.Version}}, this one reads {{.Supported}})",
			"Update mailkey")
	default:
		e = advice.Keyed(err, "account.read_failed", advice.Data{"Path": u.Path},
			"cannot read {{.Path}}", "Check the file's permissions")
	}
	return advice.WithFacts(e, u)
}
