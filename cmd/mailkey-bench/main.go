// Command mailkey-bench measures the real mailkey binary against reference
// tools (msmtp, secret-tool, a minimal Fyne window) on the local stand-ins
// for Google, and prints one markdown table of ratios of medians. Every row
// interleaves the two sides in the same invocation (A B A B …) after warm-up
// runs, so that machine noise hits both alike. Run it through 'make bench',
// which builds the binaries and provides the real Secret Service
// (.ci/with-keyring).
package main

import (
	"bufio"
	"bytes"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/mailkey-app/mailkey/internal/testpeer"
)

//go:embed findings.md
var findings string

const (
	oauthUser = "ann@gmail.com" // the OAuth test user the stand-in browser is signed in as
	appUser   = "bob@gmail.com" // the app-password account
	appPass   = "abcdefghijklmnop"
	rcpt      = "carol@example.com"
)

var (
	bin     = flag.String("bin", "bin", "directory holding mailkey, mailkey-app and refwindow")
	out     = flag.String("out", "", "also write the report to this file")
	npairs  = flag.Int("pairs", 15, "measured pairs per row (at least 15 for a report)")
	nwarm   = flag.Int("warmup", 2, "warm-up runs per side before measuring")
	only    = flag.String("rows", "floor,send,rtt,oauth,attach,token,gui,relay,size", "rows to run (comma-separated)")
	rttHalf = flag.Duration("delay", 10*time.Millisecond, "the relay's delay in each direction (half the round trip)")
	idleFor = flag.Duration("idle", 5*time.Second, "how long after mapping the GUI's RSS is read")
)

func main() {
	if len(os.Args) > 2 && os.Args[1] == "-peak-rss" {
		peakRSS(os.Args[2:])
		return
	}
	flag.Parse()
	tmp, err := os.MkdirTemp("", "mailkey-bench-")
	if err != nil {
		fail(err)
	}
	var cleanups []func()
	cleanup := func() {
		killAll()
		for i := len(cleanups) - 1; i >= 0; i-- {
			cleanups[i]()
		}
		_ = os.RemoveAll(tmp)
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sig
		logf("interrupted; stopping the processes this bench started")
		cleanup()
		os.Exit(130)
	}()
	failf = func(err error) {
		cleanup()
		fail(err)
	}

	b := &bench{tmp: tmp}
	cleanups = append(cleanups, b.close)
	b.setup()
	report := b.report(b.rows())
	fmt.Print(report)
	if *out != "" {
		if err := os.WriteFile(*out, []byte(report), 0o644); err != nil {
			failf(err)
		}
		logf("wrote %s", *out)
	}
	cleanup()
}

// rows measures the rows that -rows names, in the table's order.
func (b *bench) rows() []row {
	want := map[string]bool{}
	for _, r := range strings.Split(*only, ",") {
		want[strings.TrimSpace(r)] = true
	}
	var rows []row
	if want["floor"] {
		rows = append(rows, b.rowFloor())
	}
	if want["send"] || want["attach"] {
		rows = append(rows, b.rowSend()...)
	}
	if want["rtt"] {
		rows = append(rows, b.rowsRTT()...)
	}
	if want["oauth"] {
		rows = append(rows, b.rowOAuth())
	}
	if want["attach"] {
		rows = append(rows, b.rowAttach()...)
	}
	if want["token"] {
		rows = append(rows, b.rowToken())
	}
	if want["relay"] {
		rows = append(rows, b.rowRelay()...)
	}
	if want["gui"] {
		// The SMTP peer keeps every message: after the attachment row this
		// process holds hundreds of MB, and its garbage collection would
		// delay noticing the windows' MapNotify. Free it first.
		b.gm.SMTP.Forget()
		runtime.GC()
		debug.FreeOSMemory()
		rows = append(rows, b.rowGUI()...)
	}
	if want["size"] {
		rows = append(rows, b.rowSize())
	}
	return rows
}

var failf = fail

func fail(err error) {
	fmt.Fprintln(os.Stderr, "mailkey-bench:", err)
	os.Exit(1)
}

func logf(format string, a ...any) {
	fmt.Fprintf(os.Stderr, "[%s] %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, a...))
}

type bench struct {
	tmp     string
	gm      *testpeer.Gmail
	env     []string      // environment of every child: config dir, test CA, private XDG dirs
	mailkey string        // the command line
	app     string        // the desktop app, mailkey-app
	floor   string        // the minimal Go sender (floor/)
	wan     *latencyRelay // 10 ms each way between the clients and the SMTP peer
	envRTT  []string      // env with the config dir whose account goes through the relay
	rcRTT   string        // msmtprc through the relay
	token   string        // a cached access token for oauthUser
	smtpHP  [2]string
	rcApp   string // msmtprc, app password from the keyring via secret-tool
	rcOAuth string // msmtprc, XOAUTH2 with the token
	body    string // 1 KB body file
	msg     string // the same message with headers, for msmtp -t
	big     string // 20 MB attachment
	bigMsg  string // the MIME message mailkey sent with big, for msmtp -t
	machine []string
}

func (b *bench) close() {
	if b.wan != nil {
		b.wan.close()
	}
	if b.gm != nil {
		b.gm.Close()
	}
}

func (b *bench) path(name string) string { return filepath.Join(b.tmp, name) }

func (b *bench) must(err error) {
	if err != nil {
		failf(err)
	}
}

func (b *bench) setup() {
	b.checkTools()
	url := b.startPeers()
	b.loginAppPassword(url)
	b.loginOAuth(url)
	b.checkKeyring()
	b.writeMSMTPRC()
	b.startRelay()
	b.writeMessages()
	b.machine = machine()
}

// checkTools finds mailkey, msmtp, secret-tool and the session bus.
func (b *bench) checkTools() {
	var err error
	b.mailkey, err = filepath.Abs(filepath.Join(*bin, "mailkey"))
	b.must(err)
	b.app, err = filepath.Abs(filepath.Join(*bin, "mailkey-app"))
	b.must(err)
	b.floor, err = filepath.Abs(filepath.Join(*bin, "floor"))
	b.must(err)
	for _, tool := range []string{b.mailkey, b.app, b.floor, "msmtp", "secret-tool"} {
		if _, err := exec.LookPath(tool); err != nil {
			failf(fmt.Errorf("%s not found: %w (run 'make bench')", tool, err))
		}
	}
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		failf(errors.New("no session bus: run this through .ci/with-keyring (make bench)"))
	}
}

// startPeers starts the Gmail stand-ins and returns the SMTP server's URL.
func (b *bench) startPeers() string {
	peers := b.path("peers")
	b.must(os.MkdirAll(peers, 0o700))
	var err error
	b.gm, err = testpeer.StartGmail(testpeer.GmailOptions{
		Dir: peers, TestUsers: []string{oauthUser},
		Passwords: map[string]string{appUser: appPass},
	})
	b.must(err)
	url := b.gm.SMTP.StartTLSURL()
	hp := strings.TrimPrefix(url, "smtp://")
	i := strings.LastIndex(hp, ":")
	b.smtpHP = [2]string{hp[:i], hp[i+1:]}
	// SSL_CERT_DIR, when set, adds a directory of roots to read on every
	// start: a desktop does not set it, and the test CA is all both sides need.
	env := slices.DeleteFunc(os.Environ(), func(kv string) bool { return strings.HasPrefix(kv, "SSL_CERT_DIR=") })
	b.env = append(env, "MAILKEY_CONFIG_DIR="+b.path("config"), "SSL_CERT_FILE="+b.gm.CA.CertFile,
		"XDG_CONFIG_HOME="+b.path("xdg-config"), "XDG_CACHE_HOME="+b.path("xdg-cache"))
	logf("peers up: SMTP %s, OAuth %s", url, b.gm.OAuth.URL)
	return url
}

// loginAppPassword adds the app-password account through the real CLI.
func (b *bench) loginAppPassword(url string) {
	pw := b.path("pw")
	b.must(os.WriteFile(pw, []byte("abcd efgh ijkl mnop\n"), 0o600))
	_, o, err := run(job{
		args: []string{b.mailkey, "login", "--app-password", "--email", appUser, "--smtp", url},
		env:  b.env, stdin: pw, timeout: time.Minute,
	})
	b.must(err)
	logf("login --app-password: %s", strings.TrimSpace(string(o)))
}

// loginOAuth adds the OAuth account: it reads the authorization URL and lets
// the stand-in browser follow it.
func (b *bench) loginOAuth(url string) {
	var stdout safeBuffer
	lp, err := startBackground([]string{
		b.mailkey, "login", "--client-secret", b.gm.ClientFile, "--no-browser",
		"--smtp", url, "--production", "--timeout", "60s",
	}, b.env, &stdout, nil)
	b.must(err)
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(stdout.String(), "\n") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	authURL := strings.TrimSpace(strings.SplitN(stdout.String(), "\n", 2)[0])
	if !strings.HasPrefix(authURL, "http") {
		lp.stop(time.Second)
		failf(fmt.Errorf("login --no-browser printed no URL: %q", stdout.String()))
	}
	if r := testpeer.Fetch(authURL); r.Err != nil || r.Status != 200 {
		lp.stop(time.Second)
		failf(fmt.Errorf("stand-in browser: status %d, %v", r.Status, r.Err))
	}
	select {
	case <-lp.done:
	case <-time.After(60 * time.Second):
	}
	lp.stop(time.Second)
	if lp.cmd.ProcessState == nil || !lp.cmd.ProcessState.Success() {
		failf(fmt.Errorf("OAuth login failed: %s", stdout.String()))
	}
	logf("login OAuth: %s", strings.TrimSpace(strings.Join(strings.Split(stdout.String(), "\n")[1:], " ")))
}

// checkKeyring caches the access token (the reference uses the same one) and
// checks that secret-tool reads go-keyring's items (attributes service and
// username ADDR/kind).
func (b *bench) checkKeyring() {
	_, o, err := run(job{args: []string{b.mailkey, "token", oauthUser}, env: b.env, timeout: time.Minute})
	b.must(err)
	b.token = strings.TrimSpace(string(o))
	_, o, err = run(job{args: []string{"secret-tool", "lookup", "service", "mailkey", "username", appUser + "/app-password"}, env: b.env})
	b.must(err)
	if strings.TrimSpace(string(o)) != appPass {
		failf(fmt.Errorf("secret-tool lookup of %s/app-password gave %q", appUser, o))
	}
	_, o, err = run(job{args: []string{"secret-tool", "lookup", "service", "mailkey", "username", oauthUser + "/access-token"}, env: b.env})
	b.must(err)
	if !strings.Contains(string(o), b.token) {
		logf("note: the keyring's access-token item is not the bare token (%d bytes); secret-tool still reads the same item", len(o))
	}
}

// writeMSMTPRC writes msmtp's configurations: the same server, CA and
// credentials.
func (b *bench) writeMSMTPRC() {
	common := fmt.Sprintf("defaults\ntls on\ntls_starttls on\ntls_trust_file %s\nlogfile\n\naccount bench\nhost %s\nport %s\n",
		b.gm.CA.CertFile, b.smtpHP[0], b.smtpHP[1])
	b.rcApp = b.path("msmtprc-app")
	b.must(os.WriteFile(b.rcApp, []byte(common+fmt.Sprintf("auth plain\nuser %s\nfrom %s\npasswordeval \"secret-tool lookup service mailkey username %s/app-password\"\n\naccount default : bench\n",
		appUser, appUser, appUser)), 0o600))
	b.rcOAuth = b.path("msmtprc-oauth")
	b.must(os.WriteFile(b.rcOAuth, []byte(common+fmt.Sprintf("auth xoauth2\nuser %s\nfrom %s\npasswordeval \"echo %s\"\n\naccount default : bench\n",
		oauthUser, oauthUser, b.token)), 0o600))
}

// startRelay puts the app-password account behind the latency relay: its
// own config dir for mailkey, and an msmtprc for the relay's port.
func (b *bench) startRelay() {
	var err error
	pw := b.path("pw")
	b.wan, err = startLatencyRelay(b.smtpHP[0]+":"+b.smtpHP[1], *rttHalf)
	b.must(err)
	b.envRTT = append(slices.Clone(b.env), "MAILKEY_CONFIG_DIR="+b.path("config-rtt"))
	_, _, err = run(job{
		args: []string{b.mailkey, "login", "--app-password", "--email", appUser, "--smtp", "smtp://" + b.wan.addr()},
		env:  b.envRTT, stdin: pw, timeout: time.Minute,
	})
	b.must(err)
	rhost, rport, _ := strings.Cut(b.wan.addr(), ":")
	rc := strings.Replace(string(must1(os.ReadFile(b.rcApp))), "host "+b.smtpHP[0]+"\n", "host "+rhost+"\n", 1)
	b.rcRTT = b.path("msmtprc-rtt")
	b.must(os.WriteFile(b.rcRTT, []byte(strings.Replace(rc, "port "+b.smtpHP[1]+"\n", "port "+rport+"\n", 1)), 0o600))
}

// writeMessages writes 1 KB of text, the same as a message with headers for
// msmtp -t, and a 20 MB attachment of random bytes.
func (b *bench) writeMessages() {
	words := strings.Fields("the quick brown fox jumps over a lazy dog while mailkey sends one more test message through gmail")
	rng := rand.New(rand.NewPCG(1, 2))
	var body strings.Builder
	for body.Len() < 1024 {
		line := ""
		for len(line) < 64 {
			line += words[rng.IntN(len(words))] + " "
		}
		body.WriteString(strings.TrimSpace(line) + "\n")
	}
	text := body.String()[:1023] + "\n"
	b.body = b.path("body.txt")
	b.must(os.WriteFile(b.body, []byte(text), 0o600))
	for _, u := range []string{appUser, oauthUser} {
		hdr := fmt.Sprintf("From: %s\nTo: %s\nSubject: bench\nMIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n\n", u, rcpt)
		b.must(os.WriteFile(b.path("msg-"+u), []byte(hdr+text), 0o600))
	}
	b.msg = b.path("msg-" + appUser)

	// 20 MB of random bytes, and the MIME message mailkey makes of it.
	big := make([]byte, 20<<20)
	for i := range big {
		big[i] = byte(rng.Uint32())
	}
	b.big = b.path("attachment.bin")
	b.must(os.WriteFile(b.big, big, 0o600))
}

// peakRSS is the launcher mode: run args, pass its stderr through, and print
// its ru_maxrss in KB on stdout (its own stdout is dropped).
func peakRSS(args []string) {
	c := exec.Command(args[0], args[1:]...)
	c.Stderr = os.Stderr
	if err := c.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "mailkey-bench -peak-rss:", err)
		os.Exit(1)
	}
	fmt.Println(c.ProcessState.SysUsage().(*syscall.Rusage).Maxrss)
}

// sendArgs is mailkey's send command line for from, optionally with the attachment.
func (b *bench) sendArgs(from string, attach bool) []string {
	a := []string{b.mailkey, "send", "--from", from, "--to", rcpt, "--subject", "bench", "--body-file", b.body}
	if attach {
		a = append(a, "--attach", b.big)
	}
	return a
}

// row is one line of the table.
type row struct {
	name, a, b, ratio, target string
	pass                      bool
	context                   bool          // shown, not judged
	cpuA, cpuB                time.Duration // CPU medians, for process rows
}

// interleave runs warm-ups then measured pairs, A then B each time.
func interleave(name string, a, b func() (sample, error)) (as, bs []sample) {
	logf("%s: %d warm-up runs per side, then %d pairs", name, *nwarm, *npairs)
	for i := 0; i < *nwarm+*npairs; i++ {
		sa, err := a()
		if err != nil {
			failf(fmt.Errorf("%s (mailkey): %w", name, err))
		}
		sb, err := b()
		if err != nil {
			failf(fmt.Errorf("%s (reference): %w", name, err))
		}
		if i >= *nwarm {
			as, bs = append(as, sa), append(bs, sb)
			fmt.Fprintf(os.Stderr, "  pair %2d/%d  mailkey %8.1f ms  reference %8.1f ms\n", i-*nwarm+1, *npairs, ms(sa.wall), ms(sb.wall))
		}
	}
	return as, bs
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func median[T int64 | time.Duration](v []T) T {
	s := slices.Clone(v)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

func walls(s []sample) []time.Duration {
	out := make([]time.Duration, len(s))
	for i, x := range s {
		out[i] = x.wall
	}
	return out
}

func field(s []sample, f func(sample) int64) []int64 {
	out := make([]int64, len(s))
	for i, x := range s {
		out[i] = f(x)
	}
	return out
}

// timeRow makes a row from the wall-time medians of both sides.
func timeRow(name string, as, bs []sample, limit float64) row {
	ma, mb := median(walls(as)), median(walls(bs))
	r := float64(ma) / float64(mb)
	cpu := func(s []sample) time.Duration {
		v := make([]time.Duration, len(s))
		for i, x := range s {
			v[i] = x.cpu
		}
		return median(v)
	}
	return row{
		name: name, a: fmt.Sprintf("%.1f ms", ms(ma)), b: fmt.Sprintf("%.1f ms", ms(mb)),
		ratio: fmt.Sprintf("%.2f", r), target: fmt.Sprintf("≤ %.2f", limit), pass: r <= limit,
		cpuA: cpu(as), cpuB: cpu(bs),
	}
}

func mb(kb int64) string { return fmt.Sprintf("%.1f MB", float64(kb)/1024) }

func (b *bench) rowSend() []row {
	as, bs := interleave("send 1 KB, app password", func() (sample, error) {
		s, _, err := run(job{args: b.sendArgs(appUser, false), env: b.env})
		return s, err
	}, func() (sample, error) {
		s, _, err := run(job{args: []string{"msmtp", "-C", b.rcApp, "-t"}, env: b.env, stdin: b.msg})
		return s, err
	})
	return []row{timeRow("1. send 1 KB text, app password, STARTTLS (vs msmtp, password via secret-tool)", as, bs, 1.0)}
}

func (b *bench) rowOAuth() row {
	as, bs := interleave("send 1 KB, OAuth", func() (sample, error) {
		s, _, err := run(job{args: b.sendArgs(oauthUser, false), env: b.env})
		return s, err
	}, func() (sample, error) {
		s, _, err := run(job{args: []string{"msmtp", "-C", b.rcOAuth, "-t"}, env: b.env, stdin: b.path("msg-" + oauthUser)})
		return s, err
	})
	return timeRow("2. send 1 KB text, OAuth, cached token (vs msmtp --auth=xoauth2)", as, bs, 1.0)
}

func (b *bench) rowAttach() []row {
	// One send to capture the MIME message mailkey produces; msmtp gets
	// exactly that (LF line ends, as a file on disk would have them).
	n := len(b.gm.SMTP.Messages())
	_, _, err := run(job{args: b.sendArgs(appUser, true), env: b.env})
	b.must(err)
	msgs := b.gm.SMTP.Messages()
	if len(msgs) != n+1 {
		failf(errors.New("the SMTP peer did not receive the 20 MB message"))
	}
	data := bytes.ReplaceAll(msgs[n].Data, []byte("\r\n"), []byte("\n"))
	msgs = nil
	b.bigMsg = b.path("big.eml")
	b.must(os.WriteFile(b.bigMsg, data, 0o600))
	logf("20 MB attachment: mailkey's message is %.1f MB on the wire", float64(len(data))/(1<<20))

	as, bs := interleave("send with 20 MB attachment", func() (sample, error) {
		s, _, err := run(job{args: b.sendArgs(appUser, true), env: b.env})
		return s, err
	}, func() (sample, error) {
		s, _, err := run(job{args: []string{"msmtp", "-C", b.rcApp, "-t"}, env: b.env, stdin: b.bigMsg})
		return s, err
	})
	runtime.GC() // the peer keeps every message; let the bench itself shrink again
	rows := []row{timeRow("3. send with a 20 MB attachment (vs msmtp, same MIME message)", as, bs, 1.0)}

	// Peak RSS needs runs of their own: Go starts children with
	// clone(CLONE_VM|CLONE_VFORK), and at exec Linux carries the parent's
	// RSS high-water mark into the child's ru_maxrss, so a child of this
	// bench (whose peer keeps every message) reports at least the bench's
	// RSS. A small launcher (this binary with -peak-rss) starts mailkey
	// instead and reports its child's ru_maxrss.
	self, err := os.Executable()
	b.must(err)
	peak := func(attach bool) func() (sample, error) {
		return func() (sample, error) {
			_, o, err := run(job{args: append([]string{self, "-peak-rss"}, b.sendArgs(appUser, attach)...), env: b.env})
			var kb int64
			if err == nil {
				_, err = fmt.Sscan(string(o), &kb)
			}
			return sample{maxRSS: kb}, err
		}
	}
	big, small := interleave("peak RSS, 20 MB attachment vs 1 KB", peak(true), peak(false))
	bigRSS := median(field(big, func(s sample) int64 { return s.maxRSS }))
	smallRSS := median(field(small, func(s sample) int64 { return s.maxRSS }))
	d := bigRSS - smallRSS
	rows = append(rows, row{
		name: "3b. peak RSS, mailkey send: 20 MB attachment vs its own 1 KB send", a: mb(bigRSS), b: mb(smallRSS),
		ratio: fmt.Sprintf("%+.1f MB", float64(d)/1024), target: "≤ +8 MB", pass: d <= 8*1024,
	})
	return rows
}

func (b *bench) rowToken() row {
	as, bs := interleave("token, cached", func() (sample, error) {
		s, o, err := run(job{args: []string{b.mailkey, "token", oauthUser}, env: b.env})
		if err == nil && strings.TrimSpace(string(o)) != b.token {
			err = errors.New("mailkey token printed another token than the cached one (refreshed?)")
		}
		return s, err
	}, func() (sample, error) {
		s, _, err := run(job{args: []string{"secret-tool", "lookup", "service", "mailkey", "username", oauthUser + "/access-token"}, env: b.env})
		return s, err
	})
	return timeRow("4. token, cached (vs secret-tool lookup of the same item)", as, bs, 1.0)
}

func (b *bench) rowGUI() []row {
	ref, err := filepath.Abs(filepath.Join(*bin, "refwindow"))
	b.must(err)
	x, err := startX(b.env)
	b.must(err)
	defer x.close()
	logf("Xvfb on %s", x.display)
	env := append(slices.Clone(b.env), "DISPLAY="+x.display, "WAYLAND_DISPLAY=")
	as, bs := interleave("GUI cold start + idle RSS", func() (sample, error) {
		return x.guiRun([]string{b.app}, env, *idleFor)
	}, func() (sample, error) {
		return x.guiRun([]string{ref}, env, *idleFor)
	})
	ia, ib := median(field(as, func(s sample) int64 { return s.idle })), median(field(bs, func(s sample) int64 { return s.idle }))
	r := float64(ia) / float64(ib)
	return []row{
		timeRow("5. GUI cold start to window mapped, Xvfb (vs minimal Fyne window)", as, bs, 1.05),
		{
			name: fmt.Sprintf("6. GUI idle RSS %v after mapping (vs minimal Fyne window)", *idleFor), a: mb(ia), b: mb(ib),
			ratio: fmt.Sprintf("%.2f", r), target: "≤ 1.10", pass: r <= 1.10,
		},
	}
}

func (b *bench) report(rows []row) string {
	var w strings.Builder
	fmt.Fprintf(&w, "# mailkey benchmarks\n\nGenerated by `make bench` (cmd/mailkey-bench) on %s.\n\n", time.Now().UTC().Format("2006-01-02 15:04 UTC"))
	fmt.Fprintln(&w, "| row | mailkey median | reference median | ratio | target | result |")
	fmt.Fprintln(&w, "|---|---:|---:|---:|---|---|")
	for _, r := range rows {
		res := "PASS"
		if r.context {
			res = "—"
		} else if !r.pass {
			res = "**FAIL**"
		}
		fmt.Fprintf(&w, "| %s | %s | %s | %s | %s | %s |\n", r.name, r.a, r.b, r.ratio, r.target, res)
	}
	fmt.Fprintln(&w, "\nFor context, not judged: CPU time (user+sys, from wait4's rusage, including children the process")
	fmt.Fprintln(&w, "waited for, such as msmtp's secret-tool), medians of the same runs:")
	fmt.Fprintln(&w)
	fmt.Fprintln(&w, "| row | mailkey CPU | reference CPU |")
	fmt.Fprintln(&w, "|---|---:|---:|")
	for _, r := range rows {
		if r.cpuA > 0 || r.cpuB > 0 {
			fmt.Fprintf(&w, "| %s | %.1f ms | %.1f ms |\n", strings.SplitN(r.name, " ", 2)[0], ms(r.cpuA), ms(r.cpuB))
		}
	}
	fmt.Fprintf(&w, "\nMachine: %s.  \n", strings.Join(b.machine, "; "))
	fmt.Fprintf(&w, "Pairs per row: %d measured, after %d warm-up runs per side.\n\n", *npairs, *nwarm)
	fmt.Fprint(&w, `## Method

- Every row runs the real binaries as separate processes, interleaved in one invocation: mailkey, reference,
  mailkey, reference, … The ratio is median(mailkey) / median(reference); absolute medians are shown for
  context only — they depend on the machine, the ratios much less.
- Peers: internal/testpeer's stand-ins for Google in the bench process (SMTP with STARTTLS on loopback, test CA,
  OAuth provider that validates the XOAUTH2 tokens). Both sides talk to the same listener with the same CA file
  and the same credentials from the same Secret Service (GNOME Keyring on a private D-Bus, .ci/with-keyring).
- Accounts are made with the real CLI: bob@gmail.com with an app password (login --app-password), ann@gmail.com
  with OAuth (login --client-secret --no-browser, URL followed by the stand-in browser); one config dir.
- Send times are exec to exit of the whole process (wall clock). msmtp reads the app password with
  passwordeval "secret-tool lookup service mailkey username bob@gmail.com/app-password", so both sides pay a
  keyring lookup; for OAuth msmtp gets the cached token through passwordeval "echo TOKEN".
- Row 3: msmtp is fed the MIME message mailkey itself produced for the same attachment (captured once at the
  peer, LF line ends), so both put the same bytes on the wire; mailkey has to read and encode the file too.
  Peak RSS (3b) comes from separate interleaved runs (20 MB, 1 KB, …) started through a small launcher
  (this program with -peak-rss) that reports ru_maxrss of its child: a direct child of the bench would
  inherit the bench's own RSS high-water mark at exec (Go's clone(CLONE_VM) + Linux's exec accounting).
- Row 0, the floor: floor/ (built by make bench) is the least a Go program does for the same send: it reads
  the app password through go-keyring from the same keyring item, trusts only SSL_CERT_FILE, and runs net/smtp's
  STARTTLS, AUTH PLAIN, MAIL, RCPT, DATA and QUIT against the same peer, with the same 1 KB body.
- Rows 1b–1c: a relay in the bench process (latency.go) between the clients and the SMTP peer forwards every
  chunk 10 ms after reading it, in each direction (a 20 ms round trip, no bandwidth limit; chunks due within
  1 ms go at once, since sub-millisecond sleeps cost more than that per chunk on a busy machine). mailkey has its
  own config dir whose account points at the relay; msmtp gets the same msmtprc with the relay's port. 100
  recipients: mailkey's --to list and msmtp -t with the same addresses in To:.
- The children's environment drops SSL_CERT_DIR (set on some CI machines, not on a desktop): when set,
  mailkey honours it and reads that directory of roots on every start, as Go does.
- Row 7: the sizes of bin/mailkey and bin/mailkey-app as built by make build (not stripped), for context.
- Rows 5–6: a private Xvfb (-displayfd, -nolisten tcp, no window manager); an X11 client (jezek/xgb) selects
  SubstructureNotify on the root window and timestamps the first MapNotify of a top-level window; the time is
  exec to that event. VmRSS is read from /proc/PID/status 5 s after the map event, then the app gets SIGTERM.
  mailkey-app (the desktop app itself, not through mailkey) starts with the bench's config dir (two accounts), so
  it opens on its account screen.
- Not measured: time to first paint (mapping precedes rendering), anything against the real Gmail.
`)
	if f := strings.TrimSpace(findings); f != "" {
		fmt.Fprintf(&w, "\n%s\n", f)
	}
	return w.String()
}

func machine() []string {
	m := []string{fmt.Sprintf("nproc %d", runtime.NumCPU())}
	if k, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m = append(m, "Linux "+strings.TrimSpace(string(k)))
	}
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if v, ok := strings.CutPrefix(sc.Text(), "model name"); ok {
				m = append(m, strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":")))
				break
			}
		}
		f.Close()
	}
	m = append(m, runtime.Version())
	if o, err := exec.Command("msmtp", "--version").Output(); err == nil {
		lines := strings.Split(string(o), "\n")
		v := lines[0]
		for _, l := range lines {
			if t, ok := strings.CutPrefix(l, "TLS/SSL library: "); ok {
				v += " (" + t + ")"
			}
		}
		m = append(m, v)
	}
	return m
}

// safeBuffer is a bytes.Buffer safe for a writer goroutine and a reader.
type safeBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *safeBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *safeBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var _ io.Writer = (*safeBuffer)(nil)

func must1[T any](v T, err error) T {
	if err != nil {
		failf(err)
	}
	return v
}
