package oauth

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mailkey-app/mailkey/app/advice"
	"golang.org/x/oauth2"
)

// Google's refusal of a refresh, saved as JSON and read back, words it
// again exactly as the refresh's error did, and the JSON holds Google's
// data, not mailkey's sentences or keys.
func TestRefusalSaysTheSame(t *testing.T) {
	answer := func(status int, code, description, subtype string) *oauth2.RetrieveError {
		body, _ := json.Marshal(map[string]string{"error": code, "error_description": description, "error_subtype": subtype})
		return &oauth2.RetrieveError{Response: &http.Response{StatusCode: status}, Body: body, ErrorCode: code, ErrorDescription: description}
	}
	ep := endpoint{host: "oauth2.googleapis.com"}
	cases := map[string]*oauth2.RetrieveError{
		"expired":        answer(400, "invalid_grant", "Token has been expired or revoked.", ""),
		"bare grant":     answer(400, "invalid_grant", "", ""),
		"rapt":           answer(400, "invalid_grant", "reauth related error (invalid_rapt)", "invalid_rapt"),
		"deleted client": answer(401, "deleted_client", "The OAuth client was deleted.", ""),
		"invalid client": answer(401, "invalid_client", "Unauthorized", ""),
		"client type":    answer(400, "unauthorized_client", "Unauthorized", ""),
		"no secret":      answer(400, "invalid_request", "client_secret is missing.", ""),
		"server error":   answer(503, "temporarily_unavailable", "", ""),
	}
	for name, re := range cases {
		err := refreshError(re, ep, "my-project")
		r, ok := RefusalOf(err)
		if !ok {
			t.Errorf("%s: no refusal in %v", name, err)
			continue
		}
		b, _ := json.Marshal(r)
		var back Refusal
		if json.Unmarshal(b, &back) != nil {
			t.Fatalf("%s: %s", name, b)
		}
		want := advice.TextOf(err)
		if !advice.Same(err, back.Explain()) {
			t.Errorf("%s: said again as %+v, want %+v", name, advice.TextOf(back.Explain()), want)
		}
		if strings.Contains(string(b), want.What) || strings.Contains(string(b), want.Key) {
			t.Errorf("%s: the facts hold words of mailkey's: %s", name, b)
		}
	}
}

// A token request without an answer in Google's JSON, saved as facts and
// read back, is worded again exactly as its error was.
func TestUnreachedSaysTheSame(t *testing.T) {
	ep := endpoint{host: "oauth2.googleapis.com", timeout: 30 * time.Second}
	cases := map[string]error{
		"unreachable": &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")},
		"stalled":     context.DeadlineExceeded,
		"not json":    &badReplyError{Status: "502 Bad Gateway", ContentType: "text/html"},
		"too large":   &badReplyError{Status: "200 OK", TooLarge: true},
	}
	kinds := map[string]bool{}
	for name, cause := range cases {
		err := exchangeError(cause, ep)
		u, ok := UnreachedOf(err)
		if !ok {
			t.Errorf("%s: no facts in %v", name, err)
			continue
		}
		kinds[u.Kind] = true
		b, _ := json.Marshal(u)
		var back Unreached
		if json.Unmarshal(b, &back) != nil {
			t.Fatalf("%s: %s", name, b)
		}
		again := back.Explain()
		if !advice.Same(err, again) || errors.Is(again, ErrStalled) != errors.Is(err, ErrStalled) {
			t.Errorf("%s: said again as %+v, want %+v", name, advice.TextOf(again), advice.TextOf(err))
		}
	}
	if len(kinds) != 4 {
		t.Errorf("kinds %v", kinds)
	}
	if _, ok := UnreachedOf(exchangeError(&oauth2.RetrieveError{ErrorCode: "invalid_grant"}, ep)); ok {
		t.Error("Google's own answer taken for no answer")
	}
}
