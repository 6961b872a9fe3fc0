package engine

import (
	"context"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/google"
	"github.com/mailkey-app/mailkey/app/mail"
)

// SetSMTP moves an account to another SMTP server (port 465 where a network
// blocks 587, for instance), keeping its credential: it signs in there with
// the saved app password or token first, and saves the server only if that
// login succeeds. An empty URL means Gmail's default.
func (e *Engine) SetSMTP(ctx context.Context, addr, smtpURL string) (mail.Result, error) {
	a, err := e.accounts.Get(addr)
	if err != nil {
		return mail.Result{}, err
	}
	smtpURL = google.SMTPURL(smtpURL)
	ep, err := mail.ParseEndpoint(smtpURL)
	if err != nil {
		return mail.Result{}, err
	}
	cred, err := e.credential(ctx, a, "")
	if err != nil {
		return mail.Result{}, err
	}
	res, err := e.sender.Verify(ctx, ep, cred)
	if err != nil {
		return res, err
	}
	return res, e.accounts.Modify(a.Address, func(x *account.Account) { x.SMTP = smtpURL })
}
