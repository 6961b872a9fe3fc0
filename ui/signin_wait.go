package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/google"
)

// signInWait says, while mailkey waits for the browser, what to do if Google
// shows one of its own error pages: those never come back to mailkey
// (GOOGLE.md), so the advice has to be on screen before they happen. It is
// compact, a line and a folded list, so that it shows without scrolling.
type signInWait struct {
	waitAdvice *fyne.Container
	waitIntro  *widget.Label
	troubles   *widget.Accordion
	// troubleLinks are the list's console buttons, by entry ID, for tests.
	troubleLinks map[string]*button
}

func (s *signIn) newWaitAdvice() {
	s.waitIntro = para(tr("signin.wait_pages", "If Google shows an error page instead of coming back here, mailkey hears nothing. "+
		"Find the error below, follow its advice, then click Cancel and sign in again."))
	s.waitIntro.Importance = widget.WarningImportance
	s.troubles = widget.NewAccordion()
	s.troubleLinks = map[string]*button{}
	for _, t := range google.SignInPageTroubles() {
		lt := localTrouble(t)
		detail := container.NewVBox(para(lt.Cause), para(lt.Fix))
		if t.Link != "" {
			b := newButtonWithIcon(s.g, tr("signin.wait_open", "Open the page in your project"), theme.ComputerIcon(), func() {
				s.g.open(t.LinkFor(s.projectOf()))
			})
			s.troubleLinks[t.ID] = b
			detail.Add(container.NewHBox(b))
		}
		s.troubles.Append(widget.NewAccordionItem(t.Page, detail))
	}
	s.waitAdvice = container.NewVBox(s.waitIntro, s.troubles)
}

// showWarning says which unverified-app warning Google will show: the
// Testing one, with Continue, unless the account was signed in as published.
func (s *signIn) showWarning() {
	if s.prepare2 == nil {
		s.prepare2, s.published = para(""), para("")
	}
	if s.publishing == account.Production {
		s.prepare2.SetText(tr("signin.prepare2.production", google.WarningProduction))
		s.published.Hide()
		return
	}
	s.prepare2.SetText(tr("signin.prepare2.testing", google.WarningTesting))
	s.published.SetText(tr("signin.prepare2.if_published", "If you already published the app (In production), the warning has no Continue button: "+
		"click Advanced, then “Go to … (unsafe)”."))
	s.published.Show()
}
