package engine

import (
	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/secret"
)

// The kinds of a credential missing from the keyring (Missing.Kind): stable
// names, saved in files.
const (
	// MissingSignIn: an OAuth account's refresh token.
	MissingSignIn = "no_sign_in"
	// MissingAppPassword: an app-password account's app password.
	MissingAppPassword = "no_app_password"
)

// Missing is a credential the keyring did not hold for an account, as facts:
// which one, and the account's address. Explain words it again as the
// send's error did; MissingOf finds it in one.
type Missing struct {
	Kind    string `json:"kind"`
	Address string `json:"address"`
}

// Explain words m as the send's error did, and carries m as it did.
func (m Missing) Explain() error {
	if m.Kind == MissingAppPassword {
		return noAppPassword(m.Address, secret.ErrNotFound)
	}
	return noSignIn(account.Account{Address: m.Address})
}

// MissingOf returns the missing credential that err, a send's error, carries.
func MissingOf(err error) (Missing, bool) { return advice.FactsOf[Missing](err) }

// noAppPassword is the error of an app-password account whose password is
// missing from the keyring; err is the keyring's answer.
func noAppPassword(addr string, err error) error {
	return advice.WithFacts(advice.Keyed(err, "engine.no_app_password", advice.Data{"Address": addr},
		"the keyring holds no app password for {{.Address}}",
		"Enter the app password again").Then(advice.ActionEnterAppPassword), Missing{Kind: MissingAppPassword, Address: addr})
}
