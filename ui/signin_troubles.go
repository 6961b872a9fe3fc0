package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mailkey-app/mailkey/app/google"
)

// pageTroubles says, while mailkey waits for the browser, what to do if Google
// shows one of its own error pages: those never come back to mailkey
// (GOOGLE.md), so the advice has to be on screen before they happen. It is
// compact, a line and a folded list, so that it shows without scrolling.
type pageTroubles struct {
	box   *fyne.Container
	intro *widget.Label
	list  *widget.Accordion
	// links are the list's console buttons, by entry ID, for tests.
	links map[string]*button
}

// newPageTroubles makes the advice; projectOf gives the project its console links open.
func newPageTroubles(g *gui, projectOf func() string) *pageTroubles {
	p := &pageTroubles{list: widget.NewAccordion(), links: map[string]*button{}}
	p.intro = para(tr("signin.wait_pages", "If Google shows an error page instead of coming back here, mailkey hears nothing. "+
		"Find the error below, follow its advice, then click Cancel and sign in again."))
	p.intro.Importance = widget.WarningImportance
	for _, t := range google.SignInPageTroubles() {
		lt := localTrouble(t)
		detail := container.NewVBox(para(lt.Cause), para(lt.Fix))
		if t.Link != "" {
			b := newButtonWithIcon(g, tr("signin.wait_open", "Open the page in your project"), theme.ComputerIcon(), func() {
				g.open(t.LinkFor(projectOf()))
			})
			p.links[t.ID] = b
			detail.Add(container.NewHBox(b))
		}
		p.list.Append(widget.NewAccordionItem(t.Page, detail))
	}
	p.box = container.NewVBox(p.intro, p.list)
	return p
}
