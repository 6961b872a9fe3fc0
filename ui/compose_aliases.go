package ui

import (
	"slices"
	"strings"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/engine"
)

// aliasOptions returns the verified Send mail as addresses of the accounts,
// for From: sending from one goes through the account that owns it (the
// engine finds it). OAuth accounts only; addresses that are accounts
// themselves are left out.
func aliasOptions(list []engine.Info) []string {
	var out []string
	for _, in := range list {
		if in.Method != account.OAuth {
			continue // an app password cannot know them (showFromNote)
		}
		for _, a := range in.SendAs {
			own := slices.ContainsFunc(list, func(x engine.Info) bool { return strings.EqualFold(x.Address, a) })
			if !own && !slices.Contains(out, a) {
				out = append(out, a)
			}
		}
	}
	return out
}

// showFromNote says, under From, that an app-password account cannot list
// its Send mail as addresses, so mailkey offers only its own address.
func (c *compose) showFromNote() {
	in, ok := c.account()
	if !ok || in.Method != account.AppPassword || c.testToSelf { // a test to self is about the address itself
		c.fromNote.Hide()
		return
	}
	c.fromNote.SetText(tr("compose.from_app_password",
		"An app password cannot list your Send mail as addresses: mailkey sends from this address only."))
	c.fromNote.Show()
}
