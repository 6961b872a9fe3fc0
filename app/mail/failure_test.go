package mail

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/textproto"
	"strings"
	"testing"
	"time"

	"github.com/mailkey-app/mailkey/app/advice"
)

// A failed send's facts, saved as JSON and read back, word it again exactly
// as the send's error did: key, sentences, action and category; and the
// JSON holds neither the sentences nor the key.
func TestFailureFactsSayTheSame(t *testing.T) {
	ctx := context.Background()
	ep := Endpoint{Host: "smtp.example.com", Port: 587}
	expired, cancel := context.WithDeadline(ctx, time.Unix(1, 0))
	defer cancel()
	api := API{ProjectID: "my-project"}
	challenge := []byte(`{"status":"400","schemes":"Bearer","scope":"https://mail.google.com/"}`)
	dial := &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
	cases := map[string]error{
		"smtp reply":          explain(ctx, ep, Credential{Password: "pw"}, &textproto.Error{Code: 550, Msg: "5.1.1 The email account that you tried to reach does not exist."}, nil),
		"smtp sign-in":        explain(ctx, ep, Credential{Token: "tok"}, &textproto.Error{Code: 535, Msg: "5.7.8 Username and Password not accepted."}, nil),
		"xoauth2 challenge":   explain(ctx, ep, Credential{Token: "tok"}, &textproto.Error{Code: 535, Msg: "5.7.8 Username and Password not accepted."}, challenge),
		"cannot connect":      explain(ctx, ep, Credential{}, dial, nil),
		"unreached":           unreached(explain(ctx, ep, Credential{}, dial, nil), false),
		"host not found":      explain(ctx, ep, Credential{}, &net.DNSError{Name: ep.Host, Err: "no such host", IsNotFound: true}, nil),
		"connection failed":   explain(ctx, ep, Credential{}, errors.New("EOF"), nil),
		"send timeout":        explain(expired, ep, Credential{}, errors.New("i/o timeout"), nil),
		"api rate limit":      ExplainAPI(api, 429, []byte(`{"error":{"code":429,"message":"Quota exceeded for quota metric","status":"RESOURCE_EXHAUSTED","errors":[{"reason":"rateLimitExceeded"}]}}`)),
		"api daily limit":     ExplainAPI(api, 429, []byte(`{"error":{"code":429,"message":"User-rate limit exceeded (Mail sending). Retry after 2026-12-01T14:32:07.412Z","errors":[{"reason":"rateLimitExceeded"}]}}`)),
		"api disabled":        ExplainAPI(api, 403, []byte(`{"error":{"code":403,"message":"Gmail API has not been used","status":"PERMISSION_DENIED","errors":[{"reason":"accessNotConfigured"}],"details":[{"reason":"SERVICE_DISABLED","metadata":{"service":"gmail.googleapis.com"}}]}}`)),
		"api without json":    ExplainAPI(api, 502, []byte("<html>bad gateway</html>")),
		"api answer too long": withFacts(answerTooLong(ExplainAPI(api, 500, nil)), Failure{Kind: FailAPI, Status: 500, Project: api.ProjectID, TooLong: true}),
		"too many recipients": checkRecipientCount(MaxRecipients + 20),
		"too big for server":  fitsServer(40<<20, 35882577),
		"api unreachable":     explainHTTP(ctx, "https://gmail.example.com", dial, false),
		"api maybe sent":      explainHTTP(ctx, "https://gmail.example.com", dial, true),
		"api host not found":  explainHTTP(ctx, "https://gmail.example.com", &net.DNSError{Name: "gmail.example.com", IsNotFound: true}, false),
	}
	kinds := map[string]bool{}
	for name, err := range cases {
		f, ok := FailureOf(err)
		if !ok {
			t.Errorf("%s: no facts in %v", name, err)
			continue
		}
		kinds[f.Kind] = true
		b, merr := json.Marshal(f)
		var back Failure
		if merr != nil || json.Unmarshal(b, &back) != nil {
			t.Fatalf("%s: %s %v", name, b, merr)
		}
		want := advice.TextOf(err)
		if !advice.Same(err, back.Explain()) {
			t.Errorf("%s: said again as %+v, want %+v", name, advice.TextOf(back.Explain()), want)
		}
		if strings.Contains(string(b), want.What) || strings.Contains(string(b), want.Key) {
			t.Errorf("%s: the facts hold a sentence or a key: %s", name, b)
		}
	}
	if len(kinds) != 12 {
		t.Errorf("%d kinds seen: %v", len(kinds), kinds)
	}
}

// An error made by hand has no facts.
func TestFailureOfNeedsFacts(t *testing.T) {
	for name, err := range map[string]error{
		"by hand": advice.Keyed(ErrRejected, "mail.rejected", advice.Data{"Reply": "550"}, "the server refused ({{.Reply}})", ""),
		"plain":   errors.New("x"),
		"nil":     nil,
	} {
		if f, ok := FailureOf(err); ok {
			t.Errorf("%s: facts %+v", name, f)
		}
	}
	if _, ok := FailureOf(Explain(Reply{Code: 550, Enhanced: "5.1.1", Text: "no such user"}, false)); !ok {
		t.Error("Explain's error has no facts")
	}
}
