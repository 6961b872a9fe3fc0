package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	mailkey "github.com/mailkey-app/mailkey"
	"github.com/mailkey-app/mailkey/app/cli"
)

// Every command and subcommand has a help, by 'help PATH' and by 'PATH
// --help', that names and describes each of its flags.
func TestHelpOnEveryCommand(t *testing.T) {
	r := newRig(t)
	var walk func(c *cobra.Command)
	seen := 0
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			if sub.Hidden {
				continue
			}
			path := strings.Fields(strings.TrimPrefix(sub.CommandPath(), "mailkey "))
			viaHelp := r.run("", append([]string{"help"}, path...)...)
			r.wantCode(viaHelp, cli.ExitOK)
			if !strings.Contains(viaHelp.stdout, "Usage:") || viaHelp.stderr != "" {
				t.Errorf("help %s: %+v", sub.CommandPath(), viaHelp)
			}
			if !sub.DisableFlagParsing { // sendmail's own options: below
				viaFlag := r.run("", append(path, "--help")...)
				r.wantCode(viaFlag, cli.ExitOK)
				if viaFlag.stdout != viaHelp.stdout {
					t.Errorf("%s --help differs from help %s:\n%s\n---\n%s", sub.CommandPath(), sub.CommandPath(), viaFlag.stdout, viaHelp.stdout)
				}
			}
			sub.LocalFlags().VisitAll(func(f *pflag.Flag) {
				if f.Hidden {
					return
				}
				if f.Usage == "" {
					t.Errorf("%s --%s has no description", sub.CommandPath(), f.Name)
				}
				if !strings.Contains(viaHelp.stdout, "--"+f.Name) {
					t.Errorf("help %s lacks --%s", sub.CommandPath(), f.Name)
				}
			})
			seen++
			walk(sub)
		}
	}
	root := cli.Command(cli.Env{})
	root.InitDefaultCompletionCmd() // as Execute does
	walk(root)
	if seen < 20 {
		t.Fatalf("only %d commands walked", seen)
	}
	for _, want := range []string{"--from ADDR", "the account to send from", "--attach FILE"} {
		if res := r.run("", "send", "--help"); !strings.Contains(res.stdout, want) {
			t.Errorf("send --help lacks %q", want)
		}
	}
	res := r.run("", "sendmail", "--help")
	r.wantCode(res, cli.ExitOK)
	if !strings.Contains(res.stdout, "mailkey sendmail [-t]") {
		t.Errorf("sendmail --help: %+v", res)
	}
	res = r.run("", "help", "sendmail")
	if !strings.Contains(res.stdout, "-oi") || !strings.Contains(res.stdout, "sysexits") {
		t.Errorf("help sendmail lacks the options: %s", res.stdout)
	}
}

func TestHelpOfNoSuchCommand(t *testing.T) {
	r := newRig(t)
	for _, args := range [][]string{{"help", "nosuch"}, {"help", "relay", "nosuch"}, {"help", "send", "extra"}} {
		res := r.run("", args...)
		r.wantCode(res, cli.ExitUsage)
		if res.stdout != "" || !strings.Contains(res.stderr, "no such command") || !strings.Contains(res.stderr, "mailkey help") {
			t.Errorf("%v: %+v", args, res)
		}
	}
	res := r.run("", "nosuch", "--json")
	r.wantCode(res, cli.ExitUsage)
	if !strings.Contains(res.stderr, `Unknown command "nosuch"`) {
		t.Errorf("nosuch: %+v", res)
	}
}

func TestVersion(t *testing.T) {
	r := newRig(t)
	for _, flag := range []string{"--version", "-v"} {
		res := r.run("", flag)
		r.wantCode(res, cli.ExitOK)
		if res.stdout != "mailkey "+mailkey.Version+"\n" {
			t.Errorf("%s printed %q", flag, res.stdout)
		}
	}
}

// The completion scripts load in their shell, and bash completes commands,
// flags and account addresses through 'mailkey __complete'.
func TestCompletion(t *testing.T) {
	r := newRig(t)
	r.loginAnn(r.smtp.StartTLSURL())
	for _, sh := range []string{"bash", "zsh", "fish"} {
		res := r.run("", "completion", sh)
		r.wantCode(res, cli.ExitOK)
		if !strings.Contains(res.stdout, "__complete") || !strings.Contains(res.stdout, "mailkey") {
			t.Errorf("completion %s: %.200s", sh, res.stdout)
		}
		script := filepath.Join(t.TempDir(), "mailkey."+sh)
		if err := os.WriteFile(script, []byte(res.stdout), 0o600); err != nil {
			t.Fatal(err)
		}
		t.Run(sh, func(t *testing.T) {
			need(t, sh)
			switch sh {
			case "bash":
				checkBashCompletion(t, r, script)
			case "zsh":
				dir, env := r.bin()
				out, err := r.program(env, dir, "", "zsh", "-f", "-c", "autoload -U compinit && compinit -u -D; source "+script+"; print ${_comps[mailkey]}")
				if err != nil || strings.TrimSpace(out) != "_mailkey" {
					t.Errorf("zsh did not register _mailkey: %v %q", err, out)
				}
			case "fish":
				dir, env := r.bin()
				out, err := r.program(env, dir, "", "fish", "--no-config", "-c", "source "+script+"; complete -C'mailkey token '; complete -C'mailkey se'")
				if err != nil || !strings.Contains(out, ann) || !strings.Contains(out, "sendmail\t") || strings.Contains(out, "token\t") {
					t.Errorf("fish completions: %v %q", err, out)
				}
			}
		})
	}
}

func checkBashCompletion(t *testing.T, r *rig, script string) {
	const lib = "/usr/share/bash-completion/bash_completion" // cobra's script needs it, as on a desktop
	if _, err := os.Stat(lib); err != nil {
		t.Skip("bash-completion is not installed (make deps-test installs it)")
	}
	dir, env := r.bin()
	complete := func(words ...string) []string {
		t.Helper()
		prog := "source " + lib + "\nsource " + script + "\nCOMP_WORDS=(" + strings.Join(words, " ") + ")\nCOMP_CWORD=" +
			strconv.Itoa(len(words)-1) + "\nCOMP_LINE=\"${COMP_WORDS[*]}\"\nCOMP_POINT=${#COMP_LINE}\n" +
			"compopt() { :; } # only valid inside a real completion\n__start_mailkey\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n"
		out, err := r.program(env, dir, "", "bash", "--norc", "-c", prog)
		if err != nil {
			t.Fatalf("bash: %v: %s", err, out)
		}
		return strings.Fields(out)
	}
	if got := complete("mailkey", "se"); strings.Join(got, " ") != "send sendmail" {
		t.Errorf("mailkey se<TAB>: %q", got)
	}
	if got := complete("mailkey", "send", "--fr"); strings.Join(got, " ") != "--from" {
		t.Errorf("mailkey send --fr<TAB>: %q", got)
	}
	if got := complete("mailkey", "token", "''"); strings.Join(got, " ") != ann {
		t.Errorf("mailkey token <TAB>: %q", got)
	}
	if got := complete("mailkey", "export", "''"); strings.Join(got, " ") != "msmtp values" {
		t.Errorf("mailkey export <TAB>: %q", got)
	}
}

// Flags may follow the arguments, as in gh, rclone and kubectl.
func TestFlagsAfterArguments(t *testing.T) {
	r := newRig(t)
	r.loginAnn(r.smtp.StartTLSURL())
	res := r.run("", "export", "values", ann, "--show-password")
	r.wantCode(res, cli.ExitOK)
	if !strings.Contains(res.stdout, annPass) {
		t.Errorf("export values ADDR --show-password: %+v", res)
	}
	res = r.run("", "doctor", ann, "--json")
	r.wantCode(res, cli.ExitOK)
	if !json.Valid([]byte(res.stdout)) {
		t.Errorf("doctor ADDR --json: %q", res.stdout)
	}
	// --help after the address prints the help and does nothing else.
	res = r.run("", "remove", ann, "--help")
	r.wantCode(res, cli.ExitOK)
	if list, _ := r.eng.List(); len(list) != 1 || !strings.Contains(res.stdout, "Usage:") {
		t.Fatalf("remove ADDR --help: %+v, accounts %v", res, list)
	}
	// -- ends the flags.
	r.wantCode(r.run("", "token", "--", "--json"), cli.ExitNoAccount)
	r.wantCode(r.run("", "accounts", "--json", "extra"), cli.ExitUsage)
}

// The flag package's -name and -name=value, which mailkey took before it
// moved to cobra, still work; a value that looks like a flag stays a value.
func TestGoStyleFlags(t *testing.T) {
	r := newRig(t)
	r.loginAnn(r.smtp.StartTLSURL())
	res := r.run("", "send", "-from", ann, "-to=bob@example.com", "-subject", "-body", "-body", "x")
	r.wantCode(res, cli.ExitOK)
	msgs := r.smtp.Messages()
	if len(msgs) != 1 || !strings.Contains(string(msgs[0].Data), "Subject: -body") {
		t.Fatalf("sent %d messages: %+v", len(msgs), msgs)
	}
	res = r.run("", "accounts", "-json")
	r.wantCode(res, cli.ExitOK)
	if !json.Valid([]byte(res.stdout)) {
		t.Errorf("accounts -json: %q", res.stdout)
	}
	r.wantCode(r.run("", "token", "-help"), cli.ExitOK)
	res = r.run("", "accounts", "-jsn")
	r.wantCode(res, cli.ExitUsage)
}
