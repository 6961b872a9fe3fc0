// Package queue keeps outgoing mail on disk until the server accepted it: the
// messages the relay acknowledged, and those sendmail could not send at once.
//
// Each message is two files in the queue directory: ID.eml holds the message
// as it will be sent, ID.json its envelope and delivery state. Both are
// written to a temporary file, fsync'd and renamed, so a crash leaves either
// the whole message or none of it; a message is acknowledged only once its
// ID.json is on disk. The files hold mail, never credentials.
package queue

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/internal/atomicfile"
	"github.com/mailkey-app/mailkey/app/internal/localfile"
	"github.com/mailkey-app/mailkey/app/mail"
)

// States of a queued message.
const (
	// StateQueued waits for its next try.
	StateQueued = "queued"
	// StateHeld waits for the account's new sign-in.
	StateHeld = "held"
	// StateFailed was refused for good; it stays until retried or dropped.
	StateFailed = "failed"
)

var (
	// ErrNoSpace means the disk is full: nothing new can be queued.
	ErrNoSpace = advice.Sentinel(advice.Failure, "no space left for the queue")
	// ErrTooBig means a message is over the size the queue takes.
	ErrTooBig = advice.Sentinel(advice.Failure, "message too big for the queue")
	// ErrNotFound means no queued message has that ID.
	ErrNotFound = advice.Sentinel(advice.Failure, "no such queued message")
	// ErrDamaged means a queue file could not be read; it was set aside.
	ErrDamaged = advice.Sentinel(advice.Failure, "damaged queue file")
	// ErrUnusable means the queue directory cannot be created or written.
	ErrUnusable = advice.Sentinel(advice.Failure, "queue directory unusable")
)

// damagedDir is the subdirectory where unreadable queue files are set aside.
const damagedDir = "damaged"

// orphanAge is how old a message file without its envelope must be before
// it is removed: younger, it may be a message still being queued.
const orphanAge = 10 * time.Minute

// Item is one queued message: its envelope and delivery state.
type Item struct {
	ID        string    `json:"id"`
	Account   string    `json:"account"`
	From      string    `json:"from"`
	To        []string  `json:"to"`
	Size      int64     `json:"size"`
	MessageID string    `json:"message_id,omitempty"`
	Created   time.Time `json:"created"`
	State     string    `json:"state"`
	Attempts  int       `json:"attempts"`
	NextTry   time.Time `json:"next_try"`
	// HeldAt is when the account was found to need a new sign-in.
	HeldAt    time.Time `json:"held_at,omitzero"`
	LastError *Failure  `json:"last_error,omitempty"`
}

// Damaged is a queue file that could not be read and was set aside.
type Damaged struct {
	// Name is the file's name, now in the queue's damaged subdirectory
	// (damagedDir).
	Name string
	// Err says what is wrong with it.
	Err error
}

// Queue is the queue in one directory.
type Queue struct {
	dir string
	// Now is the clock.
	Now func() time.Time
	// Limit is the largest message taken, in bytes.
	Limit int64
	// createTemp creates the temporary file a message is written to (tests
	// give one on /dev/full to see a full disk).
	createTemp func(dir, pattern string) (*os.File, error)
}

// DefaultDir returns $XDG_STATE_HOME/mailkey/queue, or
// ~/.local/state/mailkey/queue when XDG_STATE_HOME is not set.
func DefaultDir() (string, error) {
	base := os.Getenv("XDG_STATE_HOME")
	if base == "" || !filepath.IsAbs(base) {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", advice.Keyed(fmt.Errorf("%w: %v", ErrUnusable, err), "queue.no_state_dir", nil,
				"cannot find your state directory for the mail queue", "Set $HOME or $XDG_STATE_HOME and try again")
		}
		base = filepath.Join(home, ".local", "state")
	}
	return filepath.Join(base, "mailkey", "queue"), nil
}

// OpenDefault returns the user's queue (DefaultDir), which takes messages
// up to Gmail's size.
func OpenDefault() (*Queue, error) {
	dir, err := DefaultDir()
	if err != nil {
		return nil, err
	}
	return Open(dir, mail.MaxRawBytes), nil
}

// Open returns the queue in dir; the directory is created on first write.
func Open(dir string, limit int64) *Queue {
	return &Queue{dir: dir, Now: time.Now, Limit: limit, createTemp: os.CreateTemp}
}

// Dir returns the queue's directory.
func (q *Queue) Dir() string { return q.dir }

var idRE = regexp.MustCompile(`^[0-9]{8}T[0-9]{6}-[0-9a-f]{8}$`)

// validID reports whether id has the form of a queue ID.
func validID(id string) bool { return idRE.MatchString(id) }

func (q *Queue) newID() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return q.Now().UTC().Format("20060102T150405") + "-" + hex.EncodeToString(b)
}

func (q *Queue) path(id, ext string) string { return filepath.Join(q.dir, id+ext) }

func (q *Queue) ensureDir() error {
	if err := os.MkdirAll(q.dir, 0o700); err != nil {
		return q.unusable(err)
	}
	return os.Chmod(q.dir, 0o700)
}

func (q *Queue) unusable(err error) error {
	if errors.Is(err, syscall.ENOSPC) {
		return advice.Keyed(fmt.Errorf("%w: %v", ErrNoSpace, err), "queue.disk_full", advice.Data{"Dir": q.dir},
			"the disk holding the mail queue ({{.Dir}}) is full", "Free some disk space, then send again")
	}
	return advice.Keyed(fmt.Errorf("%w: %w", ErrUnusable, err), "queue.dir_unusable", advice.Data{"Dir": q.dir},
		"cannot write the mail queue in {{.Dir}}", "Check that the directory is yours and writable, and that the disk has space")
}

// Add queues the message read from r (at most Limit bytes) for the envelope
// in it (ID, Created, State and Size are set here). It returns once both
// files are on disk and fsync'd: only then may the message be acknowledged.
func (q *Queue) Add(it Item, r io.Reader) (Item, error) {
	return q.add(it, r, nil)
}

// AddFailed is Add for a message whose first try failed with sendErr: it is
// queued as that try left it (held, or due after the first backoff).
func (q *Queue) AddFailed(it Item, r io.Reader, sendErr error) (Item, error) {
	return q.add(it, r, sendErr)
}

func (q *Queue) add(it Item, r io.Reader, sendErr error) (Item, error) {
	if err := q.ensureDir(); err != nil {
		return Item{}, err
	}
	it.ID, it.Created, it.State = q.newID(), q.Now().UTC(), StateQueued
	it.NextTry, it.Attempts, it.LastError, it.HeldAt = it.Created, 0, nil, time.Time{}
	if sendErr != nil {
		it = q.failed(it, sendErr)
	}
	tmp, err := q.createTemp(q.dir, ".incoming-*")
	if err != nil {
		return Item{}, q.unusable(err)
	}
	defer os.Remove(tmp.Name()) // a no-op after the rename
	n, err := q.fill(tmp, r)
	if err != nil {
		return Item{}, err
	}
	it.Size = n
	if err := os.Rename(tmp.Name(), q.path(it.ID, ".eml")); err != nil {
		return Item{}, q.unusable(err)
	}
	if err := q.save(it); err != nil {
		_ = os.Remove(q.path(it.ID, ".eml"))
		return Item{}, err
	}
	return it, nil
}

// fill copies the message from r into tmp, at most q.Limit bytes, syncs it
// and closes it. A failure of r is the sender's; one of tmp makes the queue
// unusable.
func (q *Queue) fill(tmp *os.File, r io.Reader) (int64, error) {
	n, err := io.Copy(tmp, io.LimitReader(r, q.Limit+1))
	if err == nil && n > q.Limit {
		err = advice.Keyed(fmt.Errorf("%w: over %d bytes", ErrTooBig, q.Limit), "queue.too_big",
			advice.Data{"Limit": q.Limit}, "the message is over the limit of {{.Limit}} bytes",
			"Remove or shrink attachments, or share large files by link")
	}
	var ae *advice.Error
	if err != nil && !errors.As(err, &ae) && !isWriteErr(err, tmp) {
		err = fmt.Errorf("reading the message: %w", err) // the sender's side failed
	} else if err != nil && !errors.As(err, &ae) {
		err = q.unusable(err)
	}
	if err == nil {
		err = tmp.Chmod(0o600)
	}
	if err == nil {
		if err = tmp.Sync(); err != nil {
			err = q.unusable(err)
		}
	}
	if cerr := tmp.Close(); err == nil && cerr != nil {
		err = q.unusable(cerr)
	}
	return n, err
}

// isWriteErr tells a failed write to f (the disk) from a failed read (the
// sender): io.Copy returns either.
func isWriteErr(err error, f *os.File) bool {
	var pe *os.PathError
	return errors.As(err, &pe) && pe.Path == f.Name()
}

// save writes the envelope atomically.
func (q *Queue) save(it Item) error {
	b, err := json.MarshalIndent(it, "", "  ")
	if err != nil {
		return err
	}
	if err := atomicfile.Write(q.path(it.ID, ".json"), append(b, '\n'), 0o600); err != nil {
		return q.unusable(err)
	}
	return nil
}

// Get returns the item with id.
func (q *Queue) Get(id string) (Item, error) {
	if !validID(id) {
		return Item{}, q.notFound(id)
	}
	it, err := q.read(id)
	if errors.Is(err, os.ErrNotExist) {
		return Item{}, q.notFound(id)
	}
	return it, err
}

func (q *Queue) notFound(id string) error {
	return advice.Keyed(ErrNotFound, "queue.not_found", advice.Data{"ID": id},
		"the queue holds no message {{.ID}}", "See the queued messages with 'mailkey queue'")
}

// maxItemFile bounds a message's JSON record (a few hundred bytes; 100
// recipients and the last error stay far below it).
const maxItemFile = 1 << 20

func (q *Queue) read(id string) (Item, error) {
	// A record that is not a regular file, or too large, is set aside as
	// damaged, not read whole (a link to /dev/zero, a named pipe).
	b, err := localfile.Read(q.path(id, ".json"), maxItemFile)
	if errors.Is(err, localfile.ErrNotRegular) || errors.Is(err, localfile.ErrTooLarge) {
		return Item{}, fmt.Errorf("%w: %s.json: %v", ErrDamaged, id, err)
	}
	if err != nil {
		return Item{}, err
	}
	var it Item
	if err := json.Unmarshal(b, &it); err != nil {
		return Item{}, fmt.Errorf("%w: %s.json: %v", ErrDamaged, id, err)
	}
	if it.ID != id || it.Account == "" || len(it.To) == 0 {
		return Item{}, fmt.Errorf("%w: %s.json lacks its envelope", ErrDamaged, id)
	}
	fi, err := os.Stat(q.path(id, ".eml"))
	if err != nil {
		return Item{}, fmt.Errorf("%w: %s.eml: %v", ErrDamaged, id, err)
	}
	if fi.Size() != it.Size {
		return Item{}, fmt.Errorf("%w: %s.eml is %d bytes, not %d", ErrDamaged, id, fi.Size(), it.Size)
	}
	return it, nil
}

// List returns the queued messages, oldest first. Files that cannot be read
// are moved to the damagedDir and returned apart, so that the others are
// still listed and sent. Message files left without an envelope by a crash
// are removed once they are old enough (they were never acknowledged).
func (q *Queue) List() ([]Item, []Damaged, error) {
	entries, err := os.ReadDir(q.dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, q.unusable(err)
	}
	var items []Item
	var damaged []Damaged
	has := map[string]bool{}
	for _, e := range entries {
		has[e.Name()] = true
	}
	for _, e := range entries {
		name := e.Name()
		id, ext := strings.TrimSuffix(name, filepath.Ext(name)), filepath.Ext(name)
		switch {
		case e.IsDir():
		case ext == ".json" && validID(id):
			it, err := q.read(id)
			if errors.Is(err, os.ErrNotExist) { // sent or dropped meanwhile
				continue
			}
			if err != nil {
				damaged = append(damaged, Damaged{Name: q.setAside(id), Err: err})
				continue
			}
			items = append(items, it)
		case ext == ".eml" && validID(id) && !has[id+".json"], strings.HasPrefix(name, ".incoming-"):
			q.removeIfOld(name)
		}
	}
	sort.Slice(items, func(i, j int) bool {
		if !items[i].Created.Equal(items[j].Created) {
			return items[i].Created.Before(items[j].Created)
		}
		return items[i].ID < items[j].ID
	})
	return items, damaged, nil
}

// setAside moves a damaged message's files to the damagedDir and returns
// the name it is kept under.
func (q *Queue) setAside(id string) string {
	dst := filepath.Join(q.dir, damagedDir)
	_ = os.MkdirAll(dst, 0o700)
	for _, ext := range []string{".json", ".eml"} {
		_ = os.Rename(q.path(id, ext), filepath.Join(dst, id+ext))
	}
	return filepath.Join(damagedDir, id+".json")
}

func (q *Queue) removeIfOld(name string) {
	p := filepath.Join(q.dir, name)
	if fi, err := os.Stat(p); err == nil && q.Now().Sub(fi.ModTime()) > orphanAge {
		_ = os.Remove(p)
	}
}

// Data returns the message of it, as it will be sent.
func (q *Queue) Data(it Item) ([]byte, error) {
	f, err := os.Open(q.path(it.ID, ".eml"))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, it.Size+1))
	if err == nil && int64(len(b)) != it.Size {
		err = fmt.Errorf("%s.eml is %d bytes, not %d", it.ID, len(b), it.Size)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	return b, nil
}

// Remove deletes a message: its envelope first, so that it is never sent
// again even if the crash comes between the two.
func (q *Queue) Remove(id string) error {
	if !validID(id) {
		return q.notFound(id)
	}
	if err := os.Remove(q.path(id, ".json")); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return q.notFound(id)
		}
		return q.unusable(err)
	}
	_ = os.Remove(q.path(id, ".eml"))
	syncDir(q.dir)
	return nil
}

// Retry makes a held or failed message due now.
func (q *Queue) Retry(id string) error {
	it, err := q.Get(id)
	if err != nil {
		return err
	}
	it.State, it.NextTry = StateQueued, q.Now().UTC()
	return q.save(it)
}

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}

// errAccountRemoved is the reason given to the queued messages of an
// account that was removed.
var errAccountRemoved = advice.Sentinel(advice.Failure, "account removed")

// FailAccount marks every message of the account addr that is not failed
// yet as failed, because the account was removed: they stay in the queue
// (nothing is deleted before a server accepted it) until dropped, or retried
// once the account is added again. It returns the messages it failed.
func (q *Queue) FailAccount(addr string) ([]Item, error) {
	items, _, err := q.List()
	if err != nil {
		return nil, err
	}
	reason := &Failure{Kind: FailAccountRemoved, Category: advice.CategoryOf(errAccountRemoved), Address: addr}
	var failed []Item
	for _, it := range items {
		if !strings.EqualFold(it.Account, addr) || it.State == StateFailed {
			continue
		}
		it.State, it.LastError = StateFailed, reason
		if err := q.save(it); err != nil {
			return failed, err
		}
		failed = append(failed, it)
	}
	return failed, nil
}
