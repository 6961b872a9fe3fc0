package engine

import (
	"fmt"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/advice"
)

// SetTransport saves how the account's mail leaves: account.TransportAuto,
// TransportSMTP or TransportAPI. Only OAuth accounts can use the Gmail API, so
// an app-password account accepts TransportSMTP only.
func (e *Engine) SetTransport(addr, t string) error {
	if t == "" || !account.ValidTransport(t) {
		return advice.New(fmt.Errorf("%w: %q", ErrBadTransport, t), fmt.Sprintf("%q is not a way to send", t),
			"Choose auto, smtp or api")
	}
	a, err := e.Accounts.Get(addr)
	if err != nil {
		return err
	}
	if a.Method != account.OAuth && t != account.TransportSMTP {
		return advice.New(fmt.Errorf("%w: %q for an app password", ErrBadTransport, t),
			"an app password can only send over SMTP", "Sign in with OAuth to use the Gmail API")
	}
	return e.Accounts.Modify(addr, func(a *account.Account) { a.Transport = t })
}
