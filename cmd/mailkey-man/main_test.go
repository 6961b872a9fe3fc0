package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// One page per command and subcommand, each describing its flags.
func TestWritePages(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "man1")
	t.Setenv("SOURCE_DATE_EPOCH", "1764460800")
	if err := write(dir); err != nil {
		t.Fatal(err)
	}
	for page, wants := range map[string][]string{
		"mailkey.1":                    {"mailkey-send(1)", "mailkey-status(1)", "--version"},
		"mailkey-send.1":               {`--from`, "the account to send from", `--attach`},
		"mailkey-status.1":             {`--json`, "token"},
		"mailkey-doctor.1":             {`--json`},
		"mailkey-sendmail.1":           {"sysexits"},
		"mailkey-relay-add-password.1": {"ADDR LABEL"},
		"mailkey-queue-retry.1":        {`--all`},
		"mailkey-completion-bash.1":    {"bash"},
		"mailkey-login.1":              {`--client-secret`, `--app-password`},
		"mailkey-export.1":             {`--show-password`},
		"mailkey-relay-enable.1":       {`--listen`},
		"mailkey-token.1":              {"ADDR"},
		"mailkey-accounts.1":           {`--json`},
		"mailkey-remove.1":             {"keyring"},
		"mailkey-queue.1":              {`--json`},
		"mailkey-relay.1":              {`--listen`},
		"mailkey-test.1":               {`--timeout`},
		"mailkey-watch.1":              {`--once`, `--every`},
	} {
		data, err := os.ReadFile(filepath.Join(dir, page))
		if err != nil {
			t.Errorf("%s: %v", page, err)
			continue
		}
		for _, w := range wants {
			if !strings.Contains(string(data), w) {
				t.Errorf("%s lacks %q", page, w)
			}
		}
		if !strings.Contains(string(data), "Nov 2025") {
			t.Errorf("%s is not dated by SOURCE_DATE_EPOCH", page)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "mailkey-api.1")); err == nil {
		t.Error("a page for a hidden command")
	}
}
