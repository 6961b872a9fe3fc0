package cli

import (
	"github.com/mailkey-app/mailkey/app/advice"
)

// nextStep is what to do after err, in the command line's words (nextOf).
func nextStep(err error) string {
	return nextOf(advice.TextOf(err))
}

// nextOf is what to do next after t, in the command line's words: the
// commands that do it when t carries a typed next action, else t.Next.
func nextOf(t advice.Text) string {
	addr, _ := t.Data["Address"].(string)
	switch t.Action {
	case advice.ActionAddAccount:
		if addr == "" {
			return "Add one with 'mailkey login' or in the app"
		}
		return "Run 'mailkey accounts' to see the accounts, or add this one with 'mailkey login'"
	case advice.ActionSeeAccounts:
		return "Run 'mailkey accounts' to see the accounts"
	case advice.ActionSignInOAuth:
		return "Use the app password itself, or add the account with 'mailkey login --client-secret FILE'"
	case advice.ActionEnterAppPassword:
		if addr == "" {
			addr = "ADDRESS"
		}
		return "Enter it again: Replace app password in the app, or 'mailkey login --app-password --email " + addr + "'"
	case advice.ActionNewAppPassword:
		return "Create a new app password and enter it (Replace app password in the app, or 'mailkey login --app-password'), then test again"
	case advice.ActionRevokeRelayPassword:
		return advice.Render("Choose another label, or remove that one first with 'mailkey relay remove-password {{.Address}} {{.Label}}'", t.Data)
	case advice.ActionSeeRelayPasswords:
		return "See them with 'mailkey relay passwords'"
	case advice.ActionSeeQueue:
		return "See 'mailkey queue': fix the cause and 'mailkey queue retry', or 'mailkey queue drop' it"
	case advice.ActionKeepRefreshing:
		return "Google deletes OAuth clients unused for about 6 months: send a message or keep 'mailkey watch' running, which refreshes the sign-in every 30 days"
	}
	return t.Next
}

// cliText words t for the command line: its What, and its next step (nextOf).
func cliText(t advice.Text) (what, next string) {
	return t.What, nextOf(t)
}
