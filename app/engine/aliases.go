package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/google"
)

// SendAsPath is users.settings.sendAs.list: the "Send mail as" addresses.
const SendAsPath = "/gmail/v1/users/me/settings/sendAs"

// ErrAliases means the "Send mail as" list could not be read.
var ErrAliases = advice.Sentinel(advice.Failure, "cannot read the Send mail as addresses")

// RefreshAliases reads the account's verified "Send mail as" addresses from
// Gmail (users.settings.sendAs.list) and stores them in the account. Only
// addresses whose verificationStatus is "accepted" count; the account's own
// address is left out. App-password accounts cannot read them: ErrNotOAuth.
func (e *Engine) RefreshAliases(ctx context.Context, addr string) ([]string, error) {
	a, err := e.accounts.Get(addr)
	if err != nil {
		return nil, err
	}
	if a.Method != account.OAuth {
		return nil, advice.Keyed(ErrNotOAuth, "engine.aliases_app_password", advice.Data{"Address": a.Address},
			"mailkey cannot list the Send mail as addresses of {{.Address}}: an app password only signs in to SMTP",
			"Send from {{.Address}} itself, or sign in with OAuth to use your Send mail as addresses")
	}
	tok, err := e.accessToken(ctx, a, "")
	if err != nil {
		return nil, err
	}
	aliases, err := listSendAs(ctx, e.http(e.sender.RootCAs, doctorTimeout), e.apiBase(a), tok)
	if err != nil {
		return nil, err
	}
	aliases = slices.DeleteFunc(aliases, func(s string) bool { return s == "" || account.Same(s, a.Address) })
	err = e.accounts.Modify(a.Address, func(x *account.Account) { x.SendAs = aliases })
	return aliases, err
}

// listSendAs calls users.settings.sendAs.list and returns the verified addresses.
func listSendAs(ctx context.Context, client HTTPClient, base, token string) ([]string, error) {
	if base == "" {
		base = google.DefaultAPIBase
	}
	ctx, cancel := context.WithTimeout(ctx, doctorTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(base, "/")+SendAsPath, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrAliases, err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return nil, advice.Keyed(fmt.Errorf("%w: %v", ErrAliases, err), "engine.aliases_unreachable", nil,
			"cannot reach the Gmail API to read the Send mail as addresses", "Check your connection and try again")
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 256<<10))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrAliases, err)
	}
	if resp.StatusCode != http.StatusOK {
		reply := resp.Status
		if ae, ok := google.ParseAPIError(body); ok && ae.Message != "" {
			reply += ": " + ae.Message
		}
		return nil, advice.Keyed(fmt.Errorf("%w: %d", ErrAliases, resp.StatusCode), "engine.aliases_refused",
			advice.Data{"Reply": cleanReply(reply)},
			"Gmail refused to list the Send mail as addresses ({{.Reply}})", "Check the account in mailkey, then try again")
	}
	var list struct {
		SendAs []struct {
			Email              string `json:"sendAsEmail"`
			IsPrimary          bool   `json:"isPrimary"`
			VerificationStatus string `json:"verificationStatus"`
		} `json:"sendAs"`
	}
	if err := json.Unmarshal(body, &list); err != nil {
		return nil, fmt.Errorf("%w: the answer is not JSON: %v", ErrAliases, err)
	}
	var out []string
	for _, s := range list.SendAs {
		if !s.IsPrimary && s.VerificationStatus == "accepted" && !strings.ContainsAny(s.Email, " \r\n<>,") {
			out = append(out, strings.ToLower(s.Email))
		}
	}
	return out, nil
}

// FromCheck says whether a From address is one Gmail sends as unchanged.
type FromCheck int

// FromCheck values.
const (
	FromAccount    FromCheck = iota // the account's own address
	FromAlias                       // a verified Send mail as address
	FromUnverified                  // neither: Gmail rewrites it to the account's address
	FromUnknown                     // an app-password account: mailkey cannot tell
)

// CheckFrom says whether sending from the account with the given From is
// sent as is, and when not, returns the warning to show before sending.
func CheckFrom(a account.Account, from string) (FromCheck, advice.Text) {
	switch {
	case account.Same(from, a.Address):
		return FromAccount, advice.Text{}
	case slices.ContainsFunc(a.SendAs, func(s string) bool { return account.Same(s, from) }):
		return FromAlias, advice.Text{}
	case a.Method != account.OAuth:
		return FromUnknown, advice.Explain("engine.from_unknown", advice.Data{"From": from, "Address": a.Address},
			"mailkey cannot list the Send mail as addresses of {{.Address}} (an app password has no access to them): if {{.From}} is not one, Gmail will send from {{.Address}} instead",
			"Add and verify {{.From}} in Gmail under Settings → Accounts → Send mail as, or send from {{.Address}}")
	}
	return FromUnverified, advice.Explain("engine.from_unverified", advice.Data{"From": from, "Address": a.Address},
		"{{.From}} is not a verified Send mail as address of {{.Address}}: Gmail will rewrite the From to {{.Address}}",
		"Add and verify {{.From}} in Gmail under Settings → Accounts → Send mail as, then Check again in mailkey")
}

// AccountFor returns the account a message from the address from is sent
// through: via when set, else the account whose address or verified alias
// from is.
func (e *Engine) AccountFor(from, via string) (account.Account, error) {
	addr, err := addressOf(from)
	if err != nil {
		return account.Account{}, err
	}
	return e.accountFor(addr, via)
}

func (e *Engine) accountFor(from, via string) (account.Account, error) {
	if via != "" {
		return e.accounts.Get(via)
	}
	a, err := e.accounts.Get(from)
	if !errors.Is(err, account.ErrNotFound) {
		return a, err
	}
	list, lerr := e.accounts.List()
	if lerr != nil {
		return account.Account{}, lerr
	}
	for _, x := range list {
		if slices.ContainsFunc(x.SendAs, func(s string) bool { return account.Same(s, from) }) {
			return x, nil
		}
	}
	return account.Account{}, err
}

// cleanReply makes server text safe to show (advice.Printable), at most 300
// characters.
func cleanReply(s string) string {
	return advice.Printable(s, 300)
}
