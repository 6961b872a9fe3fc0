package ui

import "github.com/mailkey-app/mailkey/app/oauth"

// signInPage words the browser's page after the sign-in in the GUI's
// language, errors included (localAdvice). The OAuth server calls it off
// the UI goroutine: it touches no widget.
func signInPage(o oauth.PageOutcome) oauth.PageText {
	t := oauth.PageText{Lang: currentLanguage(), Heading: tr("signin.page.failed", "✗ Sign-in did not work")}
	closeTab := tr("signin.page.close_tab", "You can close this tab and go back to mailkey.")
	startAgain := tr("signin.page.start_again", "Go back to mailkey and start the sign-in again.")
	switch o.Kind {
	case oauth.PageSignedIn:
		t.Heading = tr("signin.page.signed_in", "✓ Signed in")
		t.What = tr("signin.page.signed_in_as", "You are signed in as {{.Address}}.", map[string]any{"Address": o.Email})
		t.Next = closeTab
	case oauth.PageNotSaved:
		t.What = tr("signin.page.not_saved", "Google signed you in, but you kept the account mailkey had saved: nothing from this sign-in was saved.")
		t.Next = closeTab
	case oauth.PageSaveFailed:
		what, _ := localAdvice(o.Err)
		t.What = tr("signin.page.save_failed", "Google signed you in, but mailkey could not save the sign-in: {{.Reason}}.",
			map[string]any{"Reason": what})
		t.Next = tr("signin.page.save_failed_next", "Go back to mailkey: mailkey says what to do next.")
	case oauth.PageFailed:
		what, next := localAdvice(o.Err)
		t.What, t.Next = what+".", next
	case oauth.PageWrongState:
		t.What = tr("signin.page.wrong_state", "This answer does not belong to the sign-in mailkey is waiting for.")
		t.Next = tr("signin.page.wrong_state_next", "If you started several sign-ins, use the browser tab of the latest one.")
	case oauth.PageNoAnswer:
		t.What, t.Next = tr("signin.page.no_answer", "Google's answer carried neither a code nor an error."), startAgain
	case oauth.PageUsed:
		t.What, t.Next = tr("signin.page.used", "This sign-in has already been used."), tr("signin.page.go_back", "Go back to mailkey.")
	case oauth.PageEnded:
		t.What, t.Next = tr("signin.page.ended", "This sign-in has ended: mailkey stopped waiting for it."), startAgain
	}
	return t
}
