package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/mailkey-app/mailkey/app/google"
	"github.com/mailkey-app/mailkey/app/setup"
)

// checklist walks the user through the Google Cloud console, one step card at
// a time. The project ID, the ticked steps and the step on show are saved
// after every change, so that reopening mailkey resumes at the same step.
// Each part is a component of its own; the checklist holds the steps and
// what ties the parts together: whether the saved progress is applied.
type checklist struct {
	g     *gui
	steps []google.Step
	cards []*checklistCard // checklist_card.go
	// progress says how many steps are done.
	progress *widget.Label
	// project is the project ID on the first card (checklist_project.go).
	project *checklistProject
	// nav is the card on show with Back, Next and Continue (checklist_nav.go).
	nav *checklistNav
	// saver writes the progress in order and shows a failure (checklist_save.go).
	saver *checklistSaver

	loaded   bool // the saved progress has been applied; only then are changes saved
	applying bool // widgets are being set from the saved progress, not by the user
}

func newChecklist(g *gui) *checklist {
	s := &checklist{g: g, steps: localSteps(google.ConsoleSteps), saver: newChecklistSaver(g)}
	s.project = newChecklistProject(g, s.save)
	s.progress = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.nav = newChecklistNav(g, s.onBack, s.onNext, s.onContinue)
	for i, st := range s.steps {
		s.cards = append(s.cards, s.newCard(i, st))
	}
	s.updateProgress()
	return s
}

func (s *checklist) content() fyne.CanvasObject {
	intro := para(tr("checklist.intro", "These {{.Count}} steps in the Google Cloud console give you an OAuth client of your own. "+
		"They take about ten minutes. mailkey remembers where you are, so you can stop and come back later.", map[string]any{"Count": len(s.steps)}))
	top := container.NewVBox(heading(tr("checklist.title", "Set up your Google Cloud client")), intro, s.progress)
	bottom := container.NewVBox(s.saver.failure, s.nav.buttons())
	s.nav.loading.Start()
	return container.NewBorder(top, bottom, nil, nil, s.nav.scroll)
}

// onLoad reads the saved progress off the UI goroutine and applies it.
func (s *checklist) onLoad() {
	run(s.g.tasks, func() (setup.Progress, error) { return s.g.progress.Load(), nil },
		func(p setup.Progress, _ error) { s.apply(p) })
}

// apply shows the saved progress without saving it again.
func (s *checklist) apply(p setup.Progress) {
	s.applying = true
	s.project.entry.SetText(p.ProjectID)
	for _, c := range s.cards {
		c.done.SetChecked(p.Done[c.step.ID])
		c.setFlag(p.Flagged[c.step.ID])
	}
	s.applying = false
	s.loaded = true
	s.nav.loading.Stop()
	s.showStep(s.stepIndex(p))
	if s.g.stage.current == s && s.g.win.Canvas().Focused() == nil {
		s.g.win.Canvas().Focus(s.cards[s.nav.current].primary()) // the keyboard starts at the step's next action
	}
}

// stepIndex is the saved step, or else the first step not done yet.
func (s *checklist) stepIndex(p setup.Progress) int {
	for i, st := range s.steps {
		if st.ID == p.Step {
			return i
		}
	}
	for i, st := range s.steps {
		if !p.Done[st.ID] {
			return i
		}
	}
	return len(s.steps) - 1
}

// showStep puts card i on show and updates the navigation.
func (s *checklist) showStep(i int) {
	s.nav.show(i, len(s.steps), s.cards[i].card)
	s.cards[i].setPrimary(false)
}

func (s *checklist) onBack() {
	if s.loaded && s.nav.current > 0 {
		s.showStep(s.nav.current - 1)
		s.save()
	}
}

func (s *checklist) onNext() {
	if s.loaded && s.nav.current < len(s.steps)-1 {
		s.showStep(s.nav.current + 1)
		s.save()
	}
}

// onDoneNext ticks step i and shows the next one with the focus on its
// blue button, or goes on to the sign-in after the last step.
func (s *checklist) onDoneNext(i int) {
	if !s.loaded {
		return
	}
	s.cards[i].done.SetChecked(true) // saves
	if i == len(s.steps)-1 {
		s.onContinue()
		return
	}
	s.showStep(i + 1)
	s.save()
	s.g.win.Canvas().Focus(s.cards[i+1].primary())
}

// onContinue goes on to the client-file import.
func (s *checklist) onContinue() { s.g.showSignIn("") }

// onOpen opens step i's console page, in the user's project once its ID is
// known; back from the browser, "Done, next step" is the blue button and
// has the focus, so Enter finishes the step.
func (s *checklist) onOpen(i int) {
	s.g.open(s.steps[i].Link(s.project.valid()))
	s.cards[i].setPrimary(true)
	s.g.win.Canvas().Focus(s.cards[i].doneNext)
}

// onDone records that a step was ticked or unticked.
func (s *checklist) onDone(bool) {
	s.updateProgress()
	s.save()
}

func (s *checklist) updateProgress() {
	n := 0
	for _, c := range s.cards {
		if c.done.Checked {
			n++
		}
	}
	if n == len(s.cards) {
		s.progress.SetText(trn("checklist.progress.all", "All {{.Count}} steps are done. Continue with the client ID and secret.", n))
		return
	}
	s.progress.SetText(trn("checklist.progress", "{{.Count}} of {{.Total}} steps done.", n, map[string]any{"Total": len(s.cards)}))
}

// snapshot is the progress as the widgets show it.
func (s *checklist) snapshot() setup.Progress {
	p := setup.Progress{ProjectID: s.project.text(), Done: map[string]bool{}, Step: s.steps[s.nav.current].ID}
	for _, c := range s.cards {
		if c.done.Checked {
			p.Done[c.step.ID] = true
		}
		if c.flagged.Finding != "" {
			if p.Flagged == nil {
				p.Flagged = map[string]setup.Flag{}
			}
			p.Flagged[c.step.ID] = c.flagged
		}
	}
	return p
}

// save writes the progress as the widgets show it, once the saved one is
// applied and unless it is being applied.
func (s *checklist) save() {
	if !s.loaded || s.applying {
		return
	}
	s.saver.save(s.snapshot())
}

// onShown reads the saved progress once the screen is in the window.
func (s *checklist) onShown() { s.onLoad() }
