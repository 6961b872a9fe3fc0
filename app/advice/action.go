package advice

// Action is what the person should do next, when each front end says it
// its own way: the CLI names a command, the GUI a button or a screen. An
// Error's Next then says it in words that fit both; a front end that knows
// the action says it instead (see TextOf).
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
	// ActionEnterAppPassword: the keyring lost the account's app password
	// (Data's Address): enter it again.
	ActionEnterAppPassword
	// ActionRevokeRelayPassword: a relay password's label (Data's Label) is
	// taken: choose another, or revoke that password first.
	ActionRevokeRelayPassword
	// ActionSeeRelayPasswords: see the account's relay passwords.
	ActionSeeRelayPasswords
	// ActionSeeQueue: a queued message failed: see the queue, fix the
	// cause, then send it again or drop it.
	ActionSeeQueue
	// ActionKeepRefreshing: an OAuth client goes unused: send a message, or
	// keep mailkey's watcher running, which refreshes the sign-in.
	ActionKeepRefreshing
	// ActionNewAppPassword: a server refused the account's app password:
	// create a new one and enter it, then test again.
	ActionNewAppPassword

	// actionEnd follows the last action: a test checks that the front ends'
	// tests know them all (LastAction).
	actionEnd
)

// LastAction is the last of the actions, for the front ends' tests that
// every action has their words.
const LastAction = actionEnd - 1

// Then returns e with a as the next action.
func (e *Error) Then(a Action) *Error {
	e.Action = a
	return e
}

// Then returns t with a as the next action.
func (t Text) Then(a Action) Text {
	t.Action = a
	return t
}
