package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/mailkey-app/mailkey/app/google"
)

// renewalNotice is the account screen's word on the sign-in's end: for an
// OAuth app in Testing, when Google ends the sign-in and why, with a button
// to the console page where the app is published; for a "Needs sign-in"
// account, the reason and the one-click fix for its method.
type renewalNotice struct {
	g         *gui
	projectID string // the account's Google Cloud project, for publish
	// expiry tells when a Testing sign-in ends and why; publish opens the
	// console page where the app is published.
	expiry  *widget.Label
	publish *button
	// problem holds the reason and the one-click fix of a "Needs sign-in" account.
	problem *fyne.Container
	reason  *widget.Label
	fix     *fyne.Container
	// signIn and replace renew the sign-in of an OAuth or an app-password
	// account; the action bar shows the one that applies while the account
	// does not need it.
	signIn  *button
	replace *button
}

func newRenewalNotice(g *gui, addr string) *renewalNotice {
	r := &renewalNotice{g: g, expiry: para(""), reason: para(""), fix: container.NewHBox()}
	r.reason.Importance = widget.WarningImportance
	r.signIn = newButtonWithIcon(g, tr("compose.sign_in_again", "Sign in again"), theme.LoginIcon(), func() { r.g.showSignIn(addr) })
	r.replace = newButtonWithIcon(g, tr("compose.replace_app_password", "Replace app password"), theme.AccountIcon(), func() { r.g.showAppPassword(addr) })
	r.publish = newButtonWithIcon(g, tr("account.open_audience", "Open Audience in the console"), theme.ComputerIcon(), r.onPublish)
	r.problem = container.NewVBox(r.reason, r.fix)
	for _, o := range []fyne.CanvasObject{r.expiry, r.publish, r.problem} {
		o.Hide()
	}
	return r
}

// objects are the notice's rows in the screen's column.
func (r *renewalNotice) objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.expiry, container.NewHBox(r.publish), r.problem}
}

// renew is the button that renews the sign-in of in's method.
func (r *renewalNotice) renew(in engine.Info) *button {
	if in.Method == account.AppPassword {
		return r.replace
	}
	return r.signIn
}

// show shows what the loaded account says about the end of its sign-in.
func (r *renewalNotice) show(in engine.Info) {
	r.projectID = in.ProjectID
	r.showExpiry(in)
	r.showProblem(in)
}

func (r *renewalNotice) showExpiry(in engine.Info) {
	if in.Method != account.OAuth || in.Status.ExpiresAt.IsZero() {
		r.expiry.Hide()
		r.publish.Hide()
		return
	}
	date := accountDate(in.Status.ExpiresAt)
	when := tr("account.expiry.ends", "Google ends this sign-in on {{.Date}}.", map[string]any{"Date": date})
	if in.Status.State == account.StateNeedsSignIn {
		when = tr("account.expiry.ended", "Google ended this sign-in on {{.Date}}.", map[string]any{"Date": date})
	}
	why := tr("account.expiry.why",
		"While your Google Cloud project is in Testing, Google ends every sign-in 7 days after it, and you sign in again with one click. "+
			"Publishing the app (Audience, Publish app) lifts the limit for sign-ins made after it, once Google has a home page, "+
			"a privacy policy link and an authorised domain on the Branding page; you then click through a “Google hasn't verified this app” warning when you sign in.")
	if in.Publishing == account.Production {
		why = tr("account.expiry.why_published", "This sign-in was made while your app was in Testing, so Google ends it 7 days after it "+
			"even though the app is now published. Sign in again to get a sign-in without an end date.")
	}
	r.expiry.SetText(when + "\n" + why)
	r.expiry.Show()
	r.publish.Show()
}

// onPublish opens the console page where the app leaves Testing, in the
// account's project.
func (r *renewalNotice) onPublish() {
	r.g.open(google.StepLink("audience", r.projectID))
}

func (r *renewalNotice) showProblem(in engine.Info) {
	if in.Status.State != account.StateNeedsSignIn {
		r.problem.Hide()
		return
	}
	reason := sentence(localReason(in.Account))
	if reason == "" && !in.Status.ExpiresAt.IsZero() {
		reason = tr("account.reason.testing", "Google ends the sign-in 7 days after it while the project is in Testing.")
	}
	if reason == "" {
		reason = tr("account.reason.refused", "Google no longer accepts the saved sign-in.")
	}
	r.reason.SetText(reason)
	fix := r.renew(in)
	fix.Importance = widget.HighImportance
	fix.Refresh()
	r.fix.Objects = []fyne.CanvasObject{fix}
	r.fix.Refresh()
	r.problem.Show()
}
