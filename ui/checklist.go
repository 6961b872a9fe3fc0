package ui

import (
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mailkey-app/mailkey/app/google"
	"github.com/mailkey-app/mailkey/app/setup"
)

// checklist walks the user through the Google Cloud console, one step card at
// a time. The project ID, the ticked steps and the step on show are saved
// after every change, so that reopening mailkey resumes at the same step.
type checklist struct {
	g     *gui
	steps []google.Step
	cards []*checklistCard

	body        *fyne.Container // the card on show, or the loading note
	scroll      *container.Scroll
	loading     *widget.Activity
	projectID   *entry
	projectHint *widget.Label
	progress    *widget.Label
	saveError   *widget.Label
	back        *button
	next        *button
	cont        *button

	current  int
	loaded   bool // the saved progress has been applied; only then are changes saved
	applying bool // widgets are being set from the saved progress, not by the user

	saveSeq  int        // UI goroutine: number of the latest save asked for
	saveMu   sync.Mutex // orders the saves on disk
	savedSeq int        // under saveMu: number of the latest save written
}

func newChecklist(g *gui) *checklist {
	s := &checklist{g: g, steps: localSteps(google.ConsoleSteps)}
	s.projectID = newEntry(g)
	s.projectID.SetPlaceHolder("mailkey-123456")
	s.projectID.OnChanged = s.onProjectID
	s.projectHint = para("")
	s.progress = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.saveError = para("")
	s.saveError.Importance = widget.DangerImportance
	s.saveError.Hide()
	s.back = newButtonWithIcon(s.g, tr("checklist.back", "Back"), theme.NavigateBackIcon(), s.onBack)
	s.next = newButtonWithIcon(s.g, tr("checklist.next", "Next"), theme.NavigateNextIcon(), s.onNext)
	s.next.IconPlacement = widget.ButtonIconTrailingText
	s.cont = newButtonWithIcon(s.g, tr("checklist.continue", "I have the client ID and secret — continue"), theme.ConfirmIcon(), s.onContinue)
	for i, st := range s.steps {
		s.cards = append(s.cards, s.newCard(i, st))
	}
	s.loading = widget.NewActivity()
	s.body = container.NewStack(container.NewHBox(s.loading, widget.NewLabel(tr("checklist.loading", "Loading your progress…"))))
	s.scroll = container.NewVScroll(s.body)
	s.back.Disable()
	s.next.Disable()
	s.updateProjectHint()
	s.updateProgress()
	return s
}

func (s *checklist) content() fyne.CanvasObject {
	intro := para(tr("checklist.intro", "These {{.Count}} steps in the Google Cloud console give you an OAuth client of your own. "+
		"They take about ten minutes. mailkey remembers where you are, so you can stop and come back later.", map[string]any{"Count": len(s.steps)}))
	top := container.NewVBox(heading(tr("checklist.title", "Set up your Google Cloud client")), intro, s.progress)
	nav := container.NewHBox(s.back, s.next, layout.NewSpacer(), s.cont)
	bottom := container.NewVBox(s.saveError, nav)
	s.loading.Start()
	return container.NewBorder(top, bottom, nil, nil, s.scroll)
}

// onLoad reads the saved progress off the UI goroutine and applies it.
func (s *checklist) onLoad() {
	run(s.g.tasks, func() (setup.Progress, error) { return s.g.progress.Load(), nil },
		func(p setup.Progress, _ error) { s.apply(p) })
}

// apply shows the saved progress without saving it again.
func (s *checklist) apply(p setup.Progress) {
	s.applying = true
	s.projectID.SetText(p.ProjectID)
	for _, c := range s.cards {
		c.done.SetChecked(p.Done[c.step.ID])
		c.setFlag(p.Flagged[c.step.ID])
	}
	s.applying = false
	s.loaded = true
	s.loading.Stop()
	s.showStep(s.stepIndex(p))
	if s.g.current == s && s.g.win.Canvas().Focused() == nil {
		s.g.win.Canvas().Focus(s.cards[s.current].primary()) // the keyboard starts at the step's next action
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
	s.current = i
	s.body.Objects = []fyne.CanvasObject{s.cards[i].card}
	s.body.Refresh()
	s.scroll.ScrollToTop()
	s.back.Enable()
	if i == 0 {
		s.back.Disable()
	}
	s.next.Enable()
	if i == len(s.steps)-1 {
		s.next.Disable()
	}
	s.cards[i].setPrimary(false)
}

func (s *checklist) onBack() {
	if s.loaded && s.current > 0 {
		s.showStep(s.current - 1)
		s.save()
	}
}

func (s *checklist) onNext() {
	if s.loaded && s.current < len(s.steps)-1 {
		s.showStep(s.current + 1)
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
	s.g.open(s.steps[i].Link(s.validProjectID()))
	s.cards[i].setPrimary(true)
	s.g.win.Canvas().Focus(s.cards[i].doneNext)
}

// onDone records that a step was ticked or unticked.
func (s *checklist) onDone(bool) {
	s.updateProgress()
	s.save()
}

func (s *checklist) onProjectID(string) {
	s.updateProjectHint()
	s.save()
}

// validProjectID is the typed project ID, or "" while it is not a valid one.
func (s *checklist) validProjectID() string {
	id := strings.TrimSpace(s.projectID.Text)
	if google.ValidProjectID(id) {
		return id
	}
	return ""
}

func (s *checklist) updateProjectHint() {
	id := strings.TrimSpace(s.projectID.Text)
	switch {
	case id == "":
		s.projectHint.Importance = widget.MediumImportance
		s.projectHint.SetText(tr("checklist.project_hint.empty", "If you type the project ID here, the links of the next steps open straight in this project."))
	case google.ValidProjectID(id):
		s.projectHint.Importance = widget.SuccessImportance
		s.projectHint.SetText(tr("checklist.project_hint.ok", "The links of the next steps will open the project {{.ID}}.", map[string]any{"ID": id}))
	default:
		s.projectHint.Importance = widget.WarningImportance
		s.projectHint.SetText(tr("checklist.project_hint.bad", "This is not a project ID. A project ID has 6 to 30 lowercase letters, digits and hyphens, "+
			"starts with a letter and looks like mailkey-123456. Copy it from under the project name, not the name itself."))
	}
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
	p := setup.Progress{ProjectID: strings.TrimSpace(s.projectID.Text), Done: map[string]bool{}, Step: s.steps[s.current].ID}
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

// save writes the progress off the UI goroutine. Saves may finish out of
// order; an older one never overwrites a newer one.
func (s *checklist) save() {
	if !s.loaded || s.applying {
		return
	}
	s.saveSeq++
	seq, p := s.saveSeq, s.snapshot()
	run(s.g.tasks, func() (struct{}, error) {
		s.saveMu.Lock()
		defer s.saveMu.Unlock()
		if seq < s.savedSeq {
			return struct{}{}, nil
		}
		s.savedSeq = seq
		return struct{}{}, s.g.progress.Save(p)
	}, func(_ struct{}, err error) {
		switch {
		case err != nil:
			s.saveError.SetText(errorText(err))
			s.saveError.Show()
		case s.saveError.Visible():
			s.saveError.Hide()
		}
	})
}

// onShown reads the saved progress once the screen is in the window.
func (s *checklist) onShown() { s.onLoad() }
