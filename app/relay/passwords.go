// Package relay is mailkey's local SMTP submission server: programs and
// devices that only know a server, a username and a password log in with the
// account's address and a relay password, and their mail goes into the queue
// and out through the account's own transport.
package relay

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gofrs/flock"
	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/mailkey-app/mailkey/app/internal/atomicfile"
	"github.com/mailkey-app/mailkey/app/internal/localfile"
	"github.com/mailkey-app/mailkey/app/secret"
)

// passwordsFile is the file, in the config dir, that lists the relay
// passwords' labels and when each was used. The passwords themselves are
// only in the keyring.
const passwordsFile = "relay-passwords.json"

var (
	// ErrBadLabel means a password label cannot be used.
	ErrBadLabel = advice.Sentinel(advice.Failure, "invalid password label")
	// ErrLabelTaken means the account already has a password with that label.
	ErrLabelTaken = advice.Sentinel(advice.Failure, "password label already used")
	// ErrNoPassword means the account has no relay password with that label.
	ErrNoPassword = advice.Sentinel(advice.Failure, "no such relay password")
	// ErrLoginRefused means the address and relay password do not match.
	ErrLoginRefused = advice.Sentinel(advice.Failure, "relay login refused")
)

// Entry is one relay password, without the password.
type Entry struct {
	Account  string    `json:"account"`
	Label    string    `json:"label"`
	Created  time.Time `json:"created"`
	LastUsed time.Time `json:"last_used,omitzero"`
}

// Keyring is what the password store needs of the keyring: the relay
// passwords of an account by label (engine.SideKeyring has it).
type Keyring interface {
	Get(ctx context.Context, account, label string) (string, error)
	Set(ctx context.Context, account, label, value string) error
	Delete(ctx context.Context, account, label string) error
}

// Passwords keeps the relay passwords: the labels in a file of the config
// dir, the passwords in the keyring.
type Passwords struct {
	dir     string
	keyring Keyring
	// Now is the clock.
	Now func() time.Time

	mu       sync.Mutex
	lastSave map[string]time.Time // last-used writes, at most one a minute per label
}

// newPasswords returns the store over the config dir and the keyring.
func newPasswords(dir string, k Keyring) *Passwords {
	return &Passwords{dir: dir, keyring: k, Now: time.Now, lastSave: map[string]time.Time{}}
}

// keyringPart names the relay passwords' items in the keyring:
// relay-password/LABEL.
const keyringPart = "relay-password"

// PasswordsOf returns the relay passwords kept beside e's accounts: the
// labels in its config dir, the passwords in its keyring.
func PasswordsOf(e *engine.Engine) *Passwords {
	return newPasswords(e.Dir(), e.SideKeyring(keyringPart))
}

var labelRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$`)

func checkLabel(label string) error {
	if labelRE.MatchString(label) {
		return nil
	}
	return advice.Keyed(fmt.Errorf("%w: %q", ErrBadLabel, label), "relay.bad_label", advice.Data{"Label": fmt.Sprintf("%q", label)},
		"{{.Label}} cannot name a relay password",
		"Use up to 40 letters, digits, dots, dashes or underscores, such as scanner or nas-backup")
}

// newPassword returns a random password: 20 letters and digits in groups
// of four (100 bits), easy to type into a device.
func newPassword() string {
	b := make([]byte, 13)
	_, _ = rand.Read(b)
	s := strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))[:20]
	return s[:4] + "-" + s[4:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:20]
}

func (p *Passwords) path() string { return filepath.Join(p.dir, passwordsFile) }

// locked runs f with the file's entries under a cross-process lock, and
// saves them when f changed them.
func (p *Passwords) locked(ctx context.Context, f func(list *[]Entry) (bool, error)) error {
	if err := os.MkdirAll(p.dir, 0o700); err != nil {
		return err
	}
	l := flock.New(p.path() + ".lock")
	lctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if ok, err := l.TryLockContext(lctx, 20*time.Millisecond); err != nil || !ok {
		return fmt.Errorf("lock %s: %v", l.Path(), err)
	}
	defer l.Unlock()
	list, err := p.read()
	if err != nil {
		return err
	}
	changed, err := f(&list)
	if err != nil || !changed {
		return err
	}
	b, err := json.MarshalIndent(list, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(p.path(), append(b, '\n'), 0o600)
}

func (p *Passwords) read() ([]Entry, error) {
	b, err := localfile.Read(p.path(), 1<<20) // labels and dates only
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var list []Entry
	if err := json.Unmarshal(b, &list); err != nil {
		return nil, advice.Keyed(fmt.Errorf("%s: %w", p.path(), err), "relay.passwords_damaged", advice.Data{"File": p.path()},
			"the list of relay passwords ({{.File}}) is damaged",
			"Delete the file, then create the relay passwords again")
	}
	return list, nil
}

// List returns the relay passwords of addr ("" for every account).
func (p *Passwords) List(addr string) ([]Entry, error) {
	list, err := p.read()
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(list, func(e Entry) bool { return addr != "" && !strings.EqualFold(e.Account, addr) }), nil
}

// Add creates a relay password for the account addr, labelled for the device
// or program that will use it, and returns it: it is shown once, and kept
// only in the keyring.
func (p *Passwords) Add(ctx context.Context, addr, label string) (string, error) {
	if err := checkLabel(label); err != nil {
		return "", err
	}
	pw := newPassword()
	err := p.locked(ctx, func(list *[]Entry) (bool, error) {
		if slices.ContainsFunc(*list, func(e Entry) bool { return strings.EqualFold(e.Account, addr) && e.Label == label }) {
			return false, advice.Keyed(ErrLabelTaken, "relay.label_taken", advice.Data{"Label": label, "Address": addr},
				"{{.Address}} already has a relay password labelled {{.Label}}",
				"Choose another label, or revoke that password first").Then(advice.ActionRevokeRelayPassword)
		}
		if err := p.keyring.Set(ctx, addr, label, pw); err != nil {
			return false, err
		}
		*list = append(*list, Entry{Account: addr, Label: label, Created: p.Now().UTC().Truncate(time.Second)})
		return true, nil
	})
	return pw, err
}

// Remove revokes a relay password: the keyring item first, then its entry.
func (p *Passwords) Remove(ctx context.Context, addr, label string) error {
	return p.locked(ctx, func(list *[]Entry) (bool, error) {
		i := slices.IndexFunc(*list, func(e Entry) bool { return strings.EqualFold(e.Account, addr) && e.Label == label })
		if i < 0 {
			return false, advice.Keyed(ErrNoPassword, "relay.no_password", advice.Data{"Label": label, "Address": addr},
				"{{.Address}} has no relay password labelled {{.Label}}", "See the relay passwords it has").Then(advice.ActionSeeRelayPasswords)
		}
		if err := p.keyring.Delete(ctx, (*list)[i].Account, label); err != nil {
			return false, err
		}
		*list = slices.Delete(*list, i, i+1)
		return true, nil
	})
}

// Check returns the account and label whose relay password is password,
// for the login addr. Every label of the account is compared in constant
// time; ErrLoginRefused when none matches.
func (p *Passwords) Check(ctx context.Context, addr, password string) (Entry, error) {
	list, err := p.List(addr)
	if err != nil {
		return Entry{}, err
	}
	var found *Entry
	for i, e := range list {
		want, err := p.keyring.Get(ctx, e.Account, e.Label)
		if errors.Is(err, secret.ErrNotFound) {
			continue
		}
		if err != nil {
			return Entry{}, err
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(password)) == 1 && found == nil {
			found = &list[i]
		}
	}
	if found == nil {
		return Entry{}, ErrLoginRefused
	}
	p.used(ctx, *found)
	return *found, nil
}

// used records that e was used, at most once a minute.
func (p *Passwords) used(ctx context.Context, e Entry) {
	now := p.Now().UTC()
	key := strings.ToLower(e.Account) + "/" + e.Label
	p.mu.Lock()
	if now.Sub(p.lastSave[key]) < time.Minute {
		p.mu.Unlock()
		return
	}
	p.lastSave[key] = now
	p.mu.Unlock()
	_ = p.locked(ctx, func(list *[]Entry) (bool, error) {
		for i := range *list {
			if strings.EqualFold((*list)[i].Account, e.Account) && (*list)[i].Label == e.Label {
				(*list)[i].LastUsed = now.Truncate(time.Second)
				return true, nil
			}
		}
		return false, nil
	})
}

// RemoveAccount revokes every relay password of the account addr (when the
// account is removed) and returns their labels: each keyring item first,
// then the entries.
func (p *Passwords) RemoveAccount(ctx context.Context, addr string) ([]string, error) {
	var labels []string
	err := p.locked(ctx, func(list *[]Entry) (bool, error) {
		var keep []Entry
		var err error
		for _, e := range *list {
			if !strings.EqualFold(e.Account, addr) || err != nil {
				keep = append(keep, e)
				continue
			}
			if derr := p.keyring.Delete(ctx, e.Account, e.Label); derr != nil && !errors.Is(derr, secret.ErrNotFound) {
				err = derr // keep this entry and the rest: a later removal retries them
				keep = append(keep, e)
				continue
			}
			labels = append(labels, e.Label)
		}
		changed := len(keep) != len(*list)
		*list = keep
		return changed, err
	})
	return labels, err
}
