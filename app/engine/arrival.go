package engine

import (
	"context"
	"errors"
	"time"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/arrival"
	"github.com/mailkey-app/mailkey/app/mail"
)

// Arrival is the outcome of TestArrival: the send, then where the message landed.
type Arrival struct {
	Sent mail.Result
	arrival.Result
}

// TestArrival sends a test message from the account to itself, then looks
// for it in the mailbox for up to timeout (arrival.DefaultTimeout when
// zero): through the Gmail API for OAuth accounts, over IMAP with the app
// password otherwise. A failed send is returned as the error; a failed look
// too, with the send's result.
func (e *Engine) TestArrival(ctx context.Context, addr string, timeout time.Duration) (Arrival, error) {
	a, err := e.accounts.Get(addr)
	if err != nil {
		return Arrival{}, err
	}
	if _, err := e.finder(ctx, a); err != nil { // fail before sending when the mailbox cannot be read
		return Arrival{}, err
	}
	m := mail.Message{
		From: a.Address, To: []string{a.Address},
		Subject: "mailkey test " + time.Now().Format("2006-01-02 15:04:05"),
		Body:    "This is a test message from mailkey. It proves that mail sent as " + a.Address + " arrives.\n",
	}
	sent, err := e.Send(ctx, m)
	if err != nil {
		return Arrival{Sent: sent}, err
	}
	// The time counts from the moment the server accepted the message (the
	// end of the send), as the GUI counts it: what the mailbox took, not the
	// network before it. Wall time: arrival is measured, not simulated.
	res, err := e.WaitArrival(ctx, a.Address, sent.MessageID, time.Now(), timeout)
	return Arrival{Sent: sent, Result: res}, err
}

// WaitArrival looks for the message messageID, accepted by the server at
// start, in the account's mailbox until timeout has passed since start.
func (e *Engine) WaitArrival(ctx context.Context, addr, messageID string, start time.Time, timeout time.Duration) (arrival.Result, error) {
	a, err := e.accounts.Get(addr)
	if err != nil {
		return arrival.Result{}, err
	}
	if timeout <= 0 {
		timeout = arrival.DefaultTimeout
	}
	finder, err := e.finder(ctx, a)
	if err != nil {
		return arrival.Result{}, err
	}
	poll := min(arrival.DefaultPoll, max(timeout/20, 50*time.Millisecond))
	res, err := arrival.Wait(ctx, finder, messageID, start, timeout, poll, time.Now)
	res.Method = "imap"
	if a.Method == account.OAuth {
		res.Method = "gmail-api"
	}
	return res, err
}

// finder returns how to read the account's mailbox.
func (e *Engine) finder(ctx context.Context, a account.Account) (arrival.Finder, error) {
	if a.Method == account.OAuth {
		return &apiFinder{e: e, a: a}, nil
	}
	imapURL := a.IMAP
	if imapURL == "" {
		imapURL = e.defaultIMAP
	}
	if _, err := arrival.ParseIMAPURL(imapURL); err != nil {
		return nil, err
	}
	cred, err := e.credential(ctx, a, "")
	if err != nil {
		return nil, err
	}
	return arrival.IMAP{URL: imapURL, Username: a.Address, Password: cred.Password, RootCAs: e.sender.RootCAs}, nil
}

// apiFinder reads the mailbox through the Gmail API; a refused token is
// refreshed before the next look.
type apiFinder struct {
	e        *Engine
	a        account.Account
	last     string
	rejected string
}

func (f *apiFinder) Find(ctx context.Context, messageID string) (arrival.Found, bool, error) {
	g := arrival.GmailAPI{Base: f.e.apiBase(f.a), RootCAs: f.e.sender.RootCAs, Token: func(ctx context.Context) (string, error) {
		tok, err := f.e.accessToken(ctx, f.a, f.rejected)
		f.last = tok
		return tok, err
	}}
	found, ok, err := g.Find(ctx, messageID)
	if errors.Is(err, arrival.ErrTokenRejected) {
		f.rejected = f.last
	}
	return found, ok, err
}

// SetIMAP sets the IMAP URL an account's mailbox is read at ("" for Gmail's).
func (e *Engine) SetIMAP(addr, imapURL string) error {
	if _, err := arrival.ParseIMAPURL(imapURL); err != nil {
		return err
	}
	return e.accounts.Modify(addr, func(a *account.Account) { a.IMAP = imapURL })
}

// apiBase is the account's Gmail API base, or the engine's default.
func (e *Engine) apiBase(a account.Account) string {
	if a.APIBase != "" {
		return a.APIBase
	}
	return e.defaultAPI
}
