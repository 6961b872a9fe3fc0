package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/export"
	"github.com/mailkey-app/mailkey/app/secret"
	"github.com/spf13/cobra"
)

const usageExport = "mailkey export msmtp|values ADDR\n" +
	"       mailkey export values --show-password ADDR   (prints the app password too)"

func exportCommand(env Env) *cobra.Command {
	c := &cobra.Command{Use: "export msmtp|values ADDR", Short: "Print an account's settings for another mail program",
		Long: "Export prints an account's settings: an msmtp account block (msmtp), or the values to type into another program (values).",
		ValidArgsFunction: func(c *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
			if len(args) == 0 {
				return []cobra.Completion{string(export.MSMTP), string(export.Values)}, cobra.ShellCompDirectiveNoFileComp
			}
			return completeAccounts(env)(c, args[1:], toComplete)
		}}
	show := c.Flags().Bool("show-password", false, "print the app password too (values format only)")
	c.RunE = func(c *cobra.Command, args []string) error { return exportCmd(c.Context(), env, *show, args) }
	return withUsage(c, usageExport)
}

// exportCmd prints an account's settings for another mail program.
func exportCmd(ctx context.Context, env Env, showPassword bool, pos []string) error {
	usage := usageExport
	show := &showPassword
	if len(pos) != 2 {
		return usagef(usage, "export takes a format (msmtp or values) and an address")
	}
	format, addr := export.Format(pos[0]), pos[1]
	switch {
	case format != export.MSMTP && format != export.Values:
		return usagef(usage, "unknown format %q; choose msmtp or values", pos[0])
	case *show && format != export.Values:
		return usagef(usage, "--show-password goes with the values format only")
	}
	info, err := env.Engine.Account(addr)
	if err != nil {
		return err
	}
	a := info.Account
	if format == export.MSMTP {
		block, err := export.MSMTPBlock(a)
		if err != nil {
			return err
		}
		fmt.Fprint(env.Stdout, block)
		if a.Method == account.OAuth {
			fmt.Fprintln(env.Stderr, "msmtp runs 'mailkey token "+a.Address+"' for each message: mailkey must be on its PATH.")
		}
		return nil
	}
	var pw string
	if *show {
		if a.Method != account.AppPassword {
			return usagef(usage, "%s signs in with OAuth 2.0 and has no app password to show", a.Address)
		}
		if pw, err = env.Engine.Secrets.Get(ctx, a.Address, secret.AppPassword); err != nil {
			return err
		}
	}
	text, err := export.Text(a, pw)
	if err != nil {
		return err
	}
	fmt.Fprint(env.Stdout, strings.TrimSuffix(text, "\n")+"\n")
	return nil
}
