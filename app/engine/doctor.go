package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/google"
	"github.com/mailkey-app/mailkey/app/mail"
	"github.com/mailkey-app/mailkey/app/oauth"
	"github.com/mailkey-app/mailkey/app/secret"
)

// IDs of the health checks, in the order Doctor returns them.
const (
	CheckScope   = "scope"
	CheckAPI     = "gmail-api"
	CheckAddress = "address"
	CheckSMTP    = "smtp-login"
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
	// Link is the page where the fix happens, or "".
	Link string
	// SignIn is true when signing in again is the fix.
	SignIn bool

	// signedIn is true on the API check when Google gave an access token;
	// apiOff when the API answered that it is turned off in the project.
	signedIn, apiOff bool
}

// Failed reports whether the check ran and failed.
func (c Check) Failed() bool { return !c.OK && !c.Skipped }

// doctorTimeout bounds each network call of Doctor.
const doctorTimeout = 20 * time.Second

// Doctor checks what it can about an account and returns one Check per item:
// for OAuth, that the sign-in granted https://mail.google.com/, that the Gmail
// API is on in the client's project, that the signed-in address is the
// mailbox's, and that Gmail's SMTP server accepts the login; for an app
// password, the SMTP login only. It fails only when the account cannot be read.
func (e *Engine) Doctor(ctx context.Context, addr string) ([]Check, error) {
	a, err := e.Accounts.Get(addr)
	if err != nil {
		return nil, err
	}
	if a.Method != account.OAuth {
		na := "Not applicable to an app password, which signs in to Gmail's SMTP server only"
		return []Check{
			{ID: CheckScope, Title: "Permission to send mail granted", Skipped: true, Detail: na},
			{ID: CheckAPI, Title: "Gmail API enabled", Skipped: true, Detail: na},
			{ID: CheckAddress, Title: "Signed-in address matches", Skipped: true, Detail: na},
			e.smtpCheck(ctx, a),
		}, nil
	}
	api, email, signedIn := e.apiCheck(ctx, a)
	smtp := Check{ID: CheckSMTP, Title: "SMTP login accepted", Skipped: true, Detail: "Needs a valid sign-in, see above"}
	if signedIn {
		smtp = e.smtpCheck(ctx, a)
	}
	return []Check{scopeCheck(a), api, addressCheck(a, email), smtp}, nil
}

// Findings is what health checks prove about the console checklist
// (google.ConsoleSteps): the steps shown done, and the steps shown not done
// with the check's finding as the reason.
type Findings struct {
	Done    []string
	NotDone map[string]string
}

// ConsoleFindings reads Doctor's checks of an OAuth account for what they
// prove, and nothing more: a sign-in that got an access token proves the
// project, the Audience (the user may sign in), the client and its file; the
// API check proves the Gmail API on or off; a granted mail scope proves the
// scopes step.
func ConsoleFindings(checks []Check) Findings {
	f := Findings{NotDone: map[string]string{}}
	for _, c := range checks {
		switch c.ID {
		case CheckAPI:
			if c.signedIn {
				f.Done = append(f.Done, "project", "audience", "client", "download")
			}
			switch {
			case c.OK:
				f.Done = append(f.Done, "gmail-api")
			case c.apiOff:
				f.NotDone["gmail-api"] = c.Detail
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
		c.Detail = "This sign-in is older than mailkey's record of the granted permissions; sign in again to check it"
	case hasField(a.Scopes, google.ScopeMail):
		c.OK = true
		c.Detail = "Google granted " + google.ScopeMail
	default:
		c.Detail = "Google granted only " + a.Scopes + ", without " + google.ScopeMail + ", which Gmail's SMTP server needs"
		c.Fix = "Sign in again and tick “Read, compose, send and permanently delete all your email from Gmail” on Google's consent screen"
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
	if _, err := e.Secrets.Get(ctx, a.Address, secret.RefreshToken); err != nil {
		if errors.Is(err, secret.ErrNotFound) {
			err = advice.New(oauth.ErrNeedsSignIn, "the keyring holds no sign-in for "+a.Address, "Sign in again")
		}
		return failWith(c, err), "", false
	}
	tok, err := e.accessToken(ctx, a, false)
	if err != nil {
		return failWith(c, err), "", false
	}
	status, body, err := getProfile(ctx, a.APIBase, tok)
	if err == nil && status == http.StatusUnauthorized { // a cached token Google no longer takes
		if tok, err = e.accessToken(ctx, a, true); err != nil {
			return failWith(c, err), "", false
		}
		status, body, err = getProfile(ctx, a.APIBase, tok)
	}
	c.signedIn = true
	if err != nil {
		c.Detail = "Could not reach the Gmail API: " + err.Error()
		c.Fix = "Check your internet connection and check again"
		return c, "", true
	}
	if status == http.StatusOK {
		var p struct {
			EmailAddress string `json:"emailAddress"`
		}
		if json.Unmarshal(body, &p) != nil || p.EmailAddress == "" {
			c.Detail = "The Gmail API answered without an address"
			c.Fix = "Check again in a minute"
			return c, "", true
		}
		c.OK = true
		c.Detail = "The Gmail API answered for " + p.EmailAddress
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
		c.apiOff = true
		c.Detail = "The Gmail API is turned off in your Google Cloud project"
		if project != "" {
			c.Detail += " (" + project + ")"
		}
		c.Fix = "Open the link, click Enable, wait a minute, then check again"
		c.Link = google.GmailAPILink(project)
	case ok && ae.ScopeInsufficient():
		c.Detail = "Google refused the call: this sign-in lacks the Gmail permission"
		c.Fix = "Sign in again and allow mailkey to use Gmail"
		c.SignIn = true
	case status == http.StatusUnauthorized:
		c.Detail = "Google refused the access token (401)"
		c.Fix = "Sign in again"
		c.SignIn = true
	default:
		c.Detail = fmt.Sprintf("The Gmail API answered %d %s", status, http.StatusText(status))
		if ok && ae.Message != "" {
			c.Detail += ": " + ae.Message
		}
		c.Fix = "Check again in a minute"
	}
	return c
}

// failWith fills a failed check from an error that carries advice.
func failWith(c Check, err error) Check {
	c.Detail = sentenceCase(advice.What(err))
	c.Fix = sentenceCase(advice.Next(err))
	c.SignIn = errors.Is(err, oauth.ErrNeedsSignIn) || errors.Is(err, oauth.ErrInvalidClient) ||
		errors.Is(err, mail.ErrTokenRejected) || errors.Is(err, mail.ErrAuthRejected)
	if c.Fix == "" && c.SignIn {
		c.Fix = "Sign in again"
	}
	return c
}

func sentenceCase(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || strings.HasPrefix(s, "mailkey") {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func addressCheck(a account.Account, email string) Check {
	c := Check{ID: CheckAddress, Title: "Signed-in address matches"}
	switch {
	case email == "":
		c.Skipped = true
		c.Detail = "Needs the Gmail API, see above"
	case account.Same(email, a.Address):
		c.OK = true
		c.Detail = "Signed in as " + a.Address + "; Gmail answers for the same mailbox"
	default:
		c.Detail = "The sign-in is for " + a.Address + " but the Gmail API answers for " + email
		c.Fix = "Sign in again as " + a.Address + " (in the browser, choose that account)"
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
	c.Detail = "The server " + accountHost(a.SMTP) + " accepted the login"
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
func getProfile(ctx context.Context, base, token string) (int, []byte, error) {
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
	resp, err := http.DefaultClient.Do(req)
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
	return advice.New(fmt.Errorf("%w: %q", ErrBadAPIBase, raw), fmt.Sprintf("%q is not a Gmail API address", raw),
		"Give a URL such as "+google.DefaultAPIBase+", or leave it out")
}

// ErrBadAPIBase means the Gmail API base URL given at sign-in is not a URL.
var ErrBadAPIBase = errors.New("bad Gmail API URL")
