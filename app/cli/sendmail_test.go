package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/cli"
	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/mailkey-app/mailkey/app/mail"
	"github.com/mailkey-app/mailkey/app/queue"
	"github.com/mailkey-app/mailkey/app/secret"
	"github.com/mailkey-app/mailkey/internal/testpeer"
)

// runAsMailkey makes the test binary the mailkey command line, for the
// tests that run real programs (git send-email, s-nail, curl, Python) which
// call mailkey as a program: MAILKEY_CLI_MAIN=1 in its environment, the
// keyring service in MAILKEY_TEST_SERVICE, the test CA in SSL_CERT_FILE.
func runAsMailkey() int {
	eng := engine.New(os.Getenv("MAILKEY_CONFIG_DIR"), engine.WithSecrets(secret.New(os.Getenv("MAILKEY_TEST_SERVICE"))))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return cli.Run(ctx, cli.Args(os.Args), cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Engine: eng})
}

// useState gives the test a state directory of its own (the queue's home).
func (r *rig) useState() string {
	dir := filepath.Join(r.t.TempDir(), "state")
	r.t.Setenv("XDG_STATE_HOME", dir)
	return filepath.Join(dir, "mailkey", "queue")
}

// loginAnn adds ann with her app password on the SMTP peer at url.
func (r *rig) loginAnn(url string) {
	r.t.Helper()
	r.wantCode(r.run(annShown+"\n", "login", "--app-password", "--email", ann, "--smtp", url), cli.ExitOK)
}

// bin returns a directory holding "mailkey" and "sendmail", links to the test
// binary, and the environment that makes it run as mailkey on this rig.
func (r *rig) bin() (string, []string) {
	r.t.Helper()
	self, err := os.Executable()
	if err != nil {
		r.t.Fatal(err)
	}
	dir := r.t.TempDir()
	for _, name := range []string{"mailkey", "sendmail"} {
		if err := os.Symlink(self, filepath.Join(dir, name)); err != nil {
			r.t.Fatal(err)
		}
	}
	env := append(os.Environ(), "MAILKEY_CLI_MAIN=1", "MAILKEY_CONFIG_DIR="+r.dir, "MAILKEY_TEST_SERVICE="+r.service,
		"SSL_CERT_FILE="+r.ca.CertFile, "PATH="+dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	return dir, env
}

// program runs a real program with env and returns its combined output.
func (r *rig) program(env []string, dir, stdin string, name string, args ...string) (string, error) {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env, cmd.Dir, cmd.Stdin = env, dir, strings.NewReader(stdin)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	r.t.Logf("%s %s → %v\n%s", name, strings.Join(args, " "), err, out.String())
	return out.String(), err
}

func need(t *testing.T, program string) string {
	t.Helper()
	p, err := exec.LookPath(program)
	if err != nil {
		t.Skipf("%s is not installed (make deps-test installs it)", program)
	}
	return p
}

const cronMail = "From: Ann <ann@gmail.com>\nTo: bob@example.com\nCc: carol@example.com\nBcc: eve@example.com\n" +
	"Subject: nightly backup\nX-Cron-Env: <SHELL=/bin/sh>\n\nAll done.\n.\nNot the end: -i keeps this.\n"

func TestSendmailSendsTheMessageAsItIs(t *testing.T) {
	r := newRig(t)
	r.useState()
	r.loginAnn(r.smtp.StartTLSURL())

	res := r.run(cronMail, "sendmail", "-t", "-oi")
	r.wantCode(res, cli.ExitOK)
	if res.stdout != "" || res.stderr != "" {
		t.Errorf("sendmail printed %+v; it should be quiet on success", res)
	}
	msgs := r.smtp.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages", len(msgs))
	}
	m := msgs[0]
	data := string(m.Data)
	if m.From != ann || strings.Join(m.To, " ") != "bob@example.com carol@example.com eve@example.com" {
		t.Errorf("envelope %s → %v", m.From, m.To)
	}
	for _, want := range []string{
		"From: Ann <ann@gmail.com>\r\n", "Subject: nightly backup\r\n", "X-Cron-Env: <SHELL=/bin/sh>\r\n",
		"Date: ", "Message-ID: <", "\r\nAll done.\r\n.\r\nNot the end: -i keeps this.\r\n",
	} {
		if !strings.Contains(data, want) {
			t.Errorf("sent message lacks %q:\n%s", want, data)
		}
	}
	if strings.Contains(data, "eve@example.com") || strings.Contains(data, "Bcc") {
		t.Errorf("the Bcc field went out:\n%s", data)
	}

	// Without -t only the arguments receive it; without -i a lone dot ends it.
	res = r.run(cronMail, "sendmail", "--", "dan@example.com, Fay <fay@example.com>")
	r.wantCode(res, cli.ExitOK)
	m = r.smtp.Messages()[1]
	if strings.Join(m.To, " ") != "dan@example.com fay@example.com" || strings.Contains(string(m.Data), "Not the end") {
		t.Errorf("second message: %v\n%s", m.To, m.Data)
	}
}

func TestSendmailChoosesTheAccount(t *testing.T) {
	r := newRig(t)
	r.useState()
	r.loginAnn(r.smtp.StartTLSURL())
	// A message from another address goes out as the only account.
	res := r.run("From: someone@else.org\nSubject: x\n\nhi\n", "sendmail", "bob@example.com")
	r.wantCode(res, cli.ExitOK)
	if m := r.smtp.Messages(); len(m) != 1 || m[0].From != ann || m[0].User != ann {
		t.Fatalf("sent as %+v", m)
	}
	// No From at all: mailkey writes one from the account and -F.
	res = r.run("Subject: x\n\nhi\n", "sendmail", "-F", "Cron Daemon", "bob@example.com")
	r.wantCode(res, cli.ExitOK)
	if data := string(r.smtp.Messages()[1].Data); !strings.Contains(data, "From: \"Cron Daemon\" <"+ann+">\r\n") {
		t.Fatalf("no From written:\n%s", data)
	}

	// With two accounts, the message must say which.
	if err := r.accounts.Put(account.Account{Address: "zoe@gmail.com", Method: account.AppPassword, SMTP: r.smtp.StartTLSURL()}); err != nil {
		t.Fatal(err)
	}
	res = r.run("From: someone@else.org\nSubject: x\n\nhi\n", "sendmail", "bob@example.com")
	r.wantCode(res, cli.ExitSysNoUser)
	if !strings.Contains(res.stderr, ann) || !strings.Contains(res.stderr, "zoe@gmail.com") || !strings.Contains(res.stderr, "-f") {
		t.Fatalf("the error does not name the accounts: %s", res.stderr)
	}
	res = r.run("Subject: x\n\nhi\n", "sendmail", "-f", "nobody@gmail.com", "bob@example.com")
	r.wantCode(res, cli.ExitSysNoUser)
	res = r.run("From: Ann <ANN@gmail.com>\nSubject: x\n\nhi\n", "sendmail", "bob@example.com")
	r.wantCode(res, cli.ExitOK)
	res = r.run("Subject: x\n\nhi\n", "sendmail", "-f"+ann, "bob@example.com")
	r.wantCode(res, cli.ExitOK)
	if n := len(r.smtp.Messages()); n != 4 {
		t.Fatalf("%d messages, want 4", n)
	}
}

func TestSendmailExitCodes(t *testing.T) {
	r := newRig(t)
	queueDir := r.useState()
	r.loginAnn(r.smtp.StartTLSURL())
	tests := []struct {
		name, stdin string
		args        []string
		code        int
		says        string
	}{
		{"unknown option", "To: a@b.org\n\nx", []string{"-X"}, cli.ExitSysUsage, "Unknown option -X"},
		{"-f without a value", "To: a@b.org\n\nx", []string{"-f"}, cli.ExitSysUsage, "-f needs a value"},
		{"no recipients", "To: a@b.org\n\nx", nil, cli.ExitSysUsage, "No recipients"},
		{"not a message", "hello\n", []string{"a@b.org"}, cli.ExitSysDataErr, "not an email message"},
		{"bad recipient", "Subject: x\n\nx", []string{"not an address"}, cli.ExitSysDataErr, "not a valid email address"},
		{"bad To with -t", "To: <<>>\n\nx", []string{"-t"}, cli.ExitSysDataErr, "To field"},
		{"too big", "Subject: x\n\n" + strings.Repeat("x", 35_882_577), []string{"a@b.org"}, cli.ExitSysDataErr, "35882577"},
		{"unknown account", "Subject: x\n\nx", []string{"-f", "who@gmail.com", "a@b.org"}, cli.ExitSysNoUser, "no account who@gmail.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := r.run(tt.stdin, append([]string{"sendmail"}, tt.args...)...)
			r.wantCode(res, tt.code)
			if !strings.Contains(res.stderr, tt.says) {
				t.Errorf("stderr lacks %q: %s", tt.says, res.stderr)
			}
		})
	}
	if len(r.smtp.Messages()) != 0 {
		t.Fatal("a message went out")
	}

	// Gmail refuses for good: 69, and nothing is queued.
	r.smtp.SetReplyFault(func(stage string) error {
		if stage == "rcpt" {
			// Gmail's reply over the recipient limit (GOOGLE.md).
			return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 5, 3}, Message: "Too many recipients for this sender"}
		}
		return nil
	})
	res := r.run("Subject: x\n\nx", "sendmail", "nobody@example.com")
	r.wantCode(res, cli.ExitSysUnavailable)
	if _, err := os.Stat(queueDir); !os.IsNotExist(err) {
		t.Errorf("a refused message was queued: %v", err)
	}
	r.smtp.SetReplyFault(nil)

	// The server is down and the queue cannot be written: 75.
	r.smtp.Close()
	if err := os.MkdirAll(filepath.Dir(filepath.Dir(queueDir)), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Dir(queueDir), []byte("not a directory"), 0o600); err != nil {
		t.Fatal(err)
	}
	res = r.run("Subject: x\n\nx", "sendmail", "bob@example.com")
	r.wantCode(res, cli.ExitSysTempFail)
	if !strings.Contains(res.stderr, "not queued either") {
		t.Errorf("stderr: %s", res.stderr)
	}

	// A damaged accounts file is a configuration problem: 78.
	if err := os.WriteFile(filepath.Join(r.dir, account.FileName), []byte("{oops"), 0o600); err != nil {
		t.Fatal(err)
	}
	r.wantCode(r.run("Subject: x\n\nx", "sendmail", "bob@example.com"), cli.ExitSysConfig)
}

// The server is down: the message is queued (exit 0, stderr says so), listed,
// and sent by 'queue flush' once the server is back, with its Message-ID.
func TestSendmailQueuesWhenTheServerIsDown(t *testing.T) {
	r := newRig(t)
	r.useState()
	addr := strings.TrimPrefix(r.smtp.StartTLSURL(), "smtp://")
	r.loginAnn(r.smtp.StartTLSURL())
	r.smtp.Close()

	res := r.run(cronMail, "sendmail", "-t", "-i")
	r.wantCode(res, cli.ExitOK)
	if !strings.Contains(res.stderr, "queued as") || !strings.Contains(res.stderr, "annot connect to 127.0.0.1") {
		t.Fatalf("stderr does not say it was queued and why: %s", res.stderr)
	}
	res = r.run("", "queue", "--json")
	r.wantCode(res, cli.ExitOK)
	var list []struct {
		ID, Account, State, LastError string
		Recipients                    []string
		Size                          int64
		Attempts                      int
	}
	if err := json.Unmarshal([]byte(res.stdout), &list); err != nil || len(list) != 1 {
		t.Fatalf("queue --json: %v %s", err, res.stdout)
	}
	q := list[0]
	if q.Account != ann || q.State != "queued" || len(q.Recipients) != 3 || q.Size == 0 || q.LastError != "" {
		t.Fatalf("queued %+v", q)
	}
	res = r.run("", "queue")
	if !strings.Contains(res.stdout, q.ID) || !strings.Contains(res.stdout, "bob@example.com,carol@example.com,eve@example.com") {
		t.Fatalf("queue: %s", res.stdout)
	}

	// Still down: flush keeps it and says why.
	res = r.run("", "queue", "flush")
	r.wantCode(res, cli.ExitOK)
	if !strings.Contains(res.stdout, "sent 0, queued 1") {
		t.Fatalf("flush: %+v", res)
	}
	if res = r.run("", "queue"); !strings.Contains(res.stdout, "Cannot connect") {
		t.Fatalf("no last error: %s", res.stdout)
	}
	// The queue's file keeps the failure's facts, not its words; 'queue
	// --json' says it again as the send did.
	var said []struct {
		LastError string `json:"last_error"`
		LastNext  string `json:"last_error_next"`
	}
	res = r.run("", "queue", "--json")
	if err := json.Unmarshal([]byte(res.stdout), &said); err != nil || len(said) != 1 ||
		said[0].LastError != "cannot connect to "+addr || !strings.Contains(said[0].LastNext, "some networks block port") {
		t.Fatalf("queue --json: %v %s", err, res.stdout)
	}
	data, err := os.ReadFile(filepath.Join(r.queue().Dir(), q.ID+".json"))
	if err != nil || !strings.Contains(string(data), `"kind": "cannot_connect"`) || strings.Contains(string(data), "annot connect") {
		t.Fatalf("queue file: %v\n%s", err, data)
	}

	// Back up: flush sends it, and the queue is empty.
	sp := r.restartSMTP(addr)
	res = r.run("", "queue", "flush")
	if !strings.Contains(res.stdout, "sent 1, queued 0") {
		t.Fatalf("flush: %+v", res)
	}
	msgs := sp.Messages()
	if len(msgs) != 1 || len(msgs[0].To) != 3 || !strings.Contains(string(msgs[0].Data), "Subject: nightly backup") {
		t.Fatalf("after flush: %+v", msgs)
	}
	if res = r.run("", "queue"); res.stdout != "" || !strings.Contains(res.stderr, "empty") {
		t.Fatalf("queue after flush: %+v", res)
	}
	r.wantCode(r.run("", "queue", "drop", q.ID), cli.ExitFailure)
}

// queue returns the queue the CLI uses on this rig.
func (r *rig) queue() *queue.Queue {
	dir, err := queue.DefaultDir()
	if err != nil {
		r.t.Fatal(err)
	}
	return queue.Open(dir, mail.MaxRawBytes)
}

// A later sendmail that gets through also sends what an earlier one queued.
func TestSendmailSendsTheQueueOnceThrough(t *testing.T) {
	r := newRig(t)
	r.useState()
	addr := strings.TrimPrefix(r.smtp.StartTLSURL(), "smtp://")
	r.loginAnn(r.smtp.StartTLSURL())
	r.smtp.Close()
	r.wantCode(r.run("Subject: first\n\nx\n", "sendmail", "bob@example.com"), cli.ExitOK)
	sp := r.restartSMTP(addr)
	res := r.run("Subject: second\n\nx\n", "sendmail", "bob@example.com")
	r.wantCode(res, cli.ExitOK)
	if !strings.Contains(res.stderr, "also sent 1 queued message") {
		t.Fatalf("stderr: %s", res.stderr)
	}
	msgs := sp.Messages()
	if len(msgs) != 2 || !strings.Contains(string(msgs[0].Data), "Subject: second") || !strings.Contains(string(msgs[1].Data), "Subject: first") {
		t.Fatalf("messages: %d", len(msgs))
	}
	if res = r.run("", "queue"); !strings.Contains(res.stderr, "empty") {
		t.Fatalf("queue: %+v", res)
	}
}

// restartSMTP starts a new SMTP peer on addr, where the old one listened.
func (r *rig) restartSMTP(addr string) *testpeer.SMTP {
	r.t.Helper()
	var sp *testpeer.SMTP
	var err error
	for range 50 { // the old listener's port may take a moment to free
		sp, err = testpeer.StartSMTP(testpeer.SMTPOptions{
			TLS: r.ca.ServerTLS, Passwords: map[string]string{ann: annPass},
			Tokens: r.oauth, Addr: addr,
		})
		if err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		r.t.Fatal(err)
	}
	r.t.Cleanup(func() { _ = sp.Close() })
	return sp
}

// An OAuth account that needs a new sign-in holds its messages, and the
// sign-in sends them.
func TestSendmailHoldsUntilSignIn(t *testing.T) {
	r := newRig(t)
	r.useState()
	res, _ := r.signIn(nil, "--production")
	r.wantCode(res, cli.ExitOK)
	r.oauth.RevokeUser(ann)
	r.advance(2 * time.Hour)

	res = r.run("Subject: held\n\nhi\n", "sendmail", "bob@example.com")
	r.wantCode(res, cli.ExitOK)
	if !strings.Contains(res.stderr, "queued as") || !strings.Contains(res.stderr, "Sign in again") {
		t.Fatalf("stderr: %s", res.stderr)
	}
	res = r.run("", "queue", "--json")
	if !strings.Contains(res.stdout, `"state": "held"`) {
		t.Fatalf("not held: %s", res.stdout)
	}
	// Google's refusal is kept as Google's data and said again as at the send.
	if want := `"last_error": "Google no longer accepts this account's sign-in (invalid_grant: Token has been expired or revoked.)"`; !strings.Contains(res.stdout, want) {
		t.Fatalf("queue --json lacks %s: %s", want, res.stdout)
	}
	// The delivery pass leaves it while the account still needs a sign-in.
	q := r.queue()
	if sum, err := q.Deliver(context.Background(), r.eng, false); err != nil || sum.Held != 1 || sum.Sent != 0 {
		t.Fatalf("pass before the sign-in: %+v %v", sum, err)
	}
	// 'mailkey login' sends it itself, without a relay running.
	res, _ = r.signIn(nil, "--production")
	r.wantCode(res, cli.ExitOK)
	if !strings.Contains(res.stderr, "Also sent 1 queued message") {
		t.Fatalf("the sign-in did not send the held message: %s", res.stderr)
	}
	if items, _, _ := q.List(); len(items) != 0 {
		t.Fatalf("still queued: %+v", items)
	}
	if m := r.smtp.Messages(); len(m) != 1 || m[0].Mech != "XOAUTH2" || !strings.Contains(string(m[0].Data), "Subject: held") {
		t.Fatalf("messages %+v", m)
	}
}

// An app-password account whose password the keyring lost holds its
// message, and says what to do in the words it used before typed actions
// (commit 4c2f160): the message goes out by itself after that.
func TestSendmailHoldsUntilAppPassword(t *testing.T) {
	r := newRig(t)
	r.useState()
	r.loginAnn(r.smtp.StartTLSURL())
	if err := r.keyring.Delete(context.Background(), ann, secret.AppPassword); err != nil {
		t.Fatal(err)
	}
	res := r.run("Subject: held\n\nhi\n", "sendmail", "bob@example.com")
	r.wantCode(res, cli.ExitOK)
	want := "Enter it again: Replace app password in the app, or 'mailkey login --app-password --email " + ann + "'. It is sent after that.\n"
	if !strings.Contains(res.stderr, "queued as") || !strings.Contains(res.stderr, want) {
		t.Fatalf("stderr: %s\nwant the line %q", res.stderr, want)
	}
	// 'queue --json' says what to do next in the command line's words too,
	// as the send did.
	var said []struct {
		LastNext string `json:"last_error_next"`
	}
	res = r.run("", "queue", "--json")
	wantNext := "Enter it again: Replace app password in the app, or 'mailkey login --app-password --email " + ann + "'"
	if err := json.Unmarshal([]byte(res.stdout), &said); err != nil || len(said) != 1 || said[0].LastNext != wantNext {
		t.Fatalf("queue --json: %v %s\nwant last_error_next %q", err, res.stdout, wantNext)
	}
}

// git send-email hands a patch to 'mailkey sendmail'.
func TestGitSendEmail(t *testing.T) {
	git := need(t, "git")
	if out, err := exec.Command(git, "send-email", "-h").CombinedOutput(); strings.Contains(string(out), "not a git command") {
		t.Skipf("git send-email is not installed (package git-email): %v", err)
	}
	r := newRig(t)
	r.useState()
	r.loginAnn(r.smtp.StartTLSURL())
	_, env := r.bin()
	repo := t.TempDir()
	env = append(env, "HOME="+repo, "GIT_CONFIG_NOSYSTEM=1", "GIT_AUTHOR_NAME=Ann", "GIT_AUTHOR_EMAIL="+ann,
		"GIT_COMMITTER_NAME=Ann", "GIT_COMMITTER_EMAIL="+ann)
	if err := os.WriteFile(filepath.Join(repo, "frob.c"), []byte("int frob(void) { return 42; }\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"init", "-q"},
		{"add", "frob.c"},
		{"commit", "-q", "-m", "Fix the frobnicator"},
		{"format-patch", "-q", "-1", "-o", "out"},
	} {
		if _, err := r.program(env, repo, "", git, args...); err != nil {
			t.Fatal(err)
		}
	}
	patches, _ := filepath.Glob(filepath.Join(repo, "out", "*.patch"))
	if len(patches) != 1 {
		t.Fatalf("patches: %v", patches)
	}
	if _, err := r.program(env, repo, "", git, "send-email", "--sendmail-cmd=mailkey sendmail", "--to=bob@example.com",
		"--cc=carol@example.com", "--from=Ann <"+ann+">", "--confirm=never", "--suppress-cc=all", patches[0]); err != nil {
		t.Fatal(err)
	}
	msgs := r.smtp.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages", len(msgs))
	}
	data := string(msgs[0].Data)
	if !strings.Contains(data, "Subject: [PATCH] Fix the frobnicator") || strings.Join(msgs[0].To, " ") != "bob@example.com carol@example.com" {
		t.Fatalf("sent %v:\n%s", msgs[0].To, data)
	}
}

// s-nail (mailx) sends through the sendmail link, as cron's mail does.
func TestMailxThroughSendmailLink(t *testing.T) {
	mailx := need(t, "s-nail")
	r := newRig(t)
	r.useState()
	r.loginAnn(r.smtp.StartTLSURL())
	bin, env := r.bin()
	env = append(env, "HOME="+t.TempDir(), "MAILRC=/dev/null")
	if _, err := r.program(env, "", "Line one\n.\nLine three\n", mailx, "-:/", "-S", "mta="+filepath.Join(bin, "sendmail"),
		"-S", "sendwait", "-r", ann, "-s", "from mailx", "bob@example.com"); err != nil {
		t.Fatal(err)
	}
	msgs := r.smtp.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages", len(msgs))
	}
	data := string(msgs[0].Data)
	if !strings.Contains(data, "Subject: from mailx") || !strings.Contains(data, "Line one\r\n.\r\nLine three") ||
		strings.Join(msgs[0].To, " ") != "bob@example.com" {
		t.Fatalf("sent %v:\n%s", msgs[0].To, data)
	}
}

// The queue sent after a sendmail got through is bounded in time: a slow
// server does not keep the caller (git send-email, cron) waiting; what is
// left stays queued for the next run.
func TestSendmailBoundsTheQueuedSends(t *testing.T) {
	r := newRig(t)
	r.useState()
	t.Setenv(cli.SendmailFlushEnv, "500ms")
	addr := strings.TrimPrefix(r.smtp.StartTLSURL(), "smtp://")
	r.loginAnn(r.smtp.StartTLSURL())
	r.smtp.Close()
	r.wantCode(r.run("Subject: first\n\nx\n", "sendmail", "bob@example.com"), cli.ExitOK)
	sp := r.restartSMTP(addr)
	var mails atomic.Int32
	sp.SetReplyFault(func(stage string) error {
		if stage == "mail" && mails.Add(1) == 2 { // the queued message: the server stalls
			time.Sleep(4 * time.Second)
		}
		return nil
	})
	start := time.Now()
	r.wantCode(r.run("Subject: second\n\nx\n", "sendmail", "bob@example.com"), cli.ExitOK)
	if took := time.Since(start); took > 3*time.Second {
		t.Fatalf("sendmail took %v: the queued sends are not bounded", took)
	}
	if items, _, err := r.queue().List(); err != nil || len(items) != 1 || items[0].State != queue.StateQueued {
		t.Fatalf("the queued message: %+v %v", items, err)
	}
}
