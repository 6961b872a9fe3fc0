package engine

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/google"
	"github.com/mailkey-app/mailkey/app/mail"
	"github.com/mailkey-app/mailkey/app/oauth"
	"github.com/mailkey-app/mailkey/app/secret"
	"golang.org/x/oauth2"
)

// OAuthLogin describes one OAuth sign-in.
type OAuthLogin struct {
	Client google.Client
	// SMTP is the account's SMTP URL ("" for Gmail's).
	SMTP string
	// Publishing is what the user declared for the Google Cloud project ("" = Testing).
	Publishing account.Publishing
	// Open overrides the engine's browser opener (the CLI's --no-browser prints the URL).
	Open oauth.Opener
	// Timeout bounds the wait for the browser (5 minutes when zero).
	Timeout time.Duration
	// Page words the browser's page after the sign-in, in the front end's
	// language (oauth.EnglishPage when nil).
	Page oauth.Page
	// APIBase is the Gmail API's base URL ("" for Google's), for tests and proxies.
	APIBase string
	// Transport is account.TransportSMTP, TransportAPI or TransportAuto ("" = auto).
	Transport string
	// Aliases, when set, hears how reading the verified Send mail as
	// addresses went after the sign-in (the account is saved either way).
	Aliases func(list []string, err error)
	// Confirm, when set, is asked before the sign-in replaces a saved
	// account of the same address: after Google said who signed in, before
	// anything is saved. Returning false keeps the saved account; the
	// sign-in then saves nothing and fails with ErrKept. It may wait for a
	// person, until ctx ends. Without Confirm, the account is replaced.
	Confirm func(ctx context.Context, old Info) bool
}

// ErrKept is a sign-in whose Confirm kept the saved account: nothing was saved.
// It wraps oauth.ErrNotSaved, so that the browser's page says so.
var ErrKept = fmt.Errorf("kept the saved account: %w", oauth.ErrNotSaved)

// LoginOAuth signs in through the browser and saves the account with its client
// secret and tokens. Nothing is saved unless everything succeeded.
func (e *Engine) LoginOAuth(ctx context.Context, req OAuthLogin) (account.Account, error) {
	smtpURL := google.SMTPURL(req.SMTP)
	if _, err := mail.ParseEndpoint(smtpURL); err != nil {
		return account.Account{}, err
	}
	if err := checkAPIBase(req.APIBase); err != nil {
		return account.Account{}, err
	}
	if !account.ValidTransport(req.Transport) {
		return account.Account{}, advice.Keyed(fmt.Errorf("%w: %q", ErrBadTransport, req.Transport), "engine.bad_transport",
			advice.Data{"Value": strconv.Quote(req.Transport)}, "{{.Value}} is not a transport", "Choose smtp, api or auto")
	}
	pub := req.Publishing
	if pub == "" {
		pub = account.Testing
	}
	// Nobody should sign in for nothing: a config dir or accounts file that
	// cannot be saved to, or no keyring, fails now, before the browser opens.
	if err := e.checkSavable(ctx); err != nil {
		return account.Account{}, err
	}
	open := req.Open
	if open == nil {
		open = e.Open
	}
	// The account is saved before the browser gets its page, so that the
	// page tells whether it was.
	var a account.Account
	_, err := oauth.LoginThen(ctx, req.Client, open, req.Timeout, func(ctx context.Context, res oauth.Result) error {
		var err error
		a, err = e.saveOAuth(ctx, req, smtpURL, pub, res)
		return err
	}, req.Page)
	if err != nil {
		return a, err
	}
	// Right after the sign-in, the Send mail as addresses are read, for the
	// CLI and the GUI alike; a failure keeps the ones read before.
	list, aerr := e.RefreshAliases(ctx, a.Address)
	if aerr == nil {
		a.SendAs = list
	}
	if req.Aliases != nil {
		req.Aliases(list, aerr)
	}
	return a, nil
}

// saveOAuth saves the account that signed in as res, with its client secret
// and tokens.
func (e *Engine) saveOAuth(ctx context.Context, req OAuthLogin, smtpURL string, pub account.Publishing, res oauth.Result) (account.Account, error) {
	access, err := e.encodeAccess(res.Token)
	if err != nil {
		return account.Account{}, err
	}
	signedIn := e.Now().UTC().Truncate(time.Second)
	a := account.Account{
		Address:      res.Email,
		Method:       account.OAuth,
		SMTP:         smtpURL,
		ClientID:     req.Client.ClientID,
		ProjectID:    req.Client.ProjectID,
		AuthURI:      req.Client.AuthURI,
		TokenURI:     req.Client.TokenURI,
		Publishing:   pub,
		SignedInAt:   signedIn,
		Scopes:       res.Scope,
		HostedDomain: res.HostedDomain,
		APIBase:      strings.TrimRight(req.APIBase, "/"),
		Transport:    req.Transport,
	}
	a.SignInEndsAt, a.EndFromGoogle = signInEnd(res.Token, signedIn, pub)
	if req.Confirm != nil {
		if old, err := e.Account(a.Address); err == nil && !req.Confirm(ctx, old) {
			return account.Account{}, advice.Keyed(ErrKept, "engine.kept", advice.Data{"Address": old.Address},
				"you kept the account saved for {{.Address}}: nothing from this sign-in was saved", "")
		}
	}
	if old, err := e.accounts.Get(a.Address); err == nil && a.Transport == "" && old.Method == account.OAuth {
		a.Transport = old.Transport // signing in again keeps the transport chosen before
	}
	if old, err := e.accounts.Get(a.Address); err == nil && old.Method == account.OAuth {
		a.SendAs = old.SendAs // until read again, right after the sign-in
	}
	err = e.save(ctx, a, map[secret.Kind]string{
		secret.ClientSecret: req.Client.ClientSecret,
		secret.RefreshToken: res.Token.RefreshToken,
		secret.AccessToken:  access,
	}, secret.AppPassword)
	return a, err
}

// checkSavable checks that an account could be saved now: the accounts file
// and its directory (see account.Store.CheckWritable) and the keyring.
func (e *Engine) checkSavable(ctx context.Context) error {
	if err := e.accounts.CheckWritable(); err != nil {
		return err
	}
	return e.secrets.Check(ctx)
}

// ErrBadTransport means a transport other than smtp, api or auto was asked for.
var ErrBadTransport = advice.Sentinel(advice.Usage, "unknown transport")

// LoginAppPassword checks the app password with a real SMTP login and, if the
// server accepts it, saves the account. A rejected password saves nothing.
func (e *Engine) LoginAppPassword(ctx context.Context, addr, password, smtpURL string) (account.Account, error) {
	address, err := addressOf(addr)
	if err != nil {
		return account.Account{}, err
	}
	smtpURL = google.SMTPURL(smtpURL)
	ep, err := mail.ParseEndpoint(smtpURL)
	if err != nil {
		return account.Account{}, err
	}
	pw, err := google.NormalizeAppPassword(password)
	if err != nil {
		return account.Account{}, err
	}
	// The accounts file is checked before the SMTP login; the keyring is
	// not, so that the password is checked even where it cannot be saved.
	if err := e.accounts.CheckWritable(); err != nil {
		return account.Account{}, err
	}
	if _, err := e.sender.Verify(ctx, ep, mail.Credential{Username: address, Password: pw}); err != nil {
		return account.Account{}, err
	}
	a := account.Account{
		Address:    strings.ToLower(address),
		Method:     account.AppPassword,
		SMTP:       smtpURL,
		SignedInAt: e.Now().UTC().Truncate(time.Second),
	}
	err = e.save(ctx, a, map[secret.Kind]string{secret.AppPassword: pw},
		secret.RefreshToken, secret.AccessToken, secret.ClientSecret)
	return a, err
}

// needsSignIn marks the account, with the cause of err, and returns err
// unchanged.
func (e *Engine) needsSignIn(a account.Account, err error) error {
	_ = e.accounts.Modify(a.Address, func(x *account.Account) {
		x.NeedsSignIn, x.SignInCause, x.SignInDetail = true, signInCause(err), nil
		if r, ok := oauth.RefusalOf(err); ok {
			x.SignInDetail = &account.SignInDetail{Error: r.Code, Description: r.Description}
		}
	})
	return err
}

// signInCause returns the cause that an error asking for a new sign-in
// gives, from its sentinels.
func signInCause(err error) account.SignInCause {
	switch {
	case errors.Is(err, oauth.ErrClientDeleted):
		return account.CauseClientDeleted
	case errors.Is(err, oauth.ErrSecretMissing):
		return account.CauseSecretMissing
	case errors.Is(err, oauth.ErrClientType):
		return account.CauseClientType
	case errors.Is(err, oauth.ErrInvalidClient):
		return account.CauseClientRefused
	case errors.Is(err, oauth.ErrSessionControl):
		return account.CauseSessionControl
	case errors.Is(err, errNoSignIn):
		return account.CauseNoSignIn
	case errors.Is(err, mail.ErrTokenRejected):
		return account.CauseTokenRefused
	case errors.Is(err, oauth.ErrNeedsSignIn):
		return account.CauseRefreshRefused
	}
	return account.CauseOther
}

// signInEnd is when Google will end a sign-in made at signedIn: the token
// response's refresh_token_expires_in when Google sent one (it does for an
// app in Testing), else 7 days for Testing, else no end.
func signInEnd(tok *oauth2.Token, signedIn time.Time, pub account.Publishing) (time.Time, bool) {
	if secs, ok := tok.Extra("refresh_token_expires_in").(float64); ok && secs > 0 && secs < 10*365*24*3600 {
		return signedIn.Add(time.Duration(secs) * time.Second), true
	}
	if pub == account.Production {
		return time.Time{}, false
	}
	return signedIn.Add(account.TestingLifetime), false
}

// SetPublishing records the publishing status the user declared for an OAuth
// account's Google Cloud project at its latest sign-in. Declaring In
// production lifts the 7-day end only when Google didn't give one: a sign-in
// made while the app was in Testing ends 7 days after consent even once the
// app is published, and only a new sign-in lasts (GOOGLE.md). Declaring
// Testing gives a sign-in without an end the 7-day one.
func (e *Engine) SetPublishing(addr string, p account.Publishing) error {
	return e.accounts.Modify(addr, func(a *account.Account) {
		a.Publishing = p
		switch {
		case p == account.Production && !a.EndFromGoogle:
			a.SignInEndsAt = time.Time{}
		case p != account.Production && a.SignInEndsAt.IsZero() && !a.SignedInAt.IsZero():
			a.SignInEndsAt = a.SignedInAt.Add(account.TestingLifetime)
		}
	})
}

// ClientFor returns the OAuth client an account signed in with, secret
// included, so that "Sign in again" needs no new client JSON.
func (e *Engine) ClientFor(ctx context.Context, addr string) (google.Client, error) {
	a, err := e.accounts.Get(addr)
	if err != nil {
		return google.Client{}, err
	}
	if a.Method != account.OAuth {
		return google.Client{}, advice.Keyed(ErrNotOAuth, "engine.not_oauth", advice.Data{"Address": a.Address},
			"{{.Address}} uses an app password", "Replace the app password instead")
	}
	secretValue, err := e.secrets.Get(ctx, a.Address, secret.ClientSecret)
	if errors.Is(err, secret.ErrNotFound) {
		return google.Client{}, advice.Keyed(err, "engine.no_client_secret", nil,
			"the keyring no longer holds this account's client secret",
			"Sign in again and give mailkey the client ID and secret. If you no longer have the secret, "+
				"open the client on the Clients page of the Google Cloud console, click Add secret and use the new secret")
	}
	if err != nil {
		return google.Client{}, err
	}
	return google.Client{ClientID: a.ClientID, ClientSecret: secretValue, ProjectID: a.ProjectID, AuthURI: a.AuthURI, TokenURI: a.TokenURI}, nil
}
