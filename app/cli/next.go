package cli

import (
	"github.com/mailkey-app/mailkey/app/advice"
)

// nextStep is what to do after err, in the command line's words: the
// commands that do it when err carries a typed next action, else the
// error's own advice (advice.Next).
func nextStep(err error) string {
	data := advice.TextOf(err).Data
	addr, _ := data["Address"].(string)
	switch advice.ActionOf(err) {
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
		return advice.Next(err) + " with 'mailkey login --app-password --email " + addr + "' (or Replace app password in the app)"
	case advice.ActionRevokeRelayPassword:
		return advice.Render("Choose another label, or remove that one first with 'mailkey relay remove-password {{.Address}} {{.Label}}'", data)
	case advice.ActionSeeRelayPasswords:
		return "See them with 'mailkey relay passwords'"
	}
	return advice.Next(err)
}
