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
// be reached at all (Result.Fallback says why).
func (e *Engine) Send(ctx context.Context, m mail.Message) (mail.Result, error) {
	if err := m.Validate(); err != nil {
		return mail.Result{}, err
	}
	from, err := addressOf(m.From)
	if err != nil {
		return mail.Result{}, err
	}
	a, err := e.accountFor(from, m.Via) // the account, or the one this From is a verified alias of (aliases.go)
	if err != nil {
		return mail.Result{}, err
	}
	ep, err := endpoint(a.SMTP)
	if err != nil {
		return mail.Result{}, err
	}
	transport := a.EffectiveTransport()
	if transport != account.TransportSMTP || google.IsGmailHost(ep.Host) {
		if n := m.WireSize(); n > mail.MaxRawBytes {
			return mail.Result{}, advice.Keyed(mail.ErrTooBig, "engine.too_big",
				advice.Data{"Size": fmt.Sprintf("%.1f", float64(n)/1e6), "Limit": fmt.Sprintf("%.1f", float64(mail.MaxRawBytes)/1e6)},
				"the message would be about {{.Size}} MB once encoded, over the {{.Limit}} MB Gmail takes: attachments grow by a third when encoded, so about 25 MB of files is the most",
				"Remove or shrink attachments, or share large files by link")
		}
	}
	if transport == account.TransportAPI {
		return e.sendAPI(ctx, a, m)
	}
	res, err := e.sendSMTP(ctx, a, ep, m)
	// auto: fall back to the API only when the SMTP server was never reached
	// (no byte came back), so that nothing can be delivered twice.
	if transport == account.TransportAuto && errors.Is(err, mail.ErrUnreached) && ctx.Err() == nil {
		smtpTranscript := res.Transcript
		res, err = e.sendAPI(ctx, a, m)
		res.Fallback = advice.Explain("engine.fallback_unreached", advice.Data{"Port": ep.Port},
			"port {{.Port}} could not be reached", "")
		res.Transcript = joinTranscripts(smtpTranscript, res.Transcript)
	}
	return res, err
}

// sendSMTP sends over SMTP, refreshing a refused OAuth token once.
func (e *Engine) sendSMTP(ctx context.Context, a account.Account, ep mail.Endpoint, m mail.Message) (mail.Result, error) {
	return e.withCredential(ctx, a, false, func(cred mail.Credential) (mail.Result, error) {
		return e.Sender.Send(ctx, ep, cred, m)
	})
}

// sendAPI sends through the Gmail API. A 401 means Google refused the token
// before storing anything: it refreshes once and tries again.
func (e *Engine) sendAPI(ctx context.Context, a account.Account, m mail.Message) (mail.Result, error) {
	api := mail.API{Base: a.APIBase, ProjectID: a.ProjectID}
	return e.withCredential(ctx, a, true, func(cred mail.Credential) (mail.Result, error) {
		return e.Sender.SendAPI(ctx, api, cred, m)
	})
}

// VerifyAccount logs in to the account's server without sending anything.
func (e *Engine) VerifyAccount(ctx context.Context, addr string) (mail.Result, error) {
	a, err := e.Accounts.Get(addr)
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
	return e.Sender.Verify(ctx, ep, cred)
}

// credential returns the account's app password or access token; rejected
// is an access token the server just refused ("" for none).
func (e *Engine) credential(ctx context.Context, a account.Account, rejected string) (mail.Credential, error) {
	if a.Method == account.AppPassword {
		pw, err := e.Secrets.Get(ctx, a.Address, secret.AppPassword)
		if errors.Is(err, secret.ErrNotFound) {
			return mail.Credential{}, advice.Keyed(err, "engine.no_app_password", advice.Data{"Address": a.Address},
				"the keyring holds no app password for {{.Address}}",
				"Enter the app password again").Then(advice.ActionEnterAppPassword)
		}
		return mail.Credential{Username: a.Address, Password: pw}, err
	}
	tok, err := e.accessToken(ctx, a, rejected)
	return mail.Credential{Username: a.Address, Token: tok}, err
}
