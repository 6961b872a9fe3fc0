package ui

import (
	"context"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/mailkey-app/mailkey/app/google"
)

// What the user will meet in the browser, said before they go there.
const (
	signInPrepare1 = "Sign in with Google opens your browser at Google's sign-in page. Sign in with the Gmail address you want to send from."
	signInPrepare3 = "Next, Google asks what the app may do. Leave the Gmail box (“Read, compose, send and permanently delete all your email from Gmail”) ticked " +
		"and click Continue: without it, mailkey can't send mail."
)

// loginStep is step 2 of the sign-in screen: what Google will show in the
// browser, the Sign in button, the wait for the browser, the question
// before a saved account is replaced, and the outcome.
type loginStep struct {
	g         *gui
	signInBtn *button
	prepare2  *widget.Label // Google's warning, by publishing status
	published *widget.Label // the other warning, while the status is unknown
	// wait is the state while mailkey waits for the browser (signin_wait.go).
	wait   *browserWait
	status *widget.Label
	// statusLinks opens or copies the long URLs of the status, shown shortened.
	statusLinks *linkBar
	// replaceDialog asks whether the sign-in may replace a saved account, or is nil.
	replaceDialog *dialog.ConfirmDialog
}

// newLoginStep makes the step; Sign in runs onSignIn, and projectOf gives
// the project the console links open.
func newLoginStep(g *gui, onSignIn func(), projectOf func() string) *loginStep {
	l := &loginStep{g: g, prepare2: para(""), published: para(""), wait: newBrowserWait(g, projectOf), status: signInAlert(), statusLinks: newLinkBar(g)}
	l.signInBtn = newButtonWithIcon(g, tr("signin.sign_in", "Sign in with Google"), theme.LoginIcon(), onSignIn)
	l.signInBtn.Importance = widget.HighImportance
	l.signInBtn.Disable()
	return l
}

// content lays the step out around smtp, the choice of SMTP server.
func (l *loginStep) content(smtp fyne.CanvasObject) *fyne.Container {
	return container.NewVBox(
		checklistSubheading(tr("signin.sign_in", "Sign in with Google")),
		para(tr("signin.prepare1", signInPrepare1)), l.prepare2, l.published, para(tr("signin.prepare3", signInPrepare3)),
		// A URL that can't be used is refused by the engine, with advice, before the browser opens.
		smtp,
		container.NewHBox(l.signInBtn), l.wait.box, l.status, l.statusLinks.box,
	)
}

// showWarning says which unverified-app warning Google will show: the
// Testing one, with Continue, unless the account was signed in as published.
func (l *loginStep) showWarning(pub account.Publishing) {
	if pub == account.Production {
		l.prepare2.SetText(tr("signin.prepare2.production", google.WarningProduction))
		l.published.Hide()
		return
	}
	l.prepare2.SetText(tr("signin.prepare2.testing", google.WarningTesting))
	l.published.SetText(tr("signin.prepare2.if_published", "If you already published the app (In production), the warning has no Continue button: "+
		"click Advanced, then “Go to … (unsafe)”."))
	l.published.Show()
}

// start shows a new sign-in under way, in place of the last outcome.
func (l *loginStep) start() {
	l.signInBtn.Disable()
	l.status.Hide()
	l.statusLinks.set("")
	l.wait.show()
}

// showStatus shows the outcome of a sign-in that saved nothing.
func (l *loginStep) showStatus(text string) {
	l.statusLinks.set("")
	l.status.SetText(text)
	l.status.Show()
}

// confirmReplace runs on the engine's goroutine once Google said who signed
// in, when that address is saved already: it asks on the UI goroutine and
// waits for the answer (issue 11, defect 4). Signing in again as an OAuth
// account of mine (the one the user chose to sign in again, or the one
// this screen just signed in) replaces its tokens without asking.
func (l *loginStep) confirmReplace(ctx context.Context, old engine.Info, mine []string) bool {
	if old.Method == account.OAuth && slices.ContainsFunc(mine, func(m string) bool { return m != "" && account.Same(m, old.Address) }) {
		return true
	}
	answer := make(chan bool, 1)
	fyne.Do(func() { l.askReplace(old, answer) })
	select {
	case ok := <-answer:
		return ok
	case <-ctx.Done(): // cancelled or left: nothing is saved
		fyne.Do(func() {
			if l.replaceDialog != nil {
				l.replaceDialog.Hide()
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
func (l *loginStep) askReplace(in engine.Info, answer chan<- bool) {
	d := dialog.NewConfirm(tr("ap.exists.title", "Replace the saved account?"), signInReplaceText(in), func(ok bool) {
		l.g.dialog, l.replaceDialog = nil, nil
		answer <- ok
	}, l.g.win)
	d.SetConfirmText(tr("ap.exists.replace", "Replace"))
	d.SetDismissText(tr("ap.exists.keep", "Keep the saved account"))
	d.SetConfirmImportance(widget.DangerImportance)
	l.replaceDialog = d
	l.g.showDialog(d)
}
