package advice

import "errors"

// Action is what the person should do next, when each front end says it
// its own way: the CLI names a command, the GUI a button or a screen. An
// Error's Next then says it in words that fit both; a front end that knows
// the action says it instead (see ActionOf).
type Action int

// The actions a front end words itself.
const (
	// NoAction: Next says all there is to do.
	NoAction Action = iota
	// ActionAddAccount: add the account (Data's Address, when set), or see
	// the accounts mailkey has.
	ActionAddAccount
	// ActionSeeAccounts: see the accounts mailkey has.
	ActionSeeAccounts
	// ActionSignInOAuth: an app-password account was used where only an
	// OAuth sign-in works: use the app password, or add the account again
	// with an OAuth client.
	ActionSignInOAuth
	// ActionEnterAppPassword: enter the account's app password again (a
	// new one, when Gmail refused it).
	ActionEnterAppPassword
	// ActionRevokeRelayPassword: a relay password's label (Data's Label) is
	// taken: choose another, or revoke that password first.
	ActionRevokeRelayPassword
	// ActionSeeRelayPasswords: see the account's relay passwords.
	ActionSeeRelayPasswords
)

// Then returns e with a as the next action.
func (e *Error) Then(a Action) *Error {
	e.Action = a
	return e
}

// ActionOf returns the next action of the first *Error in err's chain that
// has one, or NoAction.
func ActionOf(err error) Action {
	for err != nil {
		var e *Error
		if !errors.As(err, &e) {
			return NoAction
		}
		if e.Action != NoAction {
			return e.Action
		}
		err = e.Err
	}
	return NoAction
}
