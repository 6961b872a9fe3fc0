package ui

import (
	"slices"
	"strings"

	"github.com/mailkey-app/mailkey/app/engine"
)

// aliasOptions returns the verified Send mail as addresses of the accounts,
// for From: sending from one goes through the account that owns it (the
// engine finds it). Addresses that are accounts themselves are left out.
func aliasOptions(list []engine.Info) []string {
	var out []string
	for _, in := range list {
		for _, a := range in.SendAs {
			own := slices.ContainsFunc(list, func(x engine.Info) bool { return strings.EqualFold(x.Address, a) })
			if !own && !slices.Contains(out, a) {
				out = append(out, a)
			}
		}
	}
	return out
}
