package ui

import (
	"sync"

	"fyne.io/fyne/v2/widget"

	"github.com/mailkey-app/mailkey/app/setup"
)

// checklistSaver writes the checklist's progress off the UI goroutine, in
// order, and shows why the last save failed until one succeeds.
type checklistSaver struct {
	g       *gui
	failure *widget.Label // hidden while the saves succeed

	seq   int        // UI goroutine: number of the latest save asked for
	mu    sync.Mutex // orders the saves on disk
	saved int        // under mu: number of the latest save written
}

func newChecklistSaver(g *gui) *checklistSaver {
	s := &checklistSaver{g: g, failure: para("")}
	s.failure.Importance = widget.DangerImportance
	s.failure.Hide()
	return s
}

// save writes p. Saves may finish out of order; an older one never
// overwrites a newer one.
func (s *checklistSaver) save(p setup.Progress) {
	s.seq++
	seq := s.seq
	run(s.g.tasks, func() (struct{}, error) {
		s.mu.Lock()
		defer s.mu.Unlock()
		if seq < s.saved {
			return struct{}{}, nil
		}
		s.saved = seq
		return struct{}{}, s.g.progress.Save(p)
	}, func(_ struct{}, err error) {
		switch {
		case err != nil:
			s.failure.SetText(errorText(err))
			s.failure.Show()
		case s.failure.Visible():
			s.failure.Hide()
		}
	})
}
