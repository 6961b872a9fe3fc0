package advice

import "fmt"

// actionNames are the actions' names in files: stable, whatever their order.
var actionNames = map[Action]string{
	NoAction:                  "",
	ActionAddAccount:          "add_account",
	ActionSeeAccounts:         "see_accounts",
	ActionSignInOAuth:         "sign_in_oauth",
	ActionEnterAppPassword:    "enter_app_password",
	ActionRevokeRelayPassword: "revoke_relay_password",
	ActionSeeRelayPasswords:   "see_relay_passwords",
	ActionSeeQueue:            "see_queue",
	ActionKeepRefreshing:      "keep_refreshing",
	ActionNewAppPassword:      "new_app_password",
}

// MarshalText writes the action by its name, so that a file keeps the
// action, not its number.
func (a Action) MarshalText() ([]byte, error) {
	name, ok := actionNames[a]
	if !ok {
		return nil, fmt.Errorf("advice: no name for action %d", int(a))
	}
	return []byte(name), nil
}

// UnmarshalText reads an action's name; one this mailkey does not know
// (written by a newer one) is NoAction.
func (a *Action) UnmarshalText(b []byte) error {
	*a = NoAction
	for k, name := range actionNames {
		if name == string(b) {
			*a = k
		}
	}
	return nil
}

// MarshalText writes the category by its name (String).
func (c Category) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalText reads a category's name; one this mailkey does not know is
// Failure.
func (c *Category) UnmarshalText(b []byte) error {
	*c = Failure
	for k := Failure; k <= Keyring; k++ {
		if k.String() == string(b) {
			*c = k
		}
	}
	return nil
}
