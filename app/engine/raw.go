package engine

import (
	"context"
	"errors"
	"strings"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/mail"
	"github.com/mailkey-app/mailkey/app/oauth"
)

// SendRaw sends a message that is already in RFC 5322 form (from sendmail or
// the relay) as the account addr, through the account's transport, as Send
// does: a refused OAuth token is refreshed once, and with transport auto the
// Gmail API is tried only when the SMTP server could not be reached at all.
// The message is checked once, by mail.Raw.Check before any keyring or
// network work: sendmail and the queue leave that to SendRaw.
func (e *Engine) SendRaw(ctx context.Context, addr string, r mail.Raw) (mail.Result, error) {
	c, err := r.Check() // the one check of this message: the senders trust it
	if err != nil {
		return mail.Result{}, err
	}
	a, err := e.accounts.Get(addr)
	if err != nil {
		return mail.Result{}, err
	}
	ep, err := endpoint(a.SMTP)
	if err != nil {
		return mail.Result{}, err
	}
	api := mail.API{Base: a.APIBase, ProjectID: a.ProjectID}
	viaAPI := func(cred mail.Credential) (mail.Result, error) { return e.sender.SendRawAPI(ctx, api, cred, c) }
	transport := a.EffectiveTransport()
	if transport == account.TransportAPI {
		return e.withCredential(ctx, a, true, viaAPI)
	}
	res, err := e.withCredential(ctx, a, false, func(cred mail.Credential) (mail.Result, error) {
		return e.sender.SendRaw(ctx, ep, cred, c)
	})
	if transport == account.TransportAuto && errors.Is(err, mail.ErrUnreached) && ctx.Err() == nil {
		first := res.Transcript
		res, err = e.withCredential(ctx, a, true, viaAPI)
		res.Fallback = advice.Explain("engine.fallback_unreached", advice.Data{"Port": ep.Port},
			"port {{.Port}} could not be reached", "")
		res.Transcript = joinTranscripts(first, res.Transcript)
	}
	return res, err
}

// withCredential calls send with the account's credential. When an OAuth
// token is refused before anything was sent, it refreshes once and tries
// again; a second refusal marks the account as needing a new sign-in. A
// refresh that needs a sign-in itself gives its own error, whose cause the
// account keeps.
// overAPI says the Gmail API is used, which only OAuth accounts can.
func (e *Engine) withCredential(ctx context.Context, a account.Account, overAPI bool,
	send func(mail.Credential) (mail.Result, error),
) (mail.Result, error) {
	cred, err := e.credential(ctx, a, "")
	if err != nil {
		return mail.Result{}, err
	}
	res, err := send(cred)
	if (a.Method == account.OAuth || overAPI) && errors.Is(err, mail.ErrTokenRejected) {
		cred, err2 := e.credential(ctx, a, cred.Token)
		switch {
		case err2 == nil:
			first := res.Transcript
			res, err = send(cred)
			res.Transcript = joinTranscripts(first, res.Transcript)
		case errors.Is(err2, oauth.ErrNeedsSignIn):
			// The refresh said why a sign-in is needed (a deleted client…)
			// and saved that cause: it is the error, not the refused token.
			return res, err2
		}
		if errors.Is(err, mail.ErrTokenRejected) {
			err = e.needsSignIn(a, err)
		}
	}
	return res, err
}

// SendingAccount returns the account to send as for sendmail and the relay:
// the account whose address or verified Send mail as alias addr is, when addr
// is not empty, else the only account. With several accounts and no address,
// the error names them.
func (e *Engine) SendingAccount(addr string) (account.Account, error) {
	if addr != "" {
		return e.accountFor(addr, "")
	}
	list, err := e.accounts.List()
	if err != nil {
		return account.Account{}, err
	}
	switch len(list) {
	case 0:
		return account.Account{}, advice.Keyed(account.ErrNotFound, "engine.no_accounts", nil,
			"mailkey has no account yet", "Add one").Then(advice.ActionAddAccount)
	case 1:
		return list[0], nil
	}
	names := make([]string, len(list))
	for i, a := range list {
		names[i] = a.Address
	}
	return account.Account{}, advice.Keyed(account.ErrNotFound, "engine.which_account",
		advice.Data{"Accounts": strings.Join(names, ", ")},
		"mailkey has several accounts ({{.Accounts}}) and the message does not say which to send as",
		"Give the account with -f ADDR, or a From header with one of these addresses")
}

// joinTranscripts puts a later attempt's transcript after an earlier one's,
// on a line of its own.
func joinTranscripts(first, then string) string {
	if first != "" && !strings.HasSuffix(first, "\n") {
		first += "\n"
	}
	return first + then
}
