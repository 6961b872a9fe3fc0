package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mailkey-app/mailkey/app/google"
)

// apGuide is how to get an app password: the button to Google's App
// passwords page, and the folded steps with the way to 2-Step Verification
// and, where app passwords are not available, to OAuth instead.
type apGuide struct {
	g                *gui
	openTwoStep      *button
	openAppPasswords *button
	useOAuth         *button
}

func newAPGuide(g *gui) *apGuide {
	a := &apGuide{g: g}
	a.openTwoStep = newButton(g, tr("ap.open_security", "Open Google account security"), a.onOpenTwoStep)
	a.openAppPasswords = newButton(g, tr("ap.open_app_passwords", "Open the App passwords page"), a.onOpenAppPasswords)
	a.openAppPasswords.Icon = theme.ComputerIcon()
	a.useOAuth = newButton(g, tr("ap.use_oauth", "Set up OAuth instead"), a.onUseOAuth)
	return a
}

// objects are the guide's rows in the page: the button to Google's page,
// then the steps, folded.
func (a *apGuide) objects() []fyne.CanvasObject {
	steps := map[string]google.Step{}
	for _, st := range localSteps(google.AppPasswordSteps) {
		steps[st.ID] = st
	}
	two, create, enter := steps["two-step"], steps["app-password"], steps["enter"]
	howTo := widget.NewAccordion(widget.NewAccordionItem(tr("ap.steps", "How to get an app password"), container.NewVBox(
		widget.NewCard(fmt.Sprintf("1. %s", two.Title), "", container.NewVBox(
			para(two.Why), para(two.Do),
			para(tr("ap.two_step_on", "If 2-Step Verification is already on, go straight to step 2.")),
			container.NewHBox(a.openTwoStep))),
		widget.NewCard(fmt.Sprintf("2. %s", create.Title), "", container.NewVBox(
			para(create.Do), para(create.Why), para(create.Pitfall),
			para(tr("ap.not_available", "If the page is missing or says the setting is not available, the account can't have app passwords. "+
				"That is so with Advanced Protection and when the only second step is a security key; "+
				"on work or school accounts they are off unless the administrator allows them. "+
				"Set up OAuth with your own Google Cloud client instead.")),
			para(enter.Do),
			container.NewHBox(a.useOAuth))))))
	return []fyne.CanvasObject{container.NewHBox(a.openAppPasswords), howTo}
}

func (a *apGuide) onOpenTwoStep()      { a.g.open(google.TwoStepURL) }
func (a *apGuide) onOpenAppPasswords() { a.g.open(google.AppPasswordsURL) }
func (a *apGuide) onUseOAuth()         { a.g.showChecklist() }
