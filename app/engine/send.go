package engine

import (
	"context"
	"errors"
	"fmt"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/google"
	"github.com/mailkey-app/mailkey/app/mail"
	"github.com/mailkey-app/mailkey/app/secret"
)

// Send sends m from the account named in m.From, over SMTP or the Gmail API
// as the account's transport says (Result.Transport tells which delivered).
// For OAuth accounts it uses a valid access token; when Gmail refuses a cached
// token before any data was sent, it refreshes once and tries again. With
// transport auto, the Gmail API is tried only when the SMTP server could not
// be reached at all (Result.Fallback says why). The message is checked once,
// by mail.Message.Check before any keyring or network work; the senders,
// through every retry and fallback, take that mail.Checked as it is.
func (e *Engine) Send(ctx context.Context, m mail.Message) (mail.Result, error) {
	c, err := m.Check() // the one check of this message: the senders trust it
	if err != nil {
		return mail.Result{}, err
	}
	a, err := e.accountFor(c.From(), m.Via) // the account, or the one this From is a verified alias of (aliases.go)
	if err != nil {
		return mail.Result{}, err
	}
	ep, err := endpoint(a.SMTP)
	if err != nil {
		return mail.Result{}, err
	}
	transport := a.EffectiveTransport()
	if transport != account.TransportSMTP || google.IsGmailHost(ep.Host) {
		if n := c.WireSize(); n > mail.MaxRawBytes {
			return mail.Result{}, advice.Keyed(mail.ErrTooBig, "engine.too_big",
				advice.Data{"Size": fmt.Sprintf("%.1f", float64(n)/1e6), "Limit": fmt.Sprintf("%.1f", float64(mail.MaxRawBytes)/1e6)},
				"the message would be about {{.Size}} MB once encoded, over the {{.Limit}} MB Gmail takes: attachments grow by a third when encoded, so about 25 MB of files is the most",
				"Remove or shrink attachments, or share large files by link")
		}
	}
	if transport == account.TransportAPI {
		return e.sendAPI(ctx, a, c)
	}
	res, err := e.sendSMTP(ctx, a, ep, c)
	// auto: fall back to the API only when the SMTP server was never reached
	// (no byte came back), so that nothing can be delivered twice.
	if transport == account.TransportAuto && errors.Is(err, mail.ErrUnreached) && ctx.Err() == nil {
		smtpTranscript := res.Transcript
		res, err = e.sendAPI(ctx, a, c)
		res.Fallback = advice.Explain("engine.fallback_unreached", advice.Data{"Port": ep.Port},
			"port {{.Port}} could not be reached", "")
		res.Transcript = joinTranscripts(smtpTranscript, res.Transcript)
	}
	return res, err
}

// sendSMTP sends over SMTP, refreshing a refused OAuth token once.
func (e *Engine) sendSMTP(ctx context.Context, a account.Account, ep mail.Endpoint, c mail.Checked) (mail.Result, error) {
	return e.withCredential(ctx, a, false, func(cred mail.Credential) (mail.Result, error) {
		return e.sender.Send(ctx, ep, cred, c)
	})
}

// sendAPI sends through the Gmail API. A 401 means Google refused the token
// before storing anything: it refreshes once and tries again.
func (e *Engine) sendAPI(ctx context.Context, a account.Account, c mail.Checked) (mail.Result, error) {
	api := mail.API{Base: a.APIBase, ProjectID: a.ProjectID}
	return e.withCredential(ctx, a, true, func(cred mail.Credential) (mail.Result, error) {
		return e.sender.SendAPI(ctx, api, cred, c)
	})
}

// VerifyAccount logs in to the account's server without sending anything.
func (e *Engine) VerifyAccount(ctx context.Context, addr string) (mail.Result, error) {
	a, err := e.accounts.Get(addr)
	if err != nil {
		return mail.Result{}, err
	}
	ep, err := endpoint(a.SMTP)
	if err != nil {
		return mail.Result{}, err
	}
	cred, err := e.credential(ctx, a, "")
	if err != nil {
		return mail.Result{}, err
	}
	return e.sender.Verify(ctx, ep, cred)
}

// credential returns the account's app password or access token; rejected
// is an access token the server just refused ("" for none).
func (e *Engine) credential(ctx context.Context, a account.Account, rejected string) (mail.Credential, error) {
	if a.Method == account.AppPassword {
		pw, err := e.secrets.Get(ctx, a.Address, secret.AppPassword)
		if errors.Is(err, secret.ErrNotFound) {
			return mail.Credential{}, noAppPassword(a.Address, err)
		}
		return mail.Credential{Username: a.Address, Password: pw}, err
	}
	tok, err := e.accessToken(ctx, a, rejected)
	return mail.Credential{Username: a.Address, Token: tok}, err
}
