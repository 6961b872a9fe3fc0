package cli

import (
	"context"
	"fmt"
	netmail "net/mail"

	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/mailkey-app/mailkey/app/mail"
	"github.com/spf13/cobra"
)

const usageAliases = "mailkey aliases ADDR   (read the verified Send mail as addresses from Gmail; OAuth accounts)"

// warnFrom warns on stderr, before sending, when Gmail would not send m as
// its From says: neither the account's address nor a verified alias.
func warnFrom(env Env, m mail.Message) {
	a, err := env.Engine.AccountFor(m.From, m.Via)
	if err != nil {
		return // Send explains it
	}
	from, err := netmail.ParseAddress(m.From)
	if err != nil {
		return
	}
	if _, t := engine.CheckFrom(a, from.Address); t.What != "" {
		fmt.Fprintln(env.Stderr, "Warning: "+sentence(t.What)+" "+sentence(nextOf(t)))
	}
}

// printAliases says which Send mail as addresses the engine read right
// after a sign-in (engine.OAuthLogin.Aliases); a failure only warns, the
// sign-in stands.
func printAliases(env Env) func([]string, error) {
	return func(list []string, err error) {
		if err != nil {
			fmt.Fprintln(env.Stderr, "Could not read your Send mail as addresses: "+sentence(advice.What(err)))
			return
		}
		for _, a := range list {
			fmt.Fprintln(env.Stderr, "You can also send as "+a+" (a verified Send mail as address).")
		}
	}
}

func aliasesCommand(env Env) *cobra.Command {
	return addressCmd(env, usageAliases, aliasesCmd, &cobra.Command{Use: "aliases ADDR", Short: "Read the verified Send mail as addresses from Gmail (OAuth)"})
}

func aliasesCmd(ctx context.Context, env Env, addr string) error {
	list, err := env.Engine.RefreshAliases(ctx, addr)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		fmt.Fprintf(env.Stderr, "%s has no verified Send mail as address besides itself.\n", addr)
	}
	for _, a := range list {
		fmt.Fprintln(env.Stdout, a)
	}
	return nil
}
