package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/google"
	"github.com/mailkey-app/mailkey/app/mail"
	"github.com/mailkey-app/mailkey/app/oauth"
	"github.com/mailkey-app/mailkey/app/secret"
	"github.com/mailkey-app/mailkey/app/setup"
)

// IDs of the health checks, in the order Doctor returns them.
const (
	CheckScope   = "scope"
	CheckAPI     = "gmail-api"
	CheckAddress = "address"
	CheckSMTP    = "smtp-login"
	CheckClient  = "client-use"
)

// Check is one line of an account's health list.
type Check struct {
	// ID names the check for code and tests (CheckScope, …).
	ID string
	// Title says what is checked, e.g. "Gmail API enabled".
	Title string
	// OK is true when the check passed.
	OK bool
	// Skipped is true when the check does not apply to the account, or could
	// not run because an earlier one failed. A skipped check is not a failure.
	Skipped bool
	// Detail says what was found.
	Detail string
	// Fix says what to do when the check failed.
	Fix string
	// Text is Detail and Fix with the key of their translations.
	Text advice.Text
	// Link is the page where the fix happens, or "".
	Link string
	// SignIn is true when signing in again is the fix.
	SignIn bool
	// Err is the failure of a failed check that met an error, for
	// errors.Is (oauth.ErrClientDeleted, …); nil otherwise.
	Err error

	// signedIn is true on the API check when Google gave an access token;
	// apiOff is set when the API answered that it is turned off in the
	// project, as the checklist flags it.
	signedIn bool
	apiOff   setup.Flag
}

// Failed reports whether the check ran and failed.
func (c Check) Failed() bool { return !c.OK && !c.Skipped }

// doctorTimeout bounds each network call of Doctor.
const doctorTimeout = 20 * time.Second

// Doctor checks what it can about an account and returns one Check per item:
// for OAuth, that the sign-in granted https://mail.google.com/, that the Gmail
// API is on in the client's project, that the signed-in address is the
// mailbox's, and that Gmail's SMTP server accepts the login; for an app
// password, the SMTP login only. Last, for OAuth, that the OAuth client was
// used within the last 150 days (Account.ClientIdle), since Google deletes
// idle clients.
// It fails only when the account cannot be read.
func (e *Engine) Doctor(ctx context.Context, addr string) ([]Check, error) {
	a, err := e.accounts.Get(addr)
	if err != nil {
		return nil, err
	}
	if a.Method != account.OAuth {
		checks := []Check{
			{ID: CheckScope, Title: "Permission to send mail granted", Skipped: true},
			{ID: CheckAPI, Title: "Gmail API enabled", Skipped: true},
			{ID: CheckAddress, Title: "Signed-in address matches", Skipped: true},
		}
		for i := range checks {
			checks[i].say("doctor.not_applicable", nil,
				"Not applicable to an app password, which signs in to Gmail's SMTP server only", "")
		}
		return append(checks, e.smtpCheck(ctx, a)), nil
	}
	api, email, signedIn := e.apiCheck(ctx, a)
	if signedIn {
		_, _ = e.RefreshAliases(ctx, a.Address) // Check again also reads the Send mail as addresses (aliases.go)
	}
	smtp := Check{ID: CheckSMTP, Title: "SMTP login accepted", Skipped: true}
	smtp.say("doctor.smtp_needs_sign_in", nil, "Needs a valid sign-in, see above", "")
	if signedIn {
		smtp = e.smtpCheck(ctx, a)
	}
	return []Check{scopeCheck(a), api, addressCheck(a, email), smtp, e.clientCheck(a)}, nil
}

// clientCheck warns when the OAuth client has gone unused long enough that
// Google may soon delete it (after about 6 months). The account is read
// again: the checks above may just have refreshed its token, which is use.
func (e *Engine) clientCheck(a account.Account) Check {
	c := Check{ID: CheckClient, Title: "OAuth client kept in use"}
	if fresh, err := e.accounts.Get(a.Address); err == nil {
		a = fresh
	}
	last, now := a.LastClientUse(), e.Now()
	if last.IsZero() {
		c.Skipped = true
		c.say("doctor.client_use_unknown", nil, "mailkey has no record of this client's last use yet", "")
		return c
	}
	date := last.Local().Format("2006-01-02")
	if !a.ClientIdle(now) {
		c.OK = true
		c.say("doctor.client_used", advice.Data{"Date": date}, "The client was last used on {{.Date}}", "")
		return c
	}
	c.Link = google.ClientsLink(a.ProjectID)
	c.say("doctor.client_idle", advice.Data{"Date": date, "Days": int(now.Sub(last) / (24 * time.Hour))},
		"This account has not used its OAuth client since {{.Date}} ({{.Days}} days): Google deletes clients left unused for about 6 months",
		"Send a message from this account now: every token refresh counts as use. If Google has already deleted the client, "+
			"restore it within 30 days on the Clients page")
	return c
}

// Findings is what health checks prove about the console checklist
// (google.ConsoleSteps): the steps shown done, and the steps shown not done
// with what the check found, as the setup progress saves it.
type Findings struct {
	Done    []string
	NotDone map[string]setup.Flag
}

// ConsoleFindings reads Doctor's checks of an OAuth account for what they
// prove, and nothing more: a sign-in that got an access token proves the
// project, the Audience (the user may sign in), the client and its file; the
// API check proves the Gmail API on or off; a granted mail scope proves the
// scopes step.
func ConsoleFindings(checks []Check) Findings {
	f := Findings{NotDone: map[string]setup.Flag{}}
	for _, c := range checks {
		switch c.ID {
		case CheckAPI:
			if c.signedIn {
				f.Done = append(f.Done, "project", "audience", "client", "download")
			}
			switch {
			case c.OK:
				f.Done = append(f.Done, "gmail-api")
			case c.apiOff.Finding != "":
				f.NotDone["gmail-api"] = c.apiOff
			}
		case CheckScope:
			if c.OK {
				f.Done = append(f.Done, "scopes")
			}
		}
	}
	return f
}

func scopeCheck(a account.Account) Check {
	c := Check{ID: CheckScope, Title: "Permission to send mail granted"}
	switch {
	case a.Scopes == "":
		c.Skipped = true
		c.say("doctor.scope_unknown", nil,
			"This sign-in is older than mailkey's record of the granted permissions; sign in again to check it", "")
	case hasField(a.Scopes, google.ScopeMail):
		c.OK = true
		c.say("doctor.scope_ok", advice.Data{"Scope": google.ScopeMail}, "Google granted {{.Scope}}", "")
	default:
		c.say("doctor.scope_missing", advice.Data{"Granted": a.Scopes, "Scope": google.ScopeMail},
			"Google granted only {{.Granted}}, without {{.Scope}}, which Gmail's SMTP server needs",
			"Sign in again and tick “Read, compose, send and permanently delete all your email from Gmail” on Google's consent screen")
		c.SignIn = true
	}
	return c
}

func hasField(list, want string) bool {
	for _, f := range strings.Fields(list) {
		if f == want {
			return true
		}
	}
	return false
}

// apiCheck asks the Gmail API for the profile and returns the check, the
// address the API answered for ("" when it did not), and whether an access
// token was had. An account whose keyring entry is missing is reported, not
// marked: its saved reason, if any, stays.
func (e *Engine) apiCheck(ctx context.Context, a account.Account) (Check, string, bool) {
	c := Check{ID: CheckAPI, Title: "Gmail API enabled"}
	if _, err := e.secrets.Get(ctx, a.Address, secret.RefreshToken); err != nil {
		if errors.Is(err, secret.ErrNotFound) {
			err = noSignIn(a)
		}
		return failWith(c, err), "", false
	}
	tok, err := e.accessToken(ctx, a, "")
	if err != nil {
		return failWith(c, err), "", false
	}
	status, body, err := getProfile(ctx, e.http(e.sender.RootCAs, doctorTimeout), a.APIBase, tok)
	if err == nil && status == http.StatusUnauthorized { // a cached token Google no longer takes
		if tok, err = e.accessToken(ctx, a, tok); err != nil {
			return failWith(c, err), "", false
		}
		status, body, err = getProfile(ctx, e.http(e.sender.RootCAs, doctorTimeout), a.APIBase, tok)
	}
	c.signedIn = true
	if err != nil {
		c.say("doctor.api_unreachable", advice.Data{"Error": err.Error()},
			"Could not reach the Gmail API: {{.Error}}", "Check your internet connection and check again")
		return c, "", true
	}
	if status == http.StatusOK {
		var p struct {
			EmailAddress string `json:"emailAddress"`
		}
		if json.Unmarshal(body, &p) != nil || p.EmailAddress == "" {
			c.say("doctor.api_no_address", nil, "The Gmail API answered without an address", "Check again in a minute")
			return c, "", true
		}
		c.OK = true
		c.say("doctor.api_ok", advice.Data{"Address": p.EmailAddress}, "The Gmail API answered for {{.Address}}", "")
		return c, p.EmailAddress, true
	}
	return apiFailure(c, a, status, body), "", true
}

// apiFailure explains a Gmail API answer other than 200.
func apiFailure(c Check, a account.Account, status int, body []byte) Check {
	ae, ok := google.ParseAPIError(body)
	switch {
	case ok && ae.ServiceDisabled():
		project := a.ProjectID
		if project == "" {
			project = ae.ProjectNumber()
		}
		c.apiOff = setup.Flag{Finding: setup.FindingAPIOff, Project: project}
		c.Text, _ = FindingText(c.apiOff)
		c.Detail, c.Fix = c.Text.What, c.Text.Next
		c.Link = mail.ActivationLink(ae, project)
	case ok && ae.ScopeInsufficient():
		c.say("doctor.api_scope", nil, "Google refused the call: this sign-in lacks the Gmail permission",
			"Sign in again and allow mailkey to use Gmail")
		c.SignIn = true
	case status == http.StatusUnauthorized:
		c.say("doctor.api_401", nil, "Google refused the access token (401)", "Sign in again")
		c.SignIn = true
	case status == http.StatusTooManyRequests || ok && (ae.Has("rateLimitExceeded") || ae.Has("failedPrecondition")):
		// a limit reached, or an account without a Gmail mailbox: as a send would say it
		return failWith(c, mail.ExplainAPI(mail.API{ProjectID: a.ProjectID}, status, body))
	default:
		data := advice.Data{"Status": fmt.Sprintf("%d %s", status, http.StatusText(status))}
		if msg := advice.Printable(ae.Message, 300); ok && msg != "" {
			data["Message"] = msg
			c.say("doctor.api_status_message", data, "The Gmail API answered {{.Status}}: {{.Message}}", "Check again in a minute")
		} else {
			c.say("doctor.api_status", data, "The Gmail API answered {{.Status}}", "Check again in a minute")
		}
	}
	return c
}

// FindingText is what a health check found about a console step, in
// English with the key of its translations, as the check said it; false for
// a finding this mailkey cannot word (setup.FindingUnknown).
func FindingText(f setup.Flag) (advice.Text, bool) {
	if f.Finding != setup.FindingAPIOff {
		return advice.Text{}, false
	}
	if f.Project != "" {
		return advice.Explain("doctor.api_off_project", advice.Data{"Project": f.Project},
			"The Gmail API is turned off in your Google Cloud project ({{.Project}})",
			"Open the link, click Enable, wait a few minutes for it to take effect, then check again"), true
	}
	return advice.Explain("doctor.api_off", nil, "The Gmail API is turned off in your Google Cloud project",
		"Open the link, click Enable, wait a few minutes for it to take effect, then check again"), true
}

// say sets the check's Detail and Fix from English templates and the key of
// their translations, as advice.Explain does.
func (c *Check) say(key string, data advice.Data, detail, fix string) {
	c.Text = advice.Explain(key, data, detail, fix)
	c.Detail, c.Fix = c.Text.What, c.Text.Next
}

// failWith fills a failed check from an error that carries advice.
func failWith(c Check, err error) Check {
	c.Err = err
	c.Text = advice.TextOf(err)
	c.Detail, c.Fix = c.Text.What, c.Text.Next
	c.SignIn = errors.Is(err, oauth.ErrNeedsSignIn) || errors.Is(err, oauth.ErrInvalidClient) ||
		errors.Is(err, mail.ErrTokenRejected) || errors.Is(err, mail.ErrAuthRejected)
	if c.Fix == "" && c.SignIn {
		c.Fix = "Sign in again" // c.Text.Next stays empty: the GUI says this in its own words
	}
	return c
}

func addressCheck(a account.Account, email string) Check {
	c := Check{ID: CheckAddress, Title: "Signed-in address matches"}
	switch {
	case email == "":
		c.Skipped = true
		c.say("doctor.address_needs_api", nil, "Needs the Gmail API, see above", "")
	case account.Same(email, a.Address):
		c.OK = true
		c.say("doctor.address_ok", advice.Data{"Address": a.Address}, "Signed in as {{.Address}}; Gmail answers for the same mailbox", "")
	default:
		c.say("doctor.address_other", advice.Data{"Address": a.Address, "Email": email},
			"The sign-in is for {{.Address}} but the Gmail API answers for {{.Email}}",
			"Sign in again as {{.Address}} (in the browser, choose that account)")
		c.SignIn = true
	}
	return c
}

func (e *Engine) smtpCheck(ctx context.Context, a account.Account) Check {
	c := Check{ID: CheckSMTP, Title: "SMTP login accepted"}
	ctx, cancel := context.WithTimeout(ctx, doctorTimeout)
	defer cancel()
	if _, err := e.VerifyAccount(ctx, a.Address); err != nil {
		c = failWith(c, err)
		if a.Method == account.AppPassword && c.SignIn {
			c.SignIn = false // the fix is a new app password, not a browser sign-in
		}
		return c
	}
	c.OK = true
	c.say("doctor.smtp_ok", advice.Data{"Server": accountHost(a.SMTP)}, "The server {{.Server}} accepted the login", "")
	return c
}

func accountHost(raw string) string {
	ep, err := endpoint(raw)
	if err != nil {
		return raw
	}
	return ep.Addr()
}

// getProfile calls GET {base}/gmail/v1/users/me/profile with the token.
func getProfile(ctx context.Context, client HTTPClient, base, token string) (int, []byte, error) {
	if base == "" {
		base = google.DefaultAPIBase
	}
	ctx, cancel := context.WithTimeout(ctx, doctorTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(base, "/")+google.ProfilePath, nil)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // the URL is known; drop it from the message
		}
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	return resp.StatusCode, body, err
}

// checkAPIBase accepts "" or an http(s) URL with a host.
func checkAPIBase(raw string) error {
	if raw == "" {
		return nil
	}
	u, err := url.Parse(raw)
	if err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && u.RawQuery == "" {
		return nil
	}
	return advice.Keyed(fmt.Errorf("%w: %q", ErrBadAPIBase, raw), "engine.bad_api_base",
		advice.Data{"Value": strconv.Quote(raw), "Default": google.DefaultAPIBase},
		"{{.Value}} is not a Gmail API address", "Give a URL such as {{.Default}}, or leave it out")
}

// ErrBadAPIBase means the Gmail API base URL given at sign-in is not a URL.
var ErrBadAPIBase = advice.Sentinel(advice.Failure, "bad Gmail API URL")
