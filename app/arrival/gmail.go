package arrival

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/google"
	"github.com/mailkey-app/mailkey/app/internal/trust"
)

// ErrTokenRejected means the Gmail API refused the access token (401): the
// caller may refresh it and look again.
var ErrTokenRejected = advice.SentinelUnder(ErrLook, advice.Auth, "token refused")

// ErrRefused means the Gmail API refused the look for a reason that
// looking again will not change (the API off, a missing permission).
var ErrRefused = advice.SentinelUnder(ErrLook, advice.Failure, "refused")

// maxAnswer bounds every answer read from the Gmail API.
const maxAnswer = 256 << 10

// requestTimeout bounds one request to the Gmail API.
const requestTimeout = 15 * time.Second

// GmailAPI finds messages with the Gmail API: users.messages.list with
// q=rfc822msgid:, then users.messages.get with format=metadata for the
// labels and the Authentication-Results header.
type GmailAPI struct {
	// Base is the API's base URL ("" for google.DefaultAPIBase).
	Base string
	// Token returns a valid access token.
	Token func(ctx context.Context) (string, error)
	// RootCAs, when set, replaces the system roots (tests).
	RootCAs *x509.CertPool
}

var _ Finder = GmailAPI{}

func (g GmailAPI) base() string {
	if b := strings.TrimRight(g.Base, "/"); b != "" {
		return b
	}
	return google.DefaultAPIBase
}

func (g GmailAPI) client() *http.Client {
	return &http.Client{Transport: trust.Transport(g.RootCAs), Timeout: requestTimeout}
}

// Find implements Finder.
func (g GmailAPI) Find(ctx context.Context, messageID string) (Found, bool, error) {
	var list struct {
		Messages []struct {
			ID string `json:"id"`
		} `json:"messages"`
	}
	q := url.Values{"q": {"rfc822msgid:" + strings.Trim(messageID, "<>")}, "includeSpamTrash": {"true"}}
	if err := g.get(ctx, "/gmail/v1/users/me/messages?"+q.Encode(), &list); err != nil {
		return Found{}, false, err
	}
	if len(list.Messages) == 0 {
		return Found{}, false, nil
	}
	var msg struct {
		LabelIDs []string `json:"labelIds"`
		Payload  struct {
			Headers []struct {
				Name  string `json:"name"`
				Value string `json:"value"`
			} `json:"headers"`
		} `json:"payload"`
	}
	q = url.Values{"format": {"metadata"}, "metadataHeaders": {"Authentication-Results"}}
	if err := g.get(ctx, "/gmail/v1/users/me/messages/"+url.PathEscape(list.Messages[0].ID)+"?"+q.Encode(), &msg); err != nil {
		return Found{}, false, err
	}
	f := Found{Place: Other, Labels: msg.LabelIDs}
	switch {
	case slices.Contains(msg.LabelIDs, "SPAM"):
		f.Place = Spam
	case slices.Contains(msg.LabelIDs, "INBOX"):
		f.Place = Inbox
	}
	for _, h := range msg.Payload.Headers {
		if strings.EqualFold(h.Name, "Authentication-Results") {
			f.AuthResults = clean(h.Value)
			break
		}
	}
	return f, true, nil
}

// get fetches path and decodes its JSON answer into v.
func (g GmailAPI) get(ctx context.Context, path string, v any) error {
	tok, err := g.Token(ctx)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, g.base()+path, nil)
	if err != nil {
		return advice.Keyed(fmt.Errorf("%w: %v", ErrLook, err), "arrival.bad_api_url", advice.Data{"URL": g.base()},
			"{{.URL}} is not a Gmail API address", "Sign in again without --api")
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Accept", "application/json")
	resp, err := g.client().Do(req)
	if err != nil {
		return advice.Keyed(fmt.Errorf("%w: %v", ErrLook, clean(err.Error())), "arrival.api_unreachable", nil,
			"cannot reach the Gmail API to look for the message", "Check your connection and try again")
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return fmt.Errorf("%w: reading the answer: %v", ErrLook, err)
	}
	if resp.StatusCode == http.StatusUnauthorized {
		return advice.Keyed(ErrTokenRejected, "arrival.api_401", nil,
			"the Gmail API refused the sign-in token while looking for the message", "Sign in again")
	}
	if resp.StatusCode/100 != 2 {
		reply := resp.Status
		if ae, ok := google.ParseAPIError(body); ok && ae.Message != "" {
			reply += ": " + ae.Message
		}
		cause := ErrLook
		if resp.StatusCode/100 == 4 && resp.StatusCode != http.StatusTooManyRequests {
			cause = ErrRefused // asking again will not help
		}
		return advice.Keyed(fmt.Errorf("%w: %d", cause, resp.StatusCode), "arrival.api_refused",
			advice.Data{"Reply": clean(reply)},
			"the Gmail API refused to list the mailbox ({{.Reply}})",
			"Check that the Gmail API is enabled and that you allowed mailkey to read Gmail when signing in")
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("%w: the Gmail API's answer is not JSON: %v", ErrLook, err)
	}
	return nil
}
