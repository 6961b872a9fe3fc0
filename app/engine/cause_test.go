package engine

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/mail"
	"github.com/mailkey-app/mailkey/app/oauth"
	"github.com/mailkey-app/mailkey/app/secret"
)

// The cause saved for a refused sign-in comes from the error's sentinels,
// wrapped as app/oauth and app/mail wrap them, not from its words.
func TestSignInCauseFromSentinels(t *testing.T) {
	wrap := func(errs ...error) error {
		var err error = errors.New("oauth2: cannot fetch token")
		for _, e := range errs {
			err = fmt.Errorf("%w: %w", e, err)
		}
		return advice.Keyed(err, "any.key", nil, "words", "more words")
	}
	cases := []struct {
		err  error
		want account.SignInCause
	}{
		{wrap(oauth.ErrClientDeleted, oauth.ErrNeedsSignIn), account.CauseClientDeleted},
		{wrap(oauth.ErrSecretMissing, oauth.ErrNeedsSignIn), account.CauseSecretMissing},
		{wrap(oauth.ErrClientType, oauth.ErrNeedsSignIn), account.CauseClientType},
		{wrap(oauth.ErrInvalidClient, oauth.ErrNeedsSignIn), account.CauseClientRefused},
		{wrap(oauth.ErrSessionControl, oauth.ErrNeedsSignIn), account.CauseSessionControl},
		{wrap(oauth.ErrNeedsSignIn), account.CauseRefreshRefused},
		{wrap(mail.ErrTokenRejected), account.CauseTokenRefused},
		{noSignIn(account.Account{Address: "ann@gmail.com"}), account.CauseNoSignIn},
		{errors.New("anything else"), account.CauseOther},
	}
	for _, c := range cases {
		if got := signInCause(c.err); got != c.want {
			t.Errorf("%v: cause %q, want %q", c.err, got, c.want)
		}
	}
	if !errors.Is(noSignIn(account.Account{}), oauth.ErrNeedsSignIn) || !errors.Is(oauth.ErrClientType, oauth.ErrInvalidClient) {
		t.Error("the narrower sentinels no longer match their parents")
	}
}

// A credential missing from the keyring, saved as facts and read back, is
// worded again exactly as the send's error was.
func TestMissingSaysTheSame(t *testing.T) {
	notFound := fmt.Errorf("reading the keyring: %w", secret.ErrNotFound)
	for name, err := range map[string]error{
		"sign-in":      noSignIn(account.Account{Address: "ann@gmail.com"}),
		"app password": noAppPassword("bob@gmail.com", notFound),
	} {
		m, ok := MissingOf(err)
		if !ok {
			t.Fatalf("%s: no facts in %v", name, err)
		}
		b, _ := json.Marshal(m)
		var back Missing
		if json.Unmarshal(b, &back) != nil || !advice.Same(err, back.Explain()) || !strings.Contains(advice.What(back.Explain()), "@gmail.com") {
			t.Errorf("%s: %s said again as %+v, want %+v", name, b, advice.TextOf(back.Explain()), advice.TextOf(err))
		}
	}
}
