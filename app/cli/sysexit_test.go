package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"testing"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/mailkey-app/mailkey/app/mail"
	"github.com/mailkey-app/mailkey/app/oauth"
	"github.com/mailkey-app/mailkey/app/queue"
	"github.com/mailkey-app/mailkey/app/secret"
	"github.com/mailkey-app/mailkey/app/sendmail"
)

// sendmail's exit code of every category, and of the failures sysexits
// tells apart where the categories do not: each as it was with the list of
// errors by hand (commit 4c2f160).
func TestSysexitOfEveryCategory(t *testing.T) {
	for c := advice.Failure; c <= advice.Keyring; c++ {
		want := ExitSysTempFail
		switch c {
		case advice.Usage:
			want = ExitSysDataErr
		case advice.NoAccount:
			want = ExitSysNoUser
		}
		err := fmt.Errorf("wrapped: %w", advice.Sentinel(c, "some "+c.String()+" failure"))
		if got := sysexitOf(err); got != want {
			t.Errorf("category %s: exit %d, want %d", c, got, want)
		}
	}
	for _, tc := range []struct {
		err  error
		want int
	}{
		{errors.New("plain"), ExitSysTempFail},
		{context.Canceled, ExitSysTempFail},
		{sendmail.ErrBadMessage, ExitSysDataErr},
		{mail.ErrInvalidAddress, ExitSysDataErr},
		{mail.ErrNoRecipient, ExitSysDataErr},
		{mail.ErrHeaderInjection, ExitSysDataErr},
		{mail.ErrTooBig, ExitSysDataErr},
		{account.ErrNotFound, ExitSysNoUser},
		{account.ErrCorrupt, ExitSysConfig},
		{account.ErrNewerSchema, ExitSysConfig},
		{mail.ErrBadEndpoint, ExitSysConfig},
		{engine.ErrBadTransport, ExitSysConfig},
		{mail.ErrAPIDisabled, ExitSysConfig},
		{fs.ErrPermission, ExitSysNoPerm},
		{secret.ErrUnavailable, ExitSysTempFail},
		{queue.ErrNoSpace, ExitSysTempFail},
		{queue.ErrUnusable, ExitSysTempFail},
		{queue.ErrTooBig, ExitSysTempFail},
		{account.ErrStorage, ExitSysTempFail},
		{mail.ErrRejected, ExitSysUnavailable},
		{mail.ErrBlocked, ExitSysUnavailable},
		{mail.ErrTooManyRecipients, ExitSysUnavailable},
		{mail.ErrNoMailbox, ExitSysUnavailable},
		{queue.ErrDamaged, ExitSysUnavailable},
		{secret.ErrNotFound, ExitSysTempFail},
		{oauth.ErrNeedsSignIn, ExitSysTempFail},
		{mail.ErrAuthRejected, ExitSysTempFail},
		{mail.ErrConnect, ExitSysTempFail},
		{mail.ErrRateLimited, ExitSysTempFail},
		{mail.ErrProtocol, ExitSysTempFail},
	} {
		if got := sysexitOf(fmt.Errorf("wrapped: %w", tc.err)); got != tc.want {
			t.Errorf("%v: exit %d, want %d", tc.err, got, tc.want)
		}
	}
}
