package main

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/mailkey-app/mailkey/app/cli"
)

// TestNoGUILinked checks that the command line links no Fyne and no OpenGL
// or GLFW binding, on Linux and on the cross-compiled targets, so that it
// runs without libGL and builds without cgo.
func TestNoGUILinked(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		//lint:ignore SA1019 only when go is not on PATH: the test runs where it was built
		goBin = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	for _, goos := range []string{"", "linux", "windows", "darwin"} {
		c := exec.Command(goBin, "list", "-deps", ".")
		if goos != "" { // "": this machine's default build, cgo on
			c.Env = append(os.Environ(), "GOOS="+goos, "CGO_ENABLED=0")
		}
		var stderr strings.Builder
		c.Stderr = &stderr
		out, err := c.Output()
		if err != nil {
			t.Fatalf("go list -deps (GOOS=%s CGO_ENABLED=0): %v\n%s", goos, err, stderr.String())
		}
		deps := strings.Fields(string(out))
		if len(deps) < 50 || !contains(deps, "github.com/mailkey-app/mailkey/app/cli") {
			t.Fatalf("GOOS=%s: go list gave %d packages, without app/cli: %q", goos, len(deps), out)
		}
		for _, d := range deps {
			if strings.HasPrefix(d, "fyne.io/") || strings.HasPrefix(d, "github.com/go-gl/") ||
				strings.HasPrefix(d, "github.com/mailkey-app/mailkey/ui") {
				t.Errorf("GOOS=%s: the command line links %s", goos, d)
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// installPair copies this test binary as DIR/mailkey (it runs main() under
// MAILKEY_RUN_MAIN=1) and, when app is true, puts a stand-in mailkey-app
// next to it that records how it was started.
func installPair(t *testing.T, dir, marker string, app bool) string {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	self := filepath.Join(dir, "mailkey")
	src, err := os.Open(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := os.OpenFile(self, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
	if app {
		fakeApp(t, dir, marker)
	}
	return self
}

func fakeApp(t *testing.T, dir, marker string) {
	t.Helper()
	script := "#!/bin/sh\necho \"" + marker + " args=$# pid=$$\"\nexit 7\n"
	if err := os.WriteFile(filepath.Join(dir, "mailkey-app"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
}

func runAt(t *testing.T, bin string, path string, args ...string) run {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "MAILKEY_RUN_MAIN=1", "PATH="+path)
	return runCmd(t, cmd)
}

func TestLaunchesTheApp(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the stand-in app is a shell script")
	}
	tmp := t.TempDir()
	next := filepath.Join(tmp, "bin")
	onPath := filepath.Join(tmp, "path")
	bin := installPair(t, next, "next-to-mailkey", true)
	if err := os.MkdirAll(onPath, 0o755); err != nil {
		t.Fatal(err)
	}
	fakeApp(t, onPath, "on-path")

	// Without arguments and with 'app': the binary next to mailkey wins over
	// PATH, and its exit status is mailkey's (exec, not a child).
	for _, args := range [][]string{nil, {"app"}} {
		r := runAt(t, bin, onPath, args...)
		if r.code != 7 || !strings.HasPrefix(r.stdout, "next-to-mailkey args=0") {
			t.Fatalf("mailkey %v: %+v", args, r)
		}
	}
	// Through a symlink (as /usr/local/bin/mailkey → /opt/mailkey/mailkey),
	// the app is looked for next to the real file.
	link := filepath.Join(tmp, "link-mailkey")
	if err := os.Symlink(bin, link); err != nil {
		t.Fatal(err)
	}
	if r := runAt(t, link, "/nonexistent"); r.code != 7 || !strings.HasPrefix(r.stdout, "next-to-mailkey") {
		t.Fatalf("through a symlink: %+v", r)
	}
	if r := runAt(t, bin, onPath, "app", "--now"); r.code != cli.ExitUsage || !strings.Contains(r.stderr, "takes no arguments") {
		t.Fatalf("mailkey app --now: %+v", r)
	}

	// Nothing next to mailkey: PATH.
	if err := os.Remove(filepath.Join(next, "mailkey-app")); err != nil {
		t.Fatal(err)
	}
	if r := runAt(t, bin, onPath); r.code != 7 || !strings.HasPrefix(r.stdout, "on-path args=0") {
		t.Fatalf("from PATH: %+v", r)
	}
	// Nowhere: one clear message, and the commands still work.
	r := runAt(t, bin, filepath.Join(tmp, "empty"))
	if r.code != cli.ExitFailure || !strings.Contains(r.stderr, "The desktop app (mailkey-app) is not installed") ||
		!strings.Contains(r.stderr, "mailkey help") || r.stdout != "" {
		t.Fatalf("no app: %+v", r)
	}
	if r := runAt(t, bin, filepath.Join(tmp, "empty"), "help"); r.code != cli.ExitOK || !strings.Contains(r.stdout, "mailkey send") {
		t.Fatalf("help without the app: %+v", r)
	}
}
