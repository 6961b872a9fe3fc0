package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// checklistNav is the step card on show, or the loading note until the
// saved progress is read, with Back, Next and Continue under it.
type checklistNav struct {
	body             *fyne.Container // the card on show, or the loading note
	scroll           *container.Scroll
	loading          *widget.Activity
	back, next, cont *button
	current          int // the step on show
}

// newChecklistNav makes the area and its buttons, which run onBack, onNext
// and onContinue. Back and Next are off until a step is on show.
func newChecklistNav(g *gui, onBack, onNext, onContinue func()) *checklistNav {
	n := &checklistNav{loading: widget.NewActivity()}
	n.back = newButtonWithIcon(g, tr("checklist.back", "Back"), theme.NavigateBackIcon(), onBack)
	n.next = newButtonWithIcon(g, tr("checklist.next", "Next"), theme.NavigateNextIcon(), onNext)
	n.next.IconPlacement = widget.ButtonIconTrailingText
	n.cont = newButtonWithIcon(g, tr("checklist.continue", "I have the client ID and secret — continue"), theme.ConfirmIcon(), onContinue)
	n.body = container.NewStack(container.NewHBox(n.loading, widget.NewLabel(tr("checklist.loading", "Loading your progress…"))))
	n.scroll = container.NewVScroll(n.body)
	n.back.Disable()
	n.next.Disable()
	return n
}

// buttons is the row of Back, Next and Continue.
func (n *checklistNav) buttons() fyne.CanvasObject {
	return container.NewHBox(n.back, n.next, layout.NewSpacer(), n.cont)
}

// show puts card, step i of count, on show at its top and enables Back and
// Next where there is a step to go to.
func (n *checklistNav) show(i, count int, card fyne.CanvasObject) {
	n.current = i
	n.body.Objects = []fyne.CanvasObject{card}
	n.body.Refresh()
	n.scroll.ScrollToTop()
	n.back.Enable()
	if i == 0 {
		n.back.Disable()
	}
	n.next.Enable()
	if i == count-1 {
		n.next.Disable()
	}
}
