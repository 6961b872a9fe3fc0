package ui

import (
	"testing"

	"github.com/mailkey-app/mailkey/app/watch"
)

// A notification's action opens the app on the screen it names.
func TestShowRequested(t *testing.T) {
	for _, c := range []struct{ screen, want string }{{watch.ScreenSignIn, "sign-in"}, {watch.ScreenAccount, "account"}} {
		t.Run(c.screen, func(t *testing.T) {
			h := newHarness(t)
			composeLoginAnn(t, h)
			h.g.showWelcome()
			done := make(chan struct{})
			go func() { h.g.showRequested(c.screen + ":" + ann); close(done) }()
			<-done
			h.settle()
			if h.g.screenName != c.want {
				t.Errorf("screen %q, want %q", h.g.screenName, c.want)
			}
		})
	}
}
