package cli_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/cli"
	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/mailkey-app/mailkey/app/secret"
)

// These tests damage mailkey's own files and the files a command line names
// (issue 10: a damaged accounts file, unbounded local reads, read-only and
// full config directories, exit codes).

// runWithin runs the CLI like r.run, but fails the test if it has not ended
// within d: a read that hangs (a named pipe) or never ends (/dev/zero) fails
// the test instead of hanging it.
func (r *rig) runWithin(d time.Duration, stdin string, args ...string) result {
	r.t.Helper()
	done := make(chan result, 1)
	go func() { done <- r.run(stdin, args...) }()
	select {
	case res := <-done:
		return res
	case <-time.After(d):
		r.t.Fatalf("mailkey %s did not end within %v", strings.Join(args, " "), d)
		return result{}
	}
}

// damage writes content over the accounts file.
func (r *rig) damage(content string) {
	r.t.Helper()
	if err := os.MkdirAll(r.dir, 0o700); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(r.dir, account.FileName), []byte(content), 0o600); err != nil {
		r.t.Fatal(err)
	}
}

// newBackup returns the one backup of the accounts file not in seen, and checks
// that it holds content and that stderr names it.
func (r *rig) newBackup(seen map[string]bool, content, stderr string) {
	r.t.Helper()
	all, _ := filepath.Glob(filepath.Join(r.dir, account.BackupPrefix+"*"))
	var fresh []string
	for _, b := range all {
		if !seen[b] {
			fresh = append(fresh, b)
			seen[b] = true
		}
	}
	if len(fresh) != 1 {
		r.t.Fatalf("new backups %v, want one (all: %v)", fresh, all)
	}
	if kept, _ := os.ReadFile(fresh[0]); string(kept) != content {
		r.t.Fatalf("backup %s holds %q, want the damaged content %q", fresh[0], kept, content)
	}
	if !strings.Contains(stderr, fresh[0]) {
		r.t.Fatalf("stderr does not say where the damaged file is kept (%s): %q", fresh[0], stderr)
	}
}

// TestDamagedAccountsFileIsRecovered: the damaged file's advice says to add
// the accounts again, and then it is kept aside. OAuth and app-password
// logins and a removal over a damaged file succeed, keep the damaged
// content under the name they print, and start a new file.
func TestDamagedAccountsFileIsRecovered(t *testing.T) {
	r := newRig(t)
	seen := map[string]bool{}
	const first = `{"version":1,"accounts":[{"address":"ann@gm`
	r.damage(first)
	res := r.run("", "accounts")
	r.wantCode(res, cli.ExitFailure)
	if !strings.Contains(res.stderr, "damaged") || !strings.Contains(res.stderr, "Add your accounts again") {
		t.Fatalf("accounts over a damaged file said %q", res.stderr)
	}

	res, _ = r.signIn(nil) // a full browser sign-in
	r.wantCode(res, cli.ExitOK)
	r.newBackup(seen, first, res.stderr)
	if list, err := r.eng.List(); err != nil || len(list) != 1 || list[0].Address != ann || list[0].Method != account.OAuth {
		t.Fatalf("after the sign-in: %+v, %v", list, err)
	}

	const second = "\x00\x01 not json at all"
	r.damage(second)
	res = r.run(annShown+"\n", "login", "--app-password", "--email", ann, "--smtp", r.smtp.StartTLSURL())
	r.wantCode(res, cli.ExitOK)
	r.newBackup(seen, second, res.stderr)
	if a, err := r.eng.Account(ann); err != nil || a.Method != account.AppPassword {
		t.Fatalf("after the app-password login: %+v, %v", a, err)
	}

	const third = `{"accounts":[]}`
	r.damage(third)
	res = r.run("", "remove", ann)
	r.wantCode(res, cli.ExitOK)
	r.newBackup(seen, third, res.stderr)
	if _, err := r.secret(secret.AppPassword); !errors.Is(err, secret.ErrNotFound) {
		t.Fatalf("the app password is still in the keyring after remove: %v", err)
	}
	res = r.run("", "accounts")
	r.wantCode(res, cli.ExitOK)
	if !strings.Contains(res.stderr, "No accounts yet") {
		t.Fatalf("accounts after the removal: %+v", res)
	}
}

// TestLoginChecksTheAccountsFileFirst: when the account could not be saved,
// the login says so before the browser opens, so nobody signs in for
// nothing; a folder in place of the file is named as such, and exits 1.
func TestLoginChecksTheAccountsFileFirst(t *testing.T) {
	r := newRig(t)
	path := filepath.Join(r.dir, account.FileName)
	if err := os.MkdirAll(path, 0o700); err != nil {
		t.Fatal(err)
	}
	opened := 0
	r.eng.Use(engine.WithBrowser(engine.BrowserFunc(func(string) error { opened++; return nil })))
	res := r.runWithin(20*time.Second, "", "login", "--client-secret", r.clientFile("installed"), "--timeout", "3s")
	if opened != 0 {
		t.Fatalf("the browser was opened %d times although the account could not be saved", opened)
	}
	r.wantCode(res, cli.ExitFailure)
	for _, cmd := range [][]string{{"accounts"}, {"remove", ann}} {
		res = r.run("", cmd...)
		r.wantCode(res, cli.ExitFailure)
		if !strings.Contains(res.stderr, path+" is a folder") {
			t.Fatalf("%s: %q should say that %s is a folder", cmd[0], res.stderr, path)
		}
	}
	res = r.run(annShown+"\n", "login", "--app-password", "--email", ann, "--smtp", r.smtp.StartTLSURL())
	r.wantCode(res, cli.ExitFailure)
	if n := len(r.smtp.Messages()); n != 0 || !strings.Contains(res.stderr, "is a folder") {
		t.Fatalf("app-password login over a folder: %q", res.stderr)
	}
}

// TestLocalReadsAreBounded: a folder, a device or a named pipe where a file
// is expected, and a file too large, give a clear message at once instead of
// running out of memory or hanging; bad input exits 2, mailkey's own
// accounts file 1.
func TestLocalReadsAreBounded(t *testing.T) {
	tmp := t.TempDir()
	fifo := filepath.Join(tmp, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	big := filepath.Join(tmp, "big.txt")
	f, err := os.Create(big)
	if err == nil {
		err = f.Truncate(36 * 1000 * 1000) // sparse: over Gmail's 35,882,577 bytes
		_ = f.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	send := func(body string) []string {
		return []string{"send", "--from", ann, "--to", "bob@example.com", "--subject", "s", "--body-file", body}
	}
	tests := []struct {
		name     string
		accounts string // what accounts.json becomes: a symlink to this path
		args     []string
		code     int
		want     string
	}{
		{"body file is a folder", "", send(tmp), cli.ExitUsage, "is a folder"},
		{"body file is dev-zero", "", send("/dev/zero"), cli.ExitUsage, "not a regular file"},
		{"body file is a named pipe", "", send(fifo), cli.ExitUsage, "not a regular file"},
		{"body file over Gmail's size", "", send(big), cli.ExitUsage, "larger than Gmail's limit"},
		{"client secret is a folder", "", []string{"login", "--client-secret", tmp}, cli.ExitUsage, "is a folder"},
		{"client secret is a named pipe", "", []string{"login", "--client-secret", fifo}, cli.ExitUsage, "not a file"},
		{"client secret is dev-zero", "", []string{"login", "--client-secret", "/dev/zero"}, cli.ExitUsage, "not a file"},
		{"accounts.json is dev-zero", "/dev/zero", []string{"accounts"}, cli.ExitFailure, "not a regular file"},
		{"accounts.json is a named pipe", fifo, []string{"accounts"}, cli.ExitFailure, "not a regular file"},
		{"remove over dev-zero", "/dev/zero", []string{"remove", ann}, cli.ExitFailure, "not a regular file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t)
			if tt.accounts != "" {
				if err := os.MkdirAll(r.dir, 0o700); err != nil {
					t.Fatal(err)
				}
				if err := os.Symlink(tt.accounts, filepath.Join(r.dir, account.FileName)); err != nil {
					t.Fatal(err)
				}
			}
			res := r.runWithin(10*time.Second, "", tt.args...)
			r.wantCode(res, tt.code)
			if !strings.Contains(res.stderr, tt.want) {
				t.Fatalf("stderr %q lacks %q", res.stderr, tt.want)
			}
		})
	}
}

// Environment of the child that TestConfigDirNotWritable runs under a
// private mount namespace (see childUnderMount).
const (
	childArgsEnv    = "MAILKEY_TEST_CHILD_ARGS"
	childDirEnv     = "MAILKEY_TEST_CHILD_DIR"
	childServiceEnv = "MAILKEY_TEST_CHILD_SERVICE"
)

// TestChildCLI is not a test on its own: TestConfigDirNotWritable runs it
// in a child process to run one CLI command over a config dir that the
// child's mount namespace made read-only or full.
func TestChildCLI(t *testing.T) {
	args := os.Getenv(childArgsEnv)
	if args == "" {
		t.Skip("runs only as TestConfigDirNotWritable's child")
	}
	eng := engine.New(os.Getenv(childDirEnv), engine.WithSecrets(secret.New(os.Getenv(childServiceEnv))))
	var out, errb bytes.Buffer
	start := time.Now()
	code := cli.Run(context.Background(), strings.Fields(args), cli.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Engine: eng})
	fmt.Printf("CODE %d\nTOOK %d\nSTDERR %s", code, time.Since(start).Milliseconds(), errb.String())
}

// childUnderMount runs 'mailkey ARGS' (TestChildCLI) in a child process whose
// config dir is prepared by script, as root of a user and mount namespace of
// its own (unshare -rm), so that even a test run as root meets a read-only
// or full file system. script runs with $0 = the config dir, $1 = its copy
// source. After the command, the child lists the config dir and prints its
// accounts.json (files returns them: its mount is gone with the child).
func childUnderMount(t *testing.T, r *rig, dir, src, script string, args ...string) (code int, stderr, files string, took time.Duration) {
	t.Helper()
	if err := exec.Command("unshare", "-rm", "true").Run(); err != nil {
		t.Skipf("needs unshare -rm (user and mount namespaces): %v", err)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("unshare", "-rm", "sh", "-ec", script+`; d=$0; shift; "$@"; echo "FILES $(ls "$d")"; cat "$d"/accounts.json`,
		dir, src, exe, "-test.run=^TestChildCLI$", "-test.v")
	cmd.Env = append(os.Environ(), childArgsEnv+"="+strings.Join(args, " "), childDirEnv+"="+dir, childServiceEnv+"="+r.service)
	out, err := cmd.CombinedOutput()
	t.Logf("child mailkey %s:\n%s", strings.Join(args, " "), out)
	if err != nil {
		t.Fatalf("child: %v", err)
	}
	s := string(out)
	var ms int64
	if _, err := fmt.Sscanf(s[strings.Index(s, "CODE "):], "CODE %d\nTOOK %d", &code, &ms); err != nil {
		t.Fatalf("child output: %v", err)
	}
	took = time.Duration(ms) * time.Millisecond
	_, stderr, _ = strings.Cut(s, "STDERR ")
	stderr, files, _ = strings.Cut(stderr, "FILES ")
	return code, stderr, files, took
}

// TestConfigDirNotWritable: a removal that cannot save the accounts file, on
// a read-only or a full file system, keeps the account and its app password
// (it used to delete the password first, then report the file unchanged); a
// read-only directory is said at once, not after 10 seconds as another
// mailkey holding the lock; both exit 1, not 2.
func TestConfigDirNotWritable(t *testing.T) {
	const full = `mount -t tmpfs -o size=64k tmpfs "$0"; cp "$1"/accounts.json "$1"/accounts.json.lock "$0"/`
	const fill = `; dd if=/dev/zero of="$0"/fill bs=1k 2>/dev/null || true`
	for _, tt := range []struct {
		name, script, want string
	}{
		{"read-only", `mount --bind "$0" "$0"; mount -o remount,bind,ro "$0"`, "may not write in its configuration directory"},
		{"full", full + fill, "Cannot save the accounts file"},
		// Over a damaged file, the copy kept aside is dropped again when the new file cannot be written.
		{"full, over a damaged file", full + `; printf 'damaged{' > "$0"/accounts.json` + fill, "Cannot save the accounts file"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t)
			r.wantCode(r.run(annShown+"\n", "login", "--app-password", "--email", ann, "--smtp", r.smtp.StartTLSURL()), cli.ExitOK)
			dir := r.dir
			if strings.HasPrefix(tt.name, "full") {
				dir = t.TempDir() // the tmpfs goes here, with a copy of the accounts file
			}
			code, stderr, files, took := childUnderMount(t, r, dir, r.dir, tt.script, "remove", ann)
			if strings.Contains(files, account.BackupPrefix) || strings.Contains(files, ".tmp-") {
				t.Fatalf("the failed removal left files behind: %s", files)
			}
			if tt.name == "full, over a damaged file" && !strings.HasSuffix(files, "\ndamaged{") {
				t.Fatalf("the damaged accounts file changed: %q", files)
			}
			if v, err := r.secret(secret.AppPassword); err != nil || v != annPass {
				t.Fatalf("the failed removal deleted the app password (%v)", err)
			}
			if code != cli.ExitFailure || !strings.Contains(stderr, tt.want) || took > 5*time.Second {
				t.Fatalf("exit %d after %v, stderr %q; want exit 1 at once, saying %q", code, took, stderr, tt.want)
			}
			if strings.Contains(stderr, "locked") {
				t.Fatalf("a directory that cannot be written was reported as locked: %q", stderr)
			}
			if a, err := r.eng.Account(ann); err != nil || a.Status.String() != "ok" {
				t.Fatalf("the account after the failed removal: %+v, %v", a, err)
			}
		})
	}
}

// TestUnreadableAccountsFileExits1: an accounts file mailkey may not read is
// a problem with mailkey's own files, not with the command line: exit 1 (it
// was 2). Root reads any file, so this runs only as another user; the same
// mapping is checked as root by the folder, device and pipe cases above.
func TestUnreadableAccountsFileExits1(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root can read any file")
	}
	r := newRig(t)
	r.damage(`{"version":1,"accounts":[]}`)
	if err := os.Chmod(filepath.Join(r.dir, account.FileName), 0); err != nil {
		t.Fatal(err)
	}
	res := r.run("", "accounts")
	r.wantCode(res, cli.ExitFailure)
	if !strings.Contains(res.stderr, "Cannot read") {
		t.Fatalf("stderr %q", res.stderr)
	}
}
