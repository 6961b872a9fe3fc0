package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/mailkey-app/mailkey/app/google"
	"github.com/mailkey-app/mailkey/app/setup"
)

// checklistCard is one console step: what to do, why, the pitfall, a link
// to the console page and a Done tick.
type checklistCard struct {
	step google.Step
	card *widget.Card
	open *button // nil when the step has no page
	done *widget.Check
	// doneNext ticks the step and goes on to the next one (the sign-in
	// after the last): one click where Done and Next took two.
	doneNext *button
	// flag shows why an account's health checks found the step not done.
	flag       *fyne.Container
	flagReason *widget.Label
	flagged    setup.Flag // the finding on show, as loaded (an old file's sentence too); zero for none
}

// setFlag shows what a health check found as the step's warning line,
// worded in the current language, or hides it for the zero Flag.
func (c *checklistCard) setFlag(f setup.Flag) {
	c.flagged = f
	if f.Finding == "" {
		c.flagReason.SetText("")
		c.flag.Hide()
		return
	}
	c.flagReason.SetText(flagText(f))
	c.flag.Show()
}

// flagText words a flag: the finding when this mailkey knows it, an old
// file's flag with its sentence as it was saved, else (a newer mailkey's
// finding) that a check found the step not done.
func flagText(f setup.Flag) string {
	what := f.OldSentence()
	if what == "" {
		found, ok := engine.FindingText(f)
		if !ok {
			return tr("checklist.flagged_unknown", "An account's health check found this step not done.")
		}
		what, _ = localText(found)
	}
	return tr("checklist.flagged", "The health check of your account found this step not done: {{.Reason}}",
		map[string]any{"Reason": sentence(what)})
}

// checklistClientNote explains, on the client step, why the Web application
// client of server guides cannot work for mailkey.
const checklistClientNoteEN = "Why not a “Web application” client, as in the SeaTable or Odoo guides? " +
	"Those guides set up a server, and a Web application client works only with the exact redirect address registered for it. " +
	"mailkey runs on your computer and receives Google's answer on 127.0.0.1 at a random port that changes at every sign-in, " +
	"so a Web application client would end in “redirect_uri_mismatch”. A Desktop app client accepts any such port."

// newCard builds the card of step i.
func (s *checklist) newCard(i int, st google.Step) *checklistCard {
	c := &checklistCard{step: st}
	c.done = widget.NewCheck(tr("checklist.done", "Done"), func(done bool) {
		if done && !s.applying {
			c.setFlag(setup.Flag{}) // the user says it is done now
		}
		s.onDone(done)
	})
	c.flagReason = para("")
	c.flagReason.Importance = widget.WarningImportance
	c.flag = container.NewBorder(nil, nil, container.NewVBox(widget.NewIcon(theme.WarningIcon())), nil, c.flagReason)
	c.flag.Hide()

	parts := []fyne.CanvasObject{c.flag, checklistSubheading(tr("checklist.what_to_do", "What to do")), para(st.Do)}
	if st.ID == "project" {
		parts = append(parts, s.project.objects()...)
	}
	parts = append(parts, checklistSubheading(tr("checklist.why", "Why")), para(st.Why))
	if st.Pitfall != "" {
		parts = append(parts, checklistPitfall(st.Pitfall))
	}
	if st.ID == "client" {
		parts = append(parts, para(tr("checklist.client_note", checklistClientNoteEN)))
	}
	if st.Workspace != "" {
		parts = append(parts, checklistSubheading(tr("checklist.workspace", "Work or school address?")), para(st.Workspace))
	}
	actions := container.NewHBox()
	if st.URL != "" {
		c.open = newButtonWithIcon(s.g, tr("checklist.open_in_browser", "Open in browser"), theme.ComputerIcon(), func() { s.onOpen(i) })
		actions.Add(c.open)
	}
	doneText := tr("checklist.done_next", "Done, next step")
	if i == len(s.steps)-1 {
		doneText = tr("checklist.done_continue", "Done, continue with the client ID and secret")
	}
	c.doneNext = newButtonWithIcon(s.g, doneText, theme.ConfirmIcon(), func() { s.onDoneNext(i) })
	actions.Add(c.doneNext)
	actions.Add(c.done)
	c.setPrimary(false)
	parts = append(parts, actions)

	title := tr("checklist.step_title", "Step {{.N}} of {{.Total}}: {{.Title}}", map[string]any{"N": i + 1, "Total": len(s.steps), "Title": st.Title})
	c.card = widget.NewCard(title, "", container.NewVBox(parts...))
	return c
}

// setPrimary makes the step's one blue button "Open in browser" until the
// page was opened, then "Done, next step" (issue 11: one obvious next action).
func (c *checklistCard) setPrimary(opened bool) {
	c.doneNext.Importance = widget.HighImportance
	if c.open != nil && !opened && !c.done.Checked {
		c.open.Importance = widget.HighImportance
		c.doneNext.Importance = widget.MediumImportance
	} else if c.open != nil {
		c.open.Importance = widget.MediumImportance
		c.open.Refresh()
	}
	if c.open != nil {
		c.open.Refresh()
	}
	c.doneNext.Refresh()
}

// primary is the step's blue button, the one that takes the focus.
func (c *checklistCard) primary() *button {
	if c.open != nil && c.open.Importance == widget.HighImportance {
		return c.open
	}
	return c.doneNext
}

func checklistSubheading(text string) *widget.Label {
	return widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

// checklistPitfall shows a step's pitfall with a warning icon, in the warning colour.
func checklistPitfall(text string) fyne.CanvasObject {
	l := para(text)
	l.Importance = widget.WarningImportance
	icon := widget.NewIcon(theme.WarningIcon())
	return container.NewBorder(nil, nil, container.NewVBox(icon), nil, l)
}
