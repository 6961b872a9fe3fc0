package e2e

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mailkey-app/mailkey/internal/testpeer"
)

// The stand-ins' test user, as app/engine/enginetest names it.
const (
	ann      = "ann@gmail.com"
	annPass  = "abcdefghijklmnop"
	annShown = "abcd efgh ijkl mnop"
)

var (
	// guiBin is the GUI binary under test, built once by TestMain.
	guiBin string
	// cliBin is the command line (./cmd/mailkey), which sets accounts up and
	// cleans them away around the window's tests.
	cliBin string
	// display is the Xvfb display the tests share, one app at a time.
	display string
)

func TestMain(m *testing.M) {
	if os.Getenv("MAILKEY_GUI_E2E") == "" {
		fmt.Println("e2e: the real-window suite runs under 'make test' (MAILKEY_GUI_E2E=1); skipped")
		os.Exit(0)
	}
	testpeer.RequireSessionBus("e2e")
	for _, tool := range []string{"Xvfb", "xdotool", "import", "xwininfo"} {
		if _, err := exec.LookPath(tool); err != nil {
			fmt.Fprintf(os.Stderr, "e2e: %s is missing; 'make deps-test' installs it\n", tool)
			os.Exit(1)
		}
	}
	tmp, err := os.MkdirTemp("", "mailkey-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		os.Exit(1)
	}
	code := run(m, tmp)
	_ = os.RemoveAll(tmp)
	os.Exit(code)
}

func run(m *testing.M, tmp string) int {
	pkg := os.Getenv("MAILKEY_GUI_PKG")
	if pkg == "" {
		pkg = "./cmd/mailkey-app"
	}
	cliBin = filepath.Join(tmp, "mailkey")
	build := exec.Command("go", "build", "-o", cliBin, "./cmd/mailkey")
	build.Dir = ".."
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "e2e: go build ./cmd/mailkey: %v\n%s", err, out)
		return 1
	}
	// MAILKEY_GUI_BIN runs the suite on a binary built elsewhere (an older
	// commit, to see a test fail before its fix).
	guiBin = os.Getenv("MAILKEY_GUI_BIN")
	if guiBin == "" {
		guiBin = filepath.Join(tmp, "mailkey-app")
		tags, err := guiTags()
		if err != nil {
			fmt.Fprintln(os.Stderr, "e2e:", err)
			return 1
		}
		build := exec.Command("go", "build", "-tags", tags, "-o", guiBin, pkg)
		build.Dir = ".."
		if out, err := build.CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "e2e: go build %s: %v\n%s", pkg, err, out)
			return 1
		}
	}
	xvfb, err := startXvfb()
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer func() { _ = xvfb.Process.Kill() }()
	return m.Run()
}

// guiTags are the build tags of the GUI binary, those 'make build' gives it:
// MAILKEY_GUI_TAGS, which 'make test' sets from the Makefile's APP_TAGS, or,
// when it is not set, APP_TAGS's default read from the Makefile.
func guiTags() (string, error) {
	if tags, ok := os.LookupEnv("MAILKEY_GUI_TAGS"); ok {
		return tags, nil
	}
	return makefileAppTags()
}

// startXvfb starts a 1024×600 screen, the smallest the app must fit, on a
// display number that is free, and waits until it answers.
func startXvfb() (*exec.Cmd, error) {
	for n := 100 + os.Getpid()%300; n < 1000; n += 7 {
		if _, err := os.Stat(fmt.Sprintf("/tmp/.X%d-lock", n)); err == nil {
			continue
		}
		d := ":" + strconv.Itoa(n)
		cmd := exec.Command("Xvfb", d, "-screen", "0", "1024x600x24", "-nolisten", "tcp")
		if err := cmd.Start(); err != nil {
			return nil, fmt.Errorf("start Xvfb: %w", err)
		}
		exited := make(chan struct{})
		go func() { _ = cmd.Wait(); close(exited) }()
		for i := 0; i < 100; i++ {
			chk := exec.Command("xwininfo", "-root")
			chk.Env = append(os.Environ(), "DISPLAY="+d)
			if chk.Run() == nil {
				display = d
				return cmd, nil
			}
			select {
			case <-exited:
				i = 100 // taken meanwhile: try the next number
			case <-time.After(100 * time.Millisecond):
			}
		}
		_ = cmd.Process.Kill()
	}
	return nil, fmt.Errorf("Xvfb did not start on any free display")
}

// session is one run of the app over a fresh config dir, with its own peers.
type session struct {
	t      *testing.T
	gm     *testpeer.Gmail
	dir    string // MAILKEY_CONFIG_DIR
	home   string // HOME, so Fyne's preferences start empty
	opened string // file where the stand-in xdg-open writes the links it gets
	cmd    *exec.Cmd
	out    *lockedBuffer
	done   chan struct{}
	win    string // X window id
	// signedInAt is the account's sign-in time before a test signs in again.
	signedInAt any
}

// lockedBuffer collects the app's output.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// newSession starts the peers; start then opens the window.
func newSession(t *testing.T) *session {
	t.Helper()
	tmp := t.TempDir()
	gm, err := testpeer.StartGmail(testpeer.GmailOptions{
		Dir: filepath.Join(tmp, "peers"), TestUsers: []string{ann},
		Passwords: map[string]string{ann: annPass}, AccountPasswords: map[string]string{ann: "Correct-Horse-9!"},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(gm.Close)
	s := &session{t: t, gm: gm, dir: filepath.Join(tmp, "config"), home: filepath.Join(tmp, "home"), opened: filepath.Join(tmp, "opened.txt")}
	// The stand-in browser opener: xdg-open records the link; follow() fetches it.
	bin := filepath.Join(tmp, "bin")
	if err := os.MkdirAll(bin, 0o700); err != nil {
		t.Fatal(err)
	}
	script := "#!/bin/sh\nprintf '%s\\n' \"$1\" >>" + s.opened + "\n"
	if err := os.WriteFile(filepath.Join(bin, "xdg-open"), []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.forgetSecrets() })
	return s
}

// env is the app's environment: the shared display, the session's dirs, the
// peers' CA, English, and the stand-in browser first on PATH.
func (s *session) env(extra ...string) []string {
	env := []string{}
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "DISPLAY", "WAYLAND_DISPLAY", "HOME", "XDG_CONFIG_HOME", "LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "PATH", "FYNE_THEME", "FYNE_SCALE":
			continue
		}
		env = append(env, kv)
	}
	env = append(env, "DISPLAY="+display, "HOME="+s.home, "XDG_CONFIG_HOME="+filepath.Join(s.home, ".config"),
		"MAILKEY_CONFIG_DIR="+s.dir, "SSL_CERT_FILE="+s.gm.CA.CertFile, "LANGUAGE=en", "LC_ALL=C", "FYNE_SCALE=1",
		"PATH="+filepath.Join(filepath.Dir(s.opened), "bin")+":"+os.Getenv("PATH"))
	return append(env, extra...)
}

// cli runs a mailkey command line on the session's config dir and keyring.
func (s *session) cli(stdin string, args ...string) string {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, cliBin, args...)
	cmd.Env = s.env()
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	if err != nil {
		s.t.Fatalf("mailkey %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// forgetSecrets removes what the tests put in the keyring under the user's address.
func (s *session) forgetSecrets() {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, cliBin, "remove", ann)
	cmd.Env = s.env()
	_ = cmd.Run()
}

// start opens the app's window and waits for it to map.
func (s *session) start(extra ...string) {
	s.t.Helper()
	s.out = &lockedBuffer{}
	s.cmd = exec.Command(guiBin)
	s.cmd.Env = s.env(extra...)
	s.cmd.Stdout, s.cmd.Stderr = s.out, s.out
	if err := s.cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	s.done = make(chan struct{})
	go func() { _ = s.cmd.Wait(); close(s.done) }()
	s.t.Cleanup(s.stop)
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		// GLFW sets no _NET_WM_PID; one app runs at a time, and every title ends in "mailkey".
		search := exec.Command("xdotool", "search", "--onlyvisible", "--name", "mailkey$")
		search.Env = append(os.Environ(), "DISPLAY="+display)
		out, _ := search.Output()
		if ids := strings.Fields(string(out)); len(ids) > 0 {
			s.win = ids[len(ids)-1]
			break
		}
		if s.exited() {
			s.t.Fatalf("the app exited before its window opened (DISPLAY=%s):\n%s", display, s.out.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	if s.win == "" {
		s.t.Fatalf("no window within 20 s:\n%s", s.out.String())
	}
	s.xdo("windowfocus", "--sync", s.win)
	time.Sleep(700 * time.Millisecond) // the first frame and the first screen
}

// exited reports whether the app has ended.
func (s *session) exited() bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}

// stop takes a screenshot of a failed test, ends the app, and fails the test
// on a panic in its output.
func (s *session) stop() {
	if s.t.Failed() && !s.exited() {
		s.shot("failed")
	}
	if !s.exited() {
		_ = s.cmd.Process.Kill()
		<-s.done
	}
	out := s.out.String()
	if strings.Contains(out, "panic:") || strings.Contains(out, "fatal error:") {
		s.t.Errorf("the app crashed:\n%s", out)
	} else if s.t.Failed() {
		s.t.Logf("the app's output:\n%s", out)
	}
}

// shot saves the screen to testdata/failed/TEST-name.png.
func (s *session) shot(name string) {
	dir := filepath.Join("testdata", "failed")
	_ = os.MkdirAll(dir, 0o755)
	file := filepath.Join(dir, strings.NewReplacer("/", "-", " ", "_").Replace(s.t.Name())+"-"+name+".png")
	cmd := exec.Command("import", "-window", "root", file)
	cmd.Env = append(os.Environ(), "DISPLAY="+display)
	if out, err := cmd.CombinedOutput(); err != nil {
		s.t.Logf("screenshot: %v %s", err, out)
		return
	}
	s.t.Logf("screenshot: e2e/%s", file)
}

// xdo runs xdotool on the test display.
func (s *session) xdo(args ...string) string {
	s.t.Helper()
	cmd := exec.Command("xdotool", args...)
	cmd.Env = append(os.Environ(), "DISPLAY="+display)
	out, err := cmd.CombinedOutput()
	if err != nil {
		s.t.Fatalf("xdotool %s: %v %s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// alive fails the test at once when the app has ended.
func (s *session) alive() {
	s.t.Helper()
	if s.exited() {
		s.t.Fatalf("the app ended:\n%s", s.out.String())
	}
}

// key presses keys (xdotool names: Tab, Return, ctrl+o, Escape), one after another.
func (s *session) key(keys ...string) {
	s.t.Helper()
	s.alive()
	for _, k := range keys {
		s.xdo("key", "--clearmodifiers", k)
		time.Sleep(120 * time.Millisecond)
	}
	s.settle()
}

// typeText types text into the focused field.
func (s *session) typeText(text string) {
	s.t.Helper()
	s.alive()
	s.xdo("type", "--delay", "15", text)
	s.settle()
}

// click clicks at x, y in the window.
func (s *session) click(x, y int) {
	s.t.Helper()
	s.alive()
	s.xdo("mousemove", "--window", s.win, strconv.Itoa(x), strconv.Itoa(y), "click", "1")
	s.settle()
}

// settle gives the app time to draw and to finish quick work.
func (s *session) settle() { time.Sleep(250 * time.Millisecond) }

// title is the window's title.
func (s *session) title() string { return s.xdo("getwindowname", s.win) }

// waitTitle waits until the window's title contains want: every screen names
// itself there.
func (s *session) waitTitle(want string) {
	s.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	got := ""
	for time.Now().Before(deadline) {
		s.alive()
		if got = s.title(); strings.Contains(got, want) {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.t.Fatalf("window title %q, want it to contain %q", got, want)
}

// waitMessages waits until the SMTP stand-in has received n messages.
func (s *session) waitMessages(n int) []testpeer.Received {
	s.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if got := s.gm.SMTP.Messages(); len(got) >= n {
			return got
		}
		s.alive()
		time.Sleep(100 * time.Millisecond)
	}
	s.t.Fatalf("the SMTP stand-in received %d messages, want %d", len(s.gm.SMTP.Messages()), n)
	return nil
}

// follow opens the last link the app gave the stand-in browser, as a
// signed-in browser would.
func (s *session) follow() {
	s.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		b, _ := os.ReadFile(s.opened)
		lines := strings.Fields(string(b))
		if len(lines) > 0 {
			_ = os.Remove(s.opened)
			if r := testpeer.Fetch(lines[len(lines)-1]); r.Err != nil || r.Status != 200 {
				s.t.Fatalf("the stand-in browser got %d %v", r.Status, r.Err)
			}
			return
		}
		s.alive()
		time.Sleep(100 * time.Millisecond)
	}
	s.t.Fatal("the app opened no link in the browser")
}
