// Package setup remembers how far the user got in the guided setup (the
// Google Cloud console checklist), so that closing and reopening mailkey
// resumes at the same step. It holds no secret.
package setup

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/gofrs/flock"

	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/internal/atomicfile"
	"github.com/mailkey-app/mailkey/app/internal/localfile"
)

// fileName is the progress file's name inside the config dir.
const fileName = "setup.json"

// Progress is the state of the OAuth checklist.
type Progress struct {
	// ProjectID is the Google Cloud project ID the user typed at step 1.
	ProjectID string `json:"project_id,omitempty"`
	// Done holds the IDs of the steps ticked as done.
	Done map[string]bool `json:"done,omitempty"`
	// Step is the ID of the step the user was on.
	Step string `json:"step,omitempty"`
	// Flagged holds the steps an account's health checks found not done,
	// with what the check found.
	Flagged map[string]Flag `json:"flagged,omitempty"`
}

// Finding is what a health check found about a console step: a stable code
// saved in the progress file, which the GUI words in its language when it
// shows it; the file holds no sentence, but for a flag kept as an old file
// saved it (Flag.OldSentence).
type Finding string

// The findings about a console step.
const (
	// FindingAPIOff: the Gmail API answered that it is turned off in the
	// project (Flag.Project, when known).
	FindingAPIOff Finding = "gmail_api_off"
	// FindingUnknown: a finding this mailkey cannot word: a code a newer
	// mailkey saved, or an old file's sentence (Flag.OldSentence words it).
	FindingUnknown Finding = "unknown"
)

// Flag is why a step is flagged: what an account's health check found, and
// the data its wording needs.
type Flag struct {
	Finding Finding `json:"finding"`
	// Project is the Google Cloud project the finding names, or "".
	Project string `json:"project,omitempty"`
	// oldSentence is the finding's English sentence, as a file written
	// before flags were typed saved it; "" for every other flag. Only
	// UnmarshalJSON sets it, so a new health check's flag never has one.
	oldSentence string
}

// OldSentence is the finding's sentence of a flag read from a file written
// before flags were typed, shown as it was saved; "" for a typed flag.
func (f Flag) OldSentence() string { return f.oldSentence }

// UnmarshalJSON reads a flag, or in a file written before flags were typed
// the finding's sentence, which becomes FindingUnknown with the sentence
// kept (OldSentence); an empty sentence is no flag.
func (f *Flag) UnmarshalJSON(b []byte) error {
	var sentence string
	if json.Unmarshal(b, &sentence) == nil {
		*f = Flag{}
		if sentence != "" {
			f.Finding, f.oldSentence = FindingUnknown, sentence
		}
		return nil
	}
	type plain Flag // without this method
	return json.Unmarshal(b, (*plain)(f))
}

// MarshalJSON writes a flag in its typed form, or an old file's flag as it
// was, its sentence, so that upgrading loses nothing: it stays until a
// health check replaces it (Verify) or the step is ticked.
func (f Flag) MarshalJSON() ([]byte, error) {
	if f.oldSentence != "" {
		return json.Marshal(f.oldSentence)
	}
	type plain Flag // without this method
	return json.Marshal(plain(f))
}

// Verify records what a health check proved about step id: done ticks it
// and clears its flag; not done unticks it and flags it with what the check
// found (FindingUnknown when flag names nothing).
func (p *Progress) Verify(id string, done bool, flag Flag) {
	if p.Done == nil {
		p.Done = map[string]bool{}
	}
	if done {
		p.Done[id] = true
		delete(p.Flagged, id)
		return
	}
	delete(p.Done, id)
	if flag.Finding == "" {
		flag.Finding = FindingUnknown
	}
	if p.Flagged == nil {
		p.Flagged = map[string]Flag{}
	}
	p.Flagged[id] = flag
}

// Store keeps Progress in one JSON file. Like the accounts file, every
// change happens under an exclusive lock on setup.json.lock and is written
// atomically, so that two windows or two mailkeys never lose each other's
// steps and a crash leaves the old file or the new one.
type Store struct{ path string }

// NewStore returns the store in dir.
func NewStore(dir string) *Store { return &Store{path: filepath.Join(dir, fileName)} }

// maxFileBytes is the largest progress file Load reads; a real one holds a
// few hundred bytes.
const maxFileBytes = 1 << 20

// Load returns the saved progress. A missing, unreadable or damaged file, or
// something other than a regular file in its place (a named pipe, a device,
// a folder), gives empty progress at once.
func (s *Store) Load() Progress {
	var p Progress
	data, err := localfile.Read(s.path, maxFileBytes)
	if err == nil {
		p = parse(data)
	}
	if p.Done == nil {
		p.Done = map[string]bool{}
	}
	return p
}

// parse reads a progress file's content; what does not parse is dropped,
// and so is a flag without a finding (null, "" or {}).
func parse(data []byte) Progress {
	var p Progress
	if json.Unmarshal(data, &p) != nil {
		return Progress{}
	}
	for id, f := range p.Flagged {
		if f.Finding == "" {
			delete(p.Flagged, id)
		}
	}
	return p
}

// Save writes p atomically.
func (s *Store) Save(p Progress) error {
	return s.locked(func() error { return s.write(p) })
}

// Update reads the progress, lets fn change it and saves the result, all
// under the lock.
func (s *Store) Update(fn func(*Progress)) error {
	return s.locked(func() error {
		p := s.Load()
		fn(&p)
		return s.write(p)
	})
}

// lockWait is how long a change waits for another holder of the lock.
var lockWait = 10 * time.Second

// locked runs fn holding the lock, after creating the directory and
// deleting the temporary files of a save that a crash interrupted.
func (s *Store) locked(fn func() error) error {
	dir := filepath.Dir(s.path)
	if err := os.MkdirAll(dir, 0o700); err != nil && !errors.Is(err, os.ErrExist) {
		return advice.Keyed(err, "setup.create_dir", advice.Data{"Dir": dir},
			"cannot create {{.Dir}}", "Check its permissions")
	}
	l := flock.New(s.path + ".lock")
	ctx, cancel := context.WithTimeout(context.Background(), lockWait)
	defer cancel()
	ok, err := l.TryLockContext(ctx, 20*time.Millisecond)
	if err != nil || !ok {
		return advice.Keyed(fmt.Errorf("lock %s: %v", l.Path(), err), "setup.locked", nil,
			"another mailkey kept the setup progress locked for more than 10 seconds", "Try again in a moment")
	}
	defer func() { _ = l.Unlock() }()
	stale, _ := filepath.Glob(s.path + ".tmp-*") // only the lock's holder writes
	for _, name := range stale {
		_ = os.Remove(name)
	}
	return fn()
}

// write saves p atomically; the lock is held.
func (s *Store) write(p Progress) error {
	data, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return err
	}
	if err := atomicfile.Write(s.path, append(data, '\n'), 0o600); err != nil {
		return advice.Keyed(err, "setup.save_failed", nil, "cannot save the setup progress", "Check free disk space and permissions")
	}
	return nil
}
