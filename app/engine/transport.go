package engine

import (
	"fmt"
	"strconv"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/advice"
)

// SetTransport saves how the account's mail leaves: account.TransportAuto,
// TransportSMTP or TransportAPI. Only OAuth accounts can use the Gmail API, so
// an app-password account accepts TransportSMTP only.
func (e *Engine) SetTransport(addr, t string) error {
	if t == "" || !account.ValidTransport(t) {
		return advice.Keyed(fmt.Errorf("%w: %q", ErrBadTransport, t), "engine.bad_transport_setting",
			advice.Data{"Value": strconv.Quote(t)}, "{{.Value}} is not a way to send", "Choose auto, smtp or api")
	}
	a, err := e.accounts.Get(addr)
	if err != nil {
		return err
	}
	if a.Method != account.OAuth && t != account.TransportSMTP {
		return advice.Keyed(fmt.Errorf("%w: %q for an app password", ErrBadTransport, t), "engine.app_password_smtp_only", nil,
			"an app password can only send over SMTP", "Sign in with OAuth to use the Gmail API")
	}
	return e.accounts.Modify(addr, func(a *account.Account) { a.Transport = t })
}
