// Package setup remembers how far the user got in the guided setup (the
// Google Cloud console checklist), so that closing and reopening mailkey
// resumes at the same step. It holds no secret.
package setup

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"

	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/internal/atomicfile"
	"github.com/mailkey-app/mailkey/app/internal/localfile"
)

// FileName is the progress file's name inside the config dir.
const FileName = "setup.json"

// Progress is the state of the OAuth checklist.
type Progress struct {
	// ProjectID is the Google Cloud project ID the user typed at step 1.
	ProjectID string `json:"project_id,omitempty"`
	// Done holds the IDs of the steps ticked as done.
	Done map[string]bool `json:"done,omitempty"`
	// Step is the ID of the step the user was on.
	Step string `json:"step,omitempty"`
	// Flagged holds the steps an account's health checks found not done,
	// with the check's finding as a short reason.
	Flagged map[string]string `json:"flagged,omitempty"`
}

// Verify records what a health check proved about step id: done ticks it
// and clears its flag; not done unticks it and flags it with reason.
func (p *Progress) Verify(id string, done bool, reason string) {
	if p.Done == nil {
		p.Done = map[string]bool{}
	}
	if done {
		p.Done[id] = true
		delete(p.Flagged, id)
		return
	}
	delete(p.Done, id)
	if p.Flagged == nil {
		p.Flagged = map[string]string{}
	}
	p.Flagged[id] = reason
}

// Store keeps Progress in one JSON file.
type Store struct{ path string }

// NewStore returns the store in dir.
func NewStore(dir string) *Store { return &Store{path: filepath.Join(dir, FileName)} }

// MaxFileBytes is the largest progress file Load reads; a real one holds a
// few hundred bytes.
const MaxFileBytes = 1 << 20

// Load returns the saved progress. A missing, unreadable or damaged file, or
// something other than a regular file in its place (a named pipe, a device,
// a folder), gives empty progress at once.
func (s *Store) Load() Progress {
	var p Progress
	data, err := localfile.Read(s.path, MaxFileBytes)
	if err == nil {
		p = parse(data)
	}
	if p.Done == nil {
		p.Done = map[string]bool{}
	}
	return p
}

// parse reads a progress file's content; what does not parse is dropped.
func parse(data []byte) Progress {
	var p Progress
	if json.Unmarshal(data, &p) != nil {
		return Progress{}
	}
	return p
}

// Save writes p atomically.
func (s *Store) Save(p Progress) error {
	data, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(s.path), 0o700); err != nil && !errors.Is(err, os.ErrExist) {
		return advice.Keyed(err, "setup.create_dir", advice.Data{"Dir": filepath.Dir(s.path)},
			"cannot create {{.Dir}}", "Check its permissions")
	}
	if err := atomicfile.Write(s.path, append(data, '\n'), 0o600); err != nil {
		return advice.Keyed(err, "setup.save_failed", nil, "cannot save the setup progress", "Check free disk space and permissions")
	}
	return nil
}
