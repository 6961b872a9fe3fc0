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
	"github.com/mailkey-app/mailkey/app/google"
	"github.com/mailkey-app/mailkey/app/oauth"
	"github.com/mailkey-app/mailkey/app/setup"
)

// healthTimeout bounds one run of the checks.
const healthTimeout = time.Minute

// healthCard is the account screen's "Health" card: engine.Doctor's checks
// with ✓/✗ icons, what was found, the fix and its link, and "Check again".
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
	// idle warns that the OAuth client went unused so long that Google may
	// delete it.
	idle *widget.Label
	// deleted says what to do once Google has deleted the client, with
	// buttons to its Clients page and to a sign-in with a new client.
	deleted     *fyne.Container
	deletedText *widget.Label
	openClients *button
	newClient   *button
	clientsLink string
	// checks are the results on show.
	checks []engine.Check
}

func newHealthCard(g *gui, addr string) *healthCard {
	h := &healthCard{g: g, addr: addr, list: container.NewVBox(), activity: widget.NewActivity(), note: para(""), idle: para("")}
	h.note.Importance = widget.DangerImportance
	h.note.Hide()
	h.idle.Importance = widget.WarningImportance
	h.idle.Hide()
	h.deletedText = para(tr("health.client_deleted",
		"Google deleted this account's OAuth client: it deletes clients left unused for about 6 months. "+
			"Within 30 days of the deletion you can restore it on the Clients page and sign in again; otherwise sign in with a new Desktop app client."))
	h.deletedText.Importance = widget.WarningImportance
	h.openClients = newButtonWithIcon(h.g, tr("health.open_clients", "Open the Clients page"), theme.ComputerIcon(), func() { h.g.open(h.clientsLink) })
	h.newClient = newButtonWithIcon(h.g, tr("health.new_client", "Sign in with a new client"), theme.LoginIcon(), func() { h.g.showSignIn("") })
	h.deleted = container.NewVBox(h.deletedText, container.NewHBox(h.openClients, h.newClient))
	h.showDeleted(false)
	h.again = newButtonWithIcon(h.g, tr("health.run", "Run the checks"), theme.ViewRefreshIcon(), h.onCheckAgain)
	h.signIn = newButtonWithIcon(h.g, tr("compose.sign_in_again", "Sign in again"), theme.LoginIcon(), func() { h.g.showSignIn(h.addr) })
	h.signIn.Importance = widget.HighImportance
	h.signIn.Hide()
	h.activity.Hide()
	h.card = widget.NewCard(tr("health.title", "Health"), tr("health.subtitle", "What mailkey can check with this account's sign-in"),
		container.NewVBox(h.idle, h.deleted, h.list, h.note, container.NewHBox(h.again, h.signIn, h.activity)))
	return h
}

// showAccount shows, above the checks, what the saved account says about
// its OAuth client: deleted by Google (the last refresh said
// deleted_client), or unused long enough that Google may delete it.
func (h *healthCard) showAccount(in engine.Info, now time.Time) {
	h.clientsLink = google.ClientsLink(in.ProjectID)
	h.showDeleted(in.NeedsSignIn && in.SignInCause == account.CauseClientDeleted)
	h.showIdle(in, now)
}

func (h *healthCard) showDeleted(on bool) {
	for _, o := range []fyne.CanvasObject{h.deleted, h.deletedText, h.openClients, h.newClient} {
		if on {
			o.Show()
		} else {
			o.Hide()
		}
	}
}

// showIdle warns when the account's OAuth client has gone unused longer
// than account.ClientIdleWarning: Google deletes clients unused for about 6
// months, and a token refresh counts as use.
func (h *healthCard) showIdle(in engine.Info, now time.Time) {
	if !in.ClientIdle(now) {
		h.idle.Hide()
		return
	}
	h.idle.SetText(tr("health.client_idle",
		"This account has not used its OAuth client since {{.Date}}. Google deletes clients unused for about 6 months: "+
			"send a message from this account now to keep it in use.",
		map[string]any{"Date": longDate(in.LastClientUse())}))
	h.idle.Show()
}

// healthCard builds the screen's Health card. The checks run on request: they
// log in to Gmail and call its API, which opening the screen should not do
// every time (Gmail limits login attempts).
func (s *accountScreen) healthCard() fyne.CanvasObject {
	s.health = newHealthCard(s.g, s.addr)
	if s.checkNow {
		s.health.onCheckAgain()
	}
	return s.health.card
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
	h.showDeleted(deleted)
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
				p.Verify(id, true, "")
			}
			for id, reason := range f.NotDone {
				what, _ := localText(reason) // kept in the language of the moment
				p.Verify(id, false, what)
			}
		})
	}, func(_ struct{}, err error) {
		if err != nil {
			fyne.LogError("Could not save the checklist progress", err)
		}
	})
}
