package ui

import (
	"testing"
	"time"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/watch"
)

// A notification's action opens the app on the screen it names; the
// sign-in only for an OAuth account: an app-password account, which has no
// client to sign in with, gets its account screen (Replace app password).
func TestShowRequested(t *testing.T) {
	for _, c := range []struct {
		method       account.Method
		screen, want string
	}{
		{account.OAuth, watch.ScreenSignIn, "sign-in"},
		{account.OAuth, watch.ScreenAccount, "account"},
		{account.AppPassword, watch.ScreenSignIn, "account"},
		{account.AppPassword, watch.ScreenAccount, "account"},
	} {
		t.Run(string(c.method)+" "+c.screen, func(t *testing.T) {
			h := newHarness(t)
			if c.method == account.AppPassword {
				composeLoginAnn(t, h)
			} else {
				putOAuthAnn(t, h, account.Production, time.Now().Add(-time.Hour))
			}
			h.g.showWelcome()
			done := make(chan struct{})
			go func() { h.g.showRequested(c.screen + ":" + ann); close(done) }()
			<-done
			h.settle()
			if h.g.stage.name != c.want {
				t.Errorf("screen %q, want %q", h.g.stage.name, c.want)
			}
		})
	}
}

// putOAuthAnn saves ann as an OAuth account signed in at signedIn, without
// the network, and loads the sidebar.
func putOAuthAnn(t *testing.T, h *harness, pub account.Publishing, signedIn time.Time) {
	t.Helper()
	if err := h.env.Accounts.Put(account.Account{
		Address: ann, Method: account.OAuth, Publishing: pub,
		SignedInAt: signedIn, SMTP: h.gm.SMTP.StartTLSURL(),
	}); err != nil {
		t.Fatal(err)
	}
	h.g.accountsChanged()
	h.settle()
}
