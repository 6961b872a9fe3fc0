package ui

import (
	"context"
	"errors"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/engine"
)

// onSignIn starts the browser sign-in. It runs until the browser comes back,
// the user cancels, or the engine's timeout ends it.
func (s *signIn) onSignIn() {
	if s.choice.client == nil || s.signingIn() {
		return
	}
	s.login.start()
	s.inputs.setEnabled(false)
	s.importShown = s.importBox.Visible()
	s.importBox.Hide() // the client is chosen; room for the advice while waiting
	s.scroll.Refresh() // lay out the waiting state, which sits at the end, then show it
	s.scroll.ScrollToBottom()
	ctx := s.login.wait.start()

	mine := []string{s.addr, s.signed.Address} // read here, not on the engine's goroutine
	req := engine.OAuthLogin{
		Client: *s.choice.client, SMTP: s.smtpURL, APIBase: s.apiBase, Publishing: s.publishing, Open: s.login.wait.openBrowser, Page: signInPage,
		Confirm: func(ctx context.Context, old engine.Info) bool { return s.login.confirmReplace(ctx, old, mine) },
	}
	run(s.g.tasks, func() (account.Account, error) {
		a, err := s.g.eng.LoginOAuth(ctx, req)
		if err == nil {
			sendHeld(s.g.eng)
		}
		return a, err
	}, s.onSignedIn)
}

// signingIn reports whether a sign-in is running.
func (s *signIn) signingIn() bool { return s.login.wait.waiting() }

// leaveQuestion asks before leaving a sign-in that waits for the browser:
// leaving cancels it, so that nothing is saved behind the user's back.
func (s *signIn) leaveQuestion() string {
	if !s.signingIn() {
		return ""
	}
	return tr("signin.leave", "mailkey is still waiting for your browser. Leaving cancels the sign-in, and nothing is saved.")
}

// onLeave cancels a waiting sign-in (issue 11, defect 10).
func (s *signIn) onLeave() { s.login.wait.op.stop() }

// onSignedIn shows the outcome of the sign-in.
func (s *signIn) onSignedIn(a account.Account, err error) {
	s.login.wait.end()
	s.inputs.setEnabled(true)
	if s.importShown && err != nil {
		s.importBox.Show() // another client may be the fix
	}
	s.login.signInBtn.Enable()
	s.login.statusLinks.set("")
	switch {
	case errors.Is(err, context.Canceled):
		s.login.showStatus(tr("signin.cancelled", "Cancelled."))
	case errors.Is(err, engine.ErrKept):
		s.login.showStatus(tr("signin.kept", "You kept the saved account: nothing from this sign-in was saved. "+
			"To add another address, sign in again and choose that Google account in the browser."))
	case err != nil:
		s.login.showStatus(errorTextShort(err))
		s.login.statusLinks.set(errorText(err))
	default:
		s.login.status.Hide()
		s.showAfter(a)
		s.g.accountsChanged() // last: it starts a task of its own
	}
}

// signInOtherAddress is the note shown when a sign-in again came back with another address.
func signInOtherAddress(want, got string) string {
	return tr("signin.other_address", "You signed in as {{.Got}}, not as {{.Want}}. mailkey saved {{.Got}} as its own account; {{.Want}} still needs to sign in again.",
		map[string]any{"Got": got, "Want": want})
}
