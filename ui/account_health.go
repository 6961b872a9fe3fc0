package ui

import (
	"context"
	"errors"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/mailkey-app/mailkey/app/oauth"
	"github.com/mailkey-app/mailkey/app/setup"
)

// healthTimeout bounds one run of the checks.
const healthTimeout = time.Minute

// healthCard is the account screen's "Health" card: engine.Doctor's checks
// with ✓/✗ icons, what was found, the fix and its link, and "Check again".
// The checks run on request: they log in to Gmail and call its API, which
// opening the screen should not do every time (Gmail limits login attempts).
type healthCard struct {
	g    *gui
	addr string
	run  cancellable

	card     *widget.Card
	list     *fyne.Container
	again    *button
	signIn   *button
	activity *widget.Activity
	// note shows a failure to run the checks at all.
	note *widget.Label
	// client warns about the OAuth client, idle or deleted (account_client.go).
	client *clientNotice
	// checks are the results on show.
	checks []engine.Check
}

func newHealthCard(g *gui, addr string) *healthCard {
	h := &healthCard{g: g, addr: addr, list: container.NewVBox(), activity: widget.NewActivity(), note: para(""), client: newClientNotice(g)}
	h.note.Importance = widget.DangerImportance
	h.note.Hide()
	h.again = newButtonWithIcon(h.g, tr("health.run", "Run the checks"), theme.ViewRefreshIcon(), h.onCheckAgain)
	h.signIn = newButtonWithIcon(h.g, tr("compose.sign_in_again", "Sign in again"), theme.LoginIcon(), func() { h.g.showSignIn(h.addr) })
	h.signIn.Importance = widget.HighImportance
	h.signIn.Hide()
	h.activity.Hide()
	h.card = widget.NewCard(tr("health.title", "Health"), tr("health.subtitle", "What mailkey can check with this account's sign-in"),
		container.NewVBox(h.client.idle, h.client.deleted, h.list, h.note, container.NewHBox(h.again, h.signIn, h.activity)))
	return h
}

// showAccount shows, above the checks, what the saved account says about
// its OAuth client: deleted by Google (the last refresh said
// deleted_client), or unused long enough that Google may delete it.
func (h *healthCard) showAccount(in engine.Info, now time.Time) {
	h.client.showAccount(in, now, in.NeedsSignIn && in.SignInCause == account.CauseClientDeleted)
}

// onCheckAgain runs the checks off the UI goroutine.
func (h *healthCard) onCheckAgain() {
	ctx, cancel := context.WithTimeout(h.run.start(), healthTimeout)
	h.again.Disable()
	h.activity.Show()
	h.activity.Start()
	run(h.g.tasks, func() ([]engine.Check, error) {
		defer cancel()
		return h.g.eng.Doctor(ctx, h.addr)
	}, h.onChecked)
}

func (h *healthCard) onChecked(checks []engine.Check, err error) {
	h.again.SetText(tr("health.again", "Check again"))
	h.activity.Stop()
	h.activity.Hide()
	h.again.Enable()
	h.note.Hide()
	h.signIn.Hide()
	if err != nil {
		h.note.SetText(errorText(err))
		h.note.Show()
		h.card.Refresh()
		return
	}
	h.checks = checks
	h.verifyChecklist(checks)
	rows := make([]fyne.CanvasObject, 0, len(checks))
	deleted := false
	for _, c := range checks {
		rows = append(rows, h.row(c))
		if c.Failed() && c.SignIn {
			h.signIn.Show()
		}
		deleted = deleted || c.Failed() && errors.Is(c.Err, oauth.ErrClientDeleted)
	}
	h.client.showDeleted(deleted)
	h.list.Objects = rows
	h.list.Refresh()
	h.card.Refresh()
}

// healthLine is a check's first line: its mark and title.
func healthLine(c engine.Check) string {
	switch {
	case c.OK:
		return "✓ " + healthTitle(c)
	case c.Skipped:
		return "– " + healthTitle(c)
	}
	return "✗ " + healthTitle(c)
}

// healthTitle is a check's title in the chosen language.
func healthTitle(c engine.Check) string {
	switch c.ID {
	case engine.CheckScope:
		return tr("health.scope.title", c.Title)
	case engine.CheckAPI:
		return tr("health.api.title", c.Title)
	case engine.CheckAddress:
		return tr("health.address.title", c.Title)
	case engine.CheckSMTP:
		return tr("health.smtp.title", c.Title)
	case engine.CheckClient:
		return tr("health.client.title", c.Title)
	}
	return c.Title
}

// localCheck returns what a check found and its fix, in the chosen language.
func localCheck(c engine.Check) (detail, fix string) {
	if c.Text.What == "" && c.Text.Next == "" { // a check made without a text
		return c.Detail, c.Fix
	}
	detail, fix = localText(c.Text)
	if fix == "" && c.Fix != "" && c.SignIn {
		fix = tr("health.fix.sign_in", "Sign in again")
	}
	return detail, fix
}

func (h *healthCard) row(c engine.Check) fyne.CanvasObject {
	var icon fyne.Resource = theme.NewSuccessThemedResource(theme.ConfirmIcon())
	switch {
	case c.Skipped:
		icon = theme.InfoIcon()
	case !c.OK:
		icon = theme.NewErrorThemedResource(theme.ErrorIcon())
	}
	title := widget.NewLabelWithStyle(healthLine(c), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	body := container.NewVBox(title)
	detail, fixText := localCheck(c)
	if detail != "" {
		body.Add(para(sentence(detail)))
	}
	if c.Failed() && fixText != "" {
		fix := para(sentence(fixText))
		fix.Importance = widget.WarningImportance
		body.Add(fix)
	}
	if c.Failed() && c.Link != "" {
		link := c.Link
		body.Add(container.NewHBox(newButtonWithIcon(h.g, tr("health.open_console", "Open in the console"), theme.ComputerIcon(), func() { h.g.open(link) })))
	}
	return container.NewBorder(nil, nil, container.NewVBox(widget.NewIcon(icon)), nil, body)
}

// verifyChecklist ticks or flags the console-checklist steps that the checks
// prove done or not done, in the saved setup progress, off the UI goroutine.
func (h *healthCard) verifyChecklist(checks []engine.Check) {
	f := engine.ConsoleFindings(checks)
	if len(f.Done) == 0 && len(f.NotDone) == 0 {
		return
	}
	run(h.g.tasks, func() (struct{}, error) {
		return struct{}{}, h.g.progress.Update(func(p *setup.Progress) {
			for _, id := range f.Done {
				p.Verify(id, true, setup.Flag{})
			}
			for id, flag := range f.NotDone {
				p.Verify(id, false, flag) // what the check found; the checklist words it
			}
		})
	}, func(_ struct{}, err error) {
		if err != nil {
			fyne.LogError("Could not save the checklist progress", err)
		}
	})
}
