package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/export"
	"github.com/spf13/cobra"
)

const usageExport = "mailkey export msmtp|values ADDR\n" +
	"       mailkey export values --show-password ADDR   (prints the app password too)"

func exportCommand(env Env) *cobra.Command {
	c := &cobra.Command{
		Use: "export msmtp|values ADDR", Short: "Print an account's settings for another mail program",
		Long: "Export prints an account's settings: an msmtp account block (msmtp), or the values to type into another program (values).",
		ValidArgsFunction: func(c *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
			if len(args) == 0 {
				return []cobra.Completion{string(export.MSMTP), string(export.Values)}, cobra.ShellCompDirectiveNoFileComp
			}
			return completeAccounts(env)(c, args[1:], toComplete)
		},
	}
	show := c.Flags().Bool("show-password", false, "print the app password too (values format only)")
	c.RunE = func(c *cobra.Command, args []string) error { return exportCmd(c.Context(), env, *show, args) }
	return withUsage(c, usageExport)
}

// exportCmd prints an account's settings for another mail program.
func exportCmd(ctx context.Context, env Env, showPassword bool, args []string) error {
	format, addr, show, err := parseExport(showPassword, args)
	if err != nil {
		return err
	}
	info, err := env.Engine.Account(addr)
	if err != nil {
		return err
	}
	if format == export.MSMTP {
		return exportMSMTP(env, info.Account)
	}
	return exportValues(ctx, env, info.Account, show)
}

// parseExport checks export's format, address and --show-password.
func parseExport(show bool, pos []string) (format export.Format, addr string, _ bool, err error) {
	usage := usageExport
	if len(pos) != 2 {
		return "", "", false, usagef(usage, "export takes a format (msmtp or values) and an address")
	}
	format, addr = export.Format(pos[0]), pos[1]
	switch {
	case format != export.MSMTP && format != export.Values:
		return "", "", false, usagef(usage, "unknown format %q; choose msmtp or values", pos[0])
	case show && format != export.Values:
		return "", "", false, usagef(usage, "--show-password goes with the values format only")
	}
	return format, addr, show, nil
}

// exportMSMTP prints a's msmtp account block.
func exportMSMTP(env Env, a account.Account) error {
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

// exportValues prints a's settings one per line, with the app password when
// show asks for it.
func exportValues(ctx context.Context, env Env, a account.Account, show bool) error {
	var pw string
	if show {
		if a.Method != account.AppPassword {
			return usagef(usageExport, "%s signs in with OAuth 2.0 and has no app password to show", a.Address)
		}
		var err error
		if pw, err = env.Engine.AppPassword(ctx, a.Address); err != nil {
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
