package cli

import (
	"fmt"
	"strings"

	mailkey "github.com/mailkey-app/mailkey"
	"github.com/spf13/cobra"
)

// usageKey is the annotation holding a command's usage lines (usage… above).
const usageKey = "mailkey-usage"

func init() {
	cobra.AddTemplateFunc("synopsis", synopsis)
	cobra.EnableCommandSorting = false // the table's order
}

// Command returns mailkey's command tree, whose commands run with env. It is
// what Run executes and what the man pages and completions are made from.
func Command(env Env) *cobra.Command {
	root := &cobra.Command{
		Use:     "mailkey",
		Short:   "Send mail as your Gmail account",
		Long:    "mailkey sends mail as your Gmail account, by app password or OAuth 2.0.",
		Version: mailkey.Version,
		Args:    cobra.ArbitraryArgs,
		// Without a command, the program opens the app (cmd/mailkey decides);
		// here, it prints the help.
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) > 0 {
				return unknownCommand(args[0])
			}
			return c.Help()
		},
		SilenceErrors:     true,
		SilenceUsage:      true,
		DisableAutoGenTag: true,
	}
	root.SetIn(env.Stdin)
	root.SetOut(env.Stdout)
	root.SetErr(env.Stderr)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		if !c.HasParent() && c.Flags().NArg() > 0 { // 'mailkey nosuch --flag'
			return unknownCommand(c.Flags().Arg(0))
		}
		return &usageError{msg: err.Error(), usage: usageOf(c)}
	})
	root.SetUsageTemplate(usageTemplate)
	root.SetHelpTemplate(helpTemplate)
	root.SetVersionTemplate("mailkey {{.Version}}\n")
	root.SetHelpCommand(helpCmd())
	root.InitDefaultHelpFlag()
	root.InitDefaultVersionFlag()
	root.CompletionOptions.HiddenDefaultCmd = false
	for _, c := range commands {
		root.AddCommand(c(env))
	}
	return root
}

func unknownCommand(name string) error {
	return &usageError{msg: fmt.Sprintf("unknown command %q", name), next: seeHelp}
}

const seeHelp = "Run 'mailkey help' to see the commands"

// helpCmd is 'mailkey help [COMMAND]': the command's help, or a usage error
// for a command that does not exist.
func helpCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "help [COMMAND]...",
		Short: "Help about any command",
		Long:  "Help prints a command's usage and flags: 'mailkey help send', 'mailkey help relay add-password'.",
		ValidArgsFunction: func(c *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
			cmd, _, err := c.Root().Find(args)
			if err != nil || cmd == nil {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			var out []cobra.Completion
			for _, sub := range cmd.Commands() {
				if sub.IsAvailableCommand() && strings.HasPrefix(sub.Name(), toComplete) {
					out = append(out, cobra.CompletionWithDesc(sub.Name(), sub.Short))
				}
			}
			return out, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(c *cobra.Command, args []string) error {
			cmd := c.Root()
			for _, name := range args {
				sub := findSub(cmd, name)
				if sub == nil {
					return &usageError{
						msg:  fmt.Sprintf("no help for %q: %s has no such command", strings.Join(args, " "), cmd.CommandPath()),
						next: seeHelp,
					}
				}
				cmd = sub
			}
			cmd.InitDefaultHelpFlag()
			return cmd.Help()
		},
	}
}

// findSub returns c's subcommand called name, or nil.
func findSub(c *cobra.Command, name string) *cobra.Command {
	for _, sub := range c.Commands() {
		if sub.Name() == name || sub.HasAlias(name) {
			return sub
		}
	}
	return nil
}

// usageOf returns c's usage lines: its own, else its parent's.
func usageOf(c *cobra.Command) string {
	for ; c != nil; c = c.Parent() {
		if u := c.Annotations[usageKey]; u != "" {
			return u
		}
	}
	return "mailkey help   (lists the commands)"
}

// synopsis is the usage lines for the help, each indented by two spaces.
func synopsis(c *cobra.Command) string {
	u, ok := c.Annotations[usageKey]
	if !ok {
		return "  " + c.UseLine()
	}
	lines := strings.Split(u, "\n")
	for i, l := range lines {
		lines[i] = "  " + strings.TrimSpace(l)
	}
	return strings.Join(lines, "\n")
}

// withUsage records the usage lines of c and returns c.
func withUsage(c *cobra.Command, usage string) *cobra.Command {
	if c.Annotations == nil {
		c.Annotations = map[string]string{}
	}
	c.Annotations[usageKey] = usage
	return c
}

const usageTemplate = `Usage:
{{synopsis .}}{{if .HasAvailableSubCommands}}

Commands:{{range .Commands}}{{if .IsAvailableCommand}}
  {{rpad .Name .NamePadding }} {{.Short}}{{end}}{{end}}{{end}}{{if .HasAvailableLocalFlags}}

Flags:
{{.LocalFlags.FlagUsages | trimTrailingWhitespaces}}{{end}}{{if .HasAvailableInheritedFlags}}

Global flags:
{{.InheritedFlags.FlagUsages | trimTrailingWhitespaces}}{{end}}{{if .HasExample}}

Examples:
{{.Example}}{{end}}{{if .HasAvailableSubCommands}}

Run '{{.CommandPath}} COMMAND --help' for a command's flags.{{end}}
`

// helpTemplate is the root's list of commands, and each command's usage.
const helpTemplate = `{{if .HasParent}}{{with (or .Long .Short)}}{{. | trimTrailingWhitespaces}}

{{end}}{{.UsageString}}{{else}}{{.Long}}

Usage:
  mailkey [app]              open the desktop app (mailkey-app)
  mailkey COMMAND [flags]    run a command

Commands:{{range .Commands}}{{if (or .IsAvailableCommand (eq .Name "help"))}}
  mailkey {{rpad .Name .NamePadding }} {{.Short}}{{end}}{{end}}

Flags:
{{.LocalFlags.FlagUsages | trimTrailingWhitespaces}}

Flags may come before or after the arguments. Run 'mailkey help COMMAND' or
'mailkey COMMAND --help' for a command's usage and flags, 'man mailkey-COMMAND'
where the man pages are installed. Exit codes: 0 done, 1 failure, 2 bad usage or
input, 3 sign-in or credentials refused, 4 no keyring, 5 no such account,
6 temporary (network, rate limit), 130 cancelled; 'mailkey sendmail' uses
sendmail's codes (sysexits.h).
{{end}}`

// completeAccounts completes an account's address, for the first argument.
func completeAccounts(env Env) cobra.CompletionFunc {
	return func(c *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if len(args) > 0 || env.Engine == nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return accountAddresses(env, toComplete), cobra.ShellCompDirectiveNoFileComp
	}
}

// accountAddresses lists the accounts' addresses that start with prefix.
func accountAddresses(env Env, prefix string) []cobra.Completion {
	list, err := env.Engine.List()
	if err != nil {
		return nil
	}
	var out []cobra.Completion
	for _, a := range list {
		if strings.HasPrefix(a.Address, prefix) {
			out = append(out, a.Address)
		}
	}
	return out
}

// appCmd is 'mailkey app': the mailkey program runs it itself, before this
// command line, by starting mailkey-app (cmd/mailkey). It is here for the
// help, the completion and the man page.
func appCmd(Env) *cobra.Command {
	return &cobra.Command{
		Use: "app", Short: "Open the desktop app (mailkey-app); 'mailkey' alone does too",
		Long: "App starts the desktop app, mailkey-app, from the same directory as mailkey, or else from the PATH.",
		RunE: func(*cobra.Command, []string) error {
			return usagef("mailkey app", "the desktop app is started by the mailkey program itself, not by this command line")
		},
	}
}
