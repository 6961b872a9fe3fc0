package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mailkey-app/mailkey/app/cli"
	"github.com/mailkey-app/mailkey/internal/testpeer"
)

// The test binary doubles as the real mailkey: with MAILKEY_RUN_MAIN=1 it runs
// main() with its arguments, so these tests exercise the real wiring.
func TestMain(m *testing.M) {
	if os.Getenv("MAILKEY_RUN_MAIN") == "1" {
		os.Args = append([]string{"mailkey"}, os.Args[1:]...)
		main()
		return
	}
	os.Exit(m.Run())
}

type run struct {
	code           int
	stdout, stderr string
}

// mailkey runs the binary with no display at all, a private config dir and
// the given extra environment.
func mailkey(t *testing.T, config, stdin string, env []string, args ...string) run {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "MAILKEY_RUN_MAIN=1", "MAILKEY_CONFIG_DIR="+config, "DISPLAY=", "WAYLAND_DISPLAY=")
	cmd.Env = append(cmd.Env, env...)
	cmd.Stdin = strings.NewReader(stdin)
	r := runCmd(t, cmd)
	t.Logf("mailkey %s → %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	return r
}

// runCmd runs cmd and returns its exit code and output.
func runCmd(t *testing.T, cmd *exec.Cmd) run {
	t.Helper()
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return run{code, out.String(), errb.String()}
}

func TestSubcommandsNeedNoDisplay(t *testing.T) {
	dir := t.TempDir()
	r := mailkey(t, dir, "", nil, "help")
	if r.code != cli.ExitOK || !strings.Contains(r.stdout, "mailkey send") {
		t.Fatalf("help: %+v", r)
	}
	r = mailkey(t, dir, "", nil, "accounts")
	if r.code != cli.ExitOK || !strings.Contains(r.stderr, "No accounts yet") {
		t.Fatalf("accounts: %+v", r)
	}
	r = mailkey(t, dir, "", nil, "token", "nobody@gmail.com")
	if r.code != cli.ExitNoAccount || !strings.HasPrefix(r.stderr, "mailkey has no account nobody@gmail.com") {
		t.Fatalf("token: %+v", r)
	}
}

func TestUnavailableKeyring(t *testing.T) {
	ca, err := testpeer.NewCA(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	sp, err := testpeer.StartSMTP(testpeer.SMTPOptions{TLS: ca.ServerTLS, Passwords: map[string]string{"ann@gmail.com": "abcdefghijklmnop"}})
	if err != nil {
		t.Fatal(err)
	}
	defer sp.Close()
	dir := t.TempDir()
	noBus := []string{"DBUS_SESSION_BUS_ADDRESS=unix:path=" + filepath.Join(dir, "no-bus"), "SSL_CERT_FILE=" + ca.CertFile}

	r := mailkey(t, dir, "abcd efgh ijkl mnop\n", noBus, "login", "--app-password", "--email", "ann@gmail.com", "--smtp", sp.StartTLSURL())
	if r.code != cli.ExitKeyring || !strings.Contains(r.stderr, "keyring") || !strings.Contains(r.stderr, "gnome-keyring") {
		t.Fatalf("login without a keyring: %+v", r)
	}
	if strings.Contains(r.stderr, "abcdefghijklmnop") {
		t.Fatal("the app password appears in the error")
	}
	if sp.AuthAttempts() != 1 {
		t.Fatalf("%d SMTP logins, want 1 (the password is checked before saving)", sp.AuthAttempts())
	}
	if entries, _ := os.ReadDir(dir); len(entries) > 1 {
		t.Fatalf("files written without a keyring: %v", entries)
	}
	if _, err := os.Stat(filepath.Join(dir, "accounts.json")); err == nil {
		t.Fatal("an account was saved although its secret could not be")
	}

	// An OAuth account whose secrets cannot be read.
	accounts := `{"version":1,"accounts":[{"address":"bob@gmail.com","method":"oauth","smtp":"` + sp.StartTLSURL() +
		`","client_id":"1-x.apps.googleusercontent.com","token_uri":"http://127.0.0.1:1/token","signed_in_at":"2026-11-20T10:00:00Z"}]}`
	if err := os.WriteFile(filepath.Join(dir, "accounts.json"), []byte(accounts), 0o600); err != nil {
		t.Fatal(err)
	}
	r = mailkey(t, dir, "", noBus, "token", "bob@gmail.com")
	if r.code != cli.ExitKeyring {
		t.Fatalf("token without a keyring: %+v", r)
	}
	r = mailkey(t, dir, "", noBus, "remove", "bob@gmail.com")
	if r.code != cli.ExitKeyring {
		t.Fatalf("remove without a keyring: %+v", r)
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "accounts.json")); !strings.Contains(string(data), "bob@gmail.com") {
		t.Fatal("remove dropped the account although its keyring entries stayed")
	}
}
