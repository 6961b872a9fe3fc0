package ui

import (
	"context"
	"errors"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/engine"
)

// What the user will meet in the browser, said before they go there.
const (
	signInPrepare1 = "Sign in with Google opens your browser at Google's sign-in page. Sign in with the Gmail address you want to send from."
	signInPrepare3 = "Next, Google asks what the app may do. Leave the Gmail box (“Read, compose, send and permanently delete all your email from Gmail”) ticked " +
		"and click Continue: without it, mailkey can't send mail."
)

// onSignIn starts the browser sign-in. It runs until the browser comes back,
// the user cancels, or the engine's timeout ends it.
func (s *signIn) onSignIn() {
	if s.client == nil || s.signingIn() {
		return
	}
	s.signInBtn.Disable()
	s.setClientInputs(false)
	s.importShown = s.importBox.Visible()
	s.importBox.Hide() // the client is chosen; room for the advice while waiting
	s.status.Hide()
	s.statusLinks.set("")
	s.link = ""
	s.copyLink.Disable()
	s.cancelBtn.Enable()
	s.waitLabel.SetText(tr("signin.waiting", "Waiting for your browser…"))
	s.waitBox.Show()
	s.scroll.Refresh() // lay out the waiting state, which sits at the end, then show it
	s.scroll.ScrollToBottom()
	s.activity.Start()

	ctx := s.g.notified(s.cancel.start())
	mine := []string{s.addr, s.signed.Address} // read here, not on the engine's goroutine
	req := engine.OAuthLogin{Client: *s.client, SMTP: s.smtpURL, APIBase: s.apiBase, Publishing: s.publishing, Open: s.openBrowser, Page: signInPage,
		Confirm: func(ctx context.Context, old engine.Info) bool { return s.confirmReplace(ctx, old, mine) }}
	run(s.g.tasks, func() (account.Account, error) {
		a, err := s.g.eng.LoginOAuth(ctx, req)
		if err == nil {
			sendHeld(s.g.eng)
		}
		return a, err
	}, s.onSignedIn)
}

// confirmReplace runs on the engine's goroutine once Google said who signed
// in, when that address is saved already: it asks on the UI goroutine and
// waits for the answer (issue 11, defect 4). Signing in again as an OAuth
// account of mine (the one the user chose to sign in again, or the one
// this screen just signed in) replaces its tokens without asking.
func (s *signIn) confirmReplace(ctx context.Context, old engine.Info, mine []string) bool {
	if old.Method == account.OAuth && slices.ContainsFunc(mine, func(m string) bool { return m != "" && account.Same(m, old.Address) }) {
		return true
	}
	answer := make(chan bool, 1)
	fyne.Do(func() { s.askReplace(old, answer) })
	select {
	case ok := <-answer:
		return ok
	case <-ctx.Done(): // cancelled or left: nothing is saved
		fyne.Do(func() {
			if s.replaceDialog != nil {
				s.replaceDialog.Hide()
			}
		})
		return false
	}
}

// signInReplaceText says what saving this sign-in over the saved account
// replaces: its method, and the secrets deleted with it.
func signInReplaceText(in engine.Info) string {
	if in.Method == account.AppPassword {
		return tr("signin.exists.app_password", "{{.Address}} is already set up with an app password. Saving this sign-in replaces it: "+
			"mailkey deletes the app password from the keyring and sends with OAuth from then on.", map[string]any{"Address": in.Address})
	}
	return tr("signin.exists.oauth", "{{.Address}} is already set up with OAuth. Saving this sign-in replaces its client, "+
		"and deletes its sign-in tokens and client secret from the keyring.", map[string]any{"Address": in.Address})
}

// askReplace asks whether the sign-in may replace the saved account in,
// and sends the answer on answer.
func (s *signIn) askReplace(in engine.Info, answer chan<- bool) {
	d := dialog.NewConfirm(tr("ap.exists.title", "Replace the saved account?"), signInReplaceText(in), func(ok bool) {
		s.g.dialog, s.replaceDialog = nil, nil
		answer <- ok
	}, s.g.win)
	d.SetConfirmText(tr("ap.exists.replace", "Replace"))
	d.SetDismissText(tr("ap.exists.keep", "Keep the saved account"))
	d.SetConfirmImportance(widget.DangerImportance)
	s.replaceDialog = d
	s.g.showDialog(d)
}

// signingIn reports whether a sign-in is running.
func (s *signIn) signingIn() bool { return s.waitBox.Visible() }

// leaveQuestion asks before leaving a sign-in that waits for the browser:
// leaving cancels it, so that nothing is saved behind the user's back.
func (s *signIn) leaveQuestion() string {
	if !s.signingIn() {
		return ""
	}
	return tr("signin.leave", "mailkey is still waiting for your browser. Leaving cancels the sign-in, and nothing is saved.")
}

// onLeave cancels a waiting sign-in (issue 11, defect 10).
func (s *signIn) onLeave() { s.cancel.stop() }

// openBrowser is the sign-in's opener. It runs on the engine's goroutine:
// it hands the link to the widgets, then opens the browser as the engine would.
func (s *signIn) openBrowser(link string) error {
	err := s.g.eng.Open(link)
	fyne.Do(func() {
		s.link = link
		s.copyLink.Enable()
		if err != nil {
			s.copyNote.SetText(tr("signin.no_browser", "mailkey could not open your browser. Copy the link and paste it into your browser's address bar; mailkey keeps waiting."))
			s.copyNote.Importance = widget.WarningImportance
			s.copyNote.Refresh()
		}
	})
	return nil // without a browser, the user still finishes through Copy link
}

// onCancel ends the waiting sign-in. The widgets change before the context is
// cancelled, so they never race with onSignedIn.
func (s *signIn) onCancel() {
	s.cancelBtn.Disable()
	s.waitLabel.SetText(tr("signin.cancelling", "Cancelling…"))
	s.cancel.stop()
}

// onCopyLink puts the sign-in link on the clipboard, for a browser that didn't open.
func (s *signIn) onCopyLink() {
	if s.link == "" {
		return
	}
	s.g.app.Clipboard().SetContent(s.link)
	s.copyNote.SetText(tr("signin.copied", "The link is on the clipboard. Paste it into your browser's address bar, then come back here."))
}

// onSignedIn shows the outcome of the sign-in.
func (s *signIn) onSignedIn(a account.Account, err error) {
	s.cancel.stop()
	s.activity.Stop()
	s.waitBox.Hide()
	s.link = ""
	s.copyLink.Disable()
	s.setClientInputs(true)
	if s.importShown && err != nil {
		s.importBox.Show() // another client may be the fix
	}
	s.signInBtn.Enable()
	s.statusLinks.set("")
	switch {
	case errors.Is(err, context.Canceled):
		s.showStatus(tr("signin.cancelled", "Cancelled."))
	case errors.Is(err, engine.ErrKept):
		s.showStatus(tr("signin.kept", "You kept the saved account: nothing from this sign-in was saved. "+
			"To add another address, sign in again and choose that Google account in the browser."))
	case err != nil:
		s.showStatus(errorTextShort(err))
		s.statusLinks.set(errorText(err))
	default:
		s.status.Hide()
		s.showAfter(a)
		s.g.accountsChanged() // last: it starts a task of its own
	}
}

func (s *signIn) showStatus(text string) {
	s.statusLinks.set("")
	s.status.SetText(text)
	s.status.Show()
}

// signInOtherAddress is the note shown when a sign-in again came back with another address.
func signInOtherAddress(want, got string) string {
	return tr("signin.other_address", "You signed in as {{.Got}}, not as {{.Want}}. mailkey saved {{.Got}} as its own account; {{.Want}} still needs to sign in again.",
		map[string]any{"Got": got, "Want": want})
}
