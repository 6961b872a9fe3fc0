package cli_test

import (
	"bytes"
	"encoding/json"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/mailkey-app/mailkey/app/cli"
	"github.com/mailkey-app/mailkey/internal/testpeer"
)

// smtplibClient is a Python smtplib client: it sends one message and prints
// "ok", or the SMTP code of the refusal and exits 3.
const smtplibClient = `
import smtplib, ssl, sys, json
from email.message import EmailMessage
a = json.loads(sys.argv[1])
m = EmailMessage()
m["From"] = a.get("header_from", a["from"])
m["To"] = ", ".join(a["to"])
m["Subject"] = a.get("subject", "from python")
m.set_content("hello from smtplib\n.\nsecond paragraph\n")
try:
    with smtplib.SMTP("127.0.0.1", a["port"], timeout=30) as s:
        s.ehlo()
        if a.get("cafile"):
            s.starttls(context=ssl.create_default_context(cafile=a["cafile"]))
        if a.get("mech"):
            s.user, s.password = a["user"], a["password"]
            s.auth(a["mech"], getattr(s, "auth_" + a["mech"].lower()), initial_response_ok=False)
        elif a.get("user"):
            s.login(a["user"], a["password"])
        refused = s.sendmail(a["from"], a["to"], m.as_bytes(), mail_options=a.get("mail_options", []))
        print("ok", json.dumps({k: v[0] for k, v in refused.items()}))
except smtplib.SMTPResponseException as e:
    print(e.smtp_code, e.smtp_error.decode())
    sys.exit(3)
except smtplib.SMTPNotSupportedError as e:
    print("no AUTH:", e)
    sys.exit(4)
except smtplib.SMTPRecipientsRefused as e:
    print("refused", json.dumps({k: v[0] for k, v in e.recipients.items()}))
    sys.exit(3)
`

// relayRig is a rig with a relay run as a separate mailkey process.
type relayRig struct {
	*rig
	env    []string
	bin    string
	listen string
	cmd    *exec.Cmd
	log    *syncBuffer
	// prefix, when set, runs the relay under another command (unshare).
	prefix []string
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func newRelayRig(t *testing.T) *relayRig {
	r := newRig(t)
	r.useState()
	bin, env := r.bin()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	listen := l.Addr().String()
	_ = l.Close()
	return &relayRig{rig: r, env: env, bin: bin, listen: listen, log: &syncBuffer{}}
}

// start runs 'mailkey relay' and waits until it answers.
func (rr *relayRig) start() {
	rr.t.Helper()
	status := filepath.Join(os.Getenv("XDG_STATE_HOME"), "mailkey", "relay", "relay.json")
	_ = os.Remove(status) // left by a relay killed with -9
	args := append(append([]string{}, rr.prefix...), filepath.Join(rr.bin, "mailkey"), "relay", "--listen", rr.listen)
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Env, cmd.Stdout, cmd.Stderr = rr.env, rr.log, rr.log
	if err := cmd.Start(); err != nil {
		rr.t.Fatal(err)
	}
	rr.cmd = cmd
	rr.t.Cleanup(func() { rr.stop(syscall.SIGTERM) })
	for range 100 {
		if _, err := os.Stat(status); err == nil {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	rr.t.Fatalf("the relay does not answer:\n%s", rr.log.String())
}

// stop ends the relay process this test started, with sig.
func (rr *relayRig) stop(sig syscall.Signal) {
	if rr.cmd == nil {
		return
	}
	_ = rr.cmd.Process.Signal(sig)
	_ = rr.cmd.Wait()
	rr.cmd = nil
}

// python runs the smtplib client with args and returns its output and exit code.
func (rr *relayRig) python(args map[string]any) (string, int) {
	rr.t.Helper()
	py := need(rr.t, "python3")
	args["port"] = port(rr.listen)
	b, _ := json.Marshal(args)
	out, err := rr.program(rr.env, "", "", py, "-c", smtplibClient, string(b))
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		rr.t.Fatal(err)
	}
	return strings.TrimSpace(out), code
}

// waitMessages waits until sp holds n messages.
func waitMessages(t *testing.T, sp *testpeer.SMTP, n int, log func() string) []testpeer.Received {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if m := sp.Messages(); len(m) >= n {
			return m
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%d messages arrived, want %d; relay log:\n%s", len(sp.Messages()), n, log())
	return nil
}

func TestRelayWithSmtplibAndCurl(t *testing.T) {
	rr := newRelayRig(t)
	rr.loginAnn(rr.smtp.StartTLSURL())
	res := rr.run("", "relay", "add-password", ann, "scanner")
	rr.wantCode(res, cli.ExitOK)
	pw := strings.TrimSpace(res.stdout)
	if len(pw) != 24 || !strings.Contains(res.stderr, "shown only once") {
		t.Fatalf("add-password: %+v", res)
	}
	rr.remember(pw)
	rr.wantCode(rr.run("", "relay", "add-password", ann, "scanner"), cli.ExitFailure) // label taken
	rr.wantCode(rr.run("", "relay", "add-password", "nobody@gmail.com", "x"), cli.ExitNoAccount)
	rr.wantCode(rr.run("", "relay", "add-password", ann, "../etc"), cli.ExitFailure)
	rr.start()
	if res := rr.run("", "relay", "status"); res.code != cli.ExitOK || !strings.Contains(res.stdout, "running: yes") ||
		!strings.Contains(res.stdout, rr.listen) {
		t.Fatalf("status: %+v", res)
	}

	// AUTH PLAIN (smtplib's choice) and AUTH LOGIN.
	out, code := rr.python(map[string]any{"user": ann, "password": pw, "from": ann, "to": []string{"bob@example.com"}})
	if code != 0 || !strings.HasPrefix(out, "ok") {
		t.Fatalf("smtplib: %s (%d)", out, code)
	}
	out, code = rr.python(map[string]any{
		"user": ann, "password": pw, "mech": "LOGIN", "from": ann, "to": []string{"carol@example.com"},
		"subject": "by LOGIN",
	})
	if code != 0 {
		t.Fatalf("smtplib AUTH LOGIN: %s", out)
	}
	msgs := waitMessages(t, rr.smtp, 2, rr.log.String)
	for _, m := range msgs {
		if m.From != ann || m.User != ann || !strings.Contains(string(m.Data), "hello from smtplib\r\n.\r\nsecond paragraph") {
			t.Errorf("delivered %+v\n%s", m, m.Data)
		}
	}

	// curl, over STARTTLS with the relay's own certificate.
	curl := need(t, "curl")
	msg := filepath.Join(t.TempDir(), "msg.txt")
	_ = os.WriteFile(msg, []byte("From: "+ann+"\r\nTo: dan@example.com\r\nSubject: from curl\r\n\r\nhello from curl\r\n"), 0o600)
	cert := filepath.Join(os.Getenv("XDG_STATE_HOME"), "mailkey", "relay", "relay-cert.pem")
	if _, err := rr.program(rr.env, "", "", curl, "--silent", "--show-error", "--max-time", "30", "--url", "smtp://localhost:"+port(rr.listen),
		"--ssl-reqd", "--cacert", cert, "--mail-from", ann, "--mail-rcpt", "dan@example.com", "--user", ann+":"+pw,
		"--upload-file", msg); err != nil {
		t.Fatal(err)
	}
	msgs = waitMessages(t, rr.smtp, 3, rr.log.String)
	if !strings.Contains(string(msgs[2].Data), "Subject: from curl") || !strings.Contains(string(msgs[2].Data), "Message-ID: <") {
		t.Fatalf("curl's message:\n%s", msgs[2].Data)
	}

	// Refusals: a wrong password, no AUTH, another sender, another From,
	// too many recipients, too big.
	refusals := []struct {
		name string
		args map[string]any
		want string
	}{
		{"wrong password", map[string]any{"user": ann, "password": "aaaa-bbbb-cccc-dddd-eeee", "from": ann, "to": []string{"b@x.org"}}, "535"},
		{"another account's login", map[string]any{"user": mallory, "password": pw, "from": mallory, "to": []string{"b@x.org"}}, "535"},
		{"no AUTH", map[string]any{"from": ann, "to": []string{"b@x.org"}}, "530"},
		{"another envelope sender", map[string]any{"user": ann, "password": pw, "from": mallory, "to": []string{"b@x.org"}}, "553"},
		{"another From", map[string]any{"user": ann, "password": pw, "from": ann, "header_from": mallory, "to": []string{"b@x.org"}}, "553"},
		{"a second From", map[string]any{"user": ann, "password": pw, "from": ann, "header_from": ann + ", " + mallory, "to": []string{"b@x.org"}}, "553"},
		{"too big", map[string]any{"user": ann, "password": pw, "from": ann, "to": []string{"b@x.org"}, "mail_options": []string{"SIZE=40000000"}}, "552"},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			out, code := rr.python(tt.args)
			if code != 3 || !strings.HasPrefix(out, tt.want) {
				t.Fatalf("got %q (exit %d), want %s", out, code, tt.want)
			}
		})
	}
	many := make([]string, 101)
	for i := range many {
		many[i] = "r" + string(rune('a'+i%26)) + strings.Repeat("x", i/26) + "@example.com"
	}
	out, code = rr.python(map[string]any{"user": ann, "password": pw, "from": ann, "to": many})
	if code != 0 || !strings.Contains(out, `"`+many[100]+`": 452`) || strings.Contains(out, many[99]) {
		t.Fatalf("101 recipients: %s", out)
	}
	if m := waitMessages(t, rr.smtp, 4, rr.log.String); len(m[3].To) != 100 {
		t.Fatalf("%d recipients delivered", len(m[3].To))
	}

	// The list shows when the password was used; a revoked one logs in no more.
	res = rr.run("", "relay", "passwords")
	if !strings.Contains(res.stdout, "scanner") || strings.Contains(res.stdout, "never") {
		t.Fatalf("passwords: %s", res.stdout)
	}
	rr.wantCode(rr.run("", "relay", "remove-password", ann, "scanner"), cli.ExitOK)
	out, _ = rr.python(map[string]any{"user": ann, "password": pw, "from": ann, "to": []string{"b@x.org"}})
	if !strings.HasPrefix(out, "535") {
		t.Fatalf("revoked password: %s", out)
	}
	if strings.Contains(rr.log.String(), pw) {
		t.Fatal("the relay logged the password")
	}
	rr.noSecretsOnDisk()
	if data, _ := os.ReadFile(filepath.Join(rr.dir, "relay-passwords.json")); bytes.Contains(data, []byte(pw)) {
		t.Fatal("the relay password is in a file")
	}
	rr.stop(syscall.SIGTERM)
	if res := rr.run("", "relay", "status"); res.code != cli.ExitFailure || !strings.Contains(res.stdout, "running: no") {
		t.Fatalf("status after stop: %+v", res)
	}
}

func port(addr string) string {
	_, p, _ := net.SplitHostPort(addr)
	return p
}

// A message acknowledged while Gmail is unreachable survives a kill -9 of
// the relay and is delivered after the restart, once SMTP is back.
func TestRelaySurvivesKill9(t *testing.T) {
	rr := newRelayRig(t)
	addr := strings.TrimPrefix(rr.smtp.StartTLSURL(), "smtp://")
	rr.loginAnn(rr.smtp.StartTLSURL())
	res := rr.run("", "relay", "add-password", ann, "nas")
	rr.wantCode(res, cli.ExitOK)
	pw := strings.TrimSpace(res.stdout)
	rr.smtp.Close()
	rr.start()

	out, code := rr.python(map[string]any{"user": ann, "password": pw, "from": ann, "to": []string{"bob@example.com"}, "subject": "backup report"})
	if code != 0 || !strings.HasPrefix(out, "ok") {
		t.Fatalf("not acknowledged: %s", out)
	}
	rr.stop(syscall.SIGKILL)
	res = rr.run("", "queue", "--json")
	if !strings.Contains(res.stdout, `"state": "queued"`) || !strings.Contains(res.stdout, "bob@example.com") {
		t.Fatalf("queue after kill -9: %s\nrelay log:\n%s", res.stdout, rr.log.String())
	}

	sp := rr.restartSMTP(addr)
	rr.start()
	msgs := waitMessages(t, sp, 1, rr.log.String)
	if !strings.Contains(string(msgs[0].Data), "Subject: backup report") || strings.Join(msgs[0].To, ",") != "bob@example.com" {
		t.Fatalf("delivered %+v", msgs[0])
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		res = rr.run("", "queue")
		if strings.Contains(res.stderr, "empty") || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if !strings.Contains(res.stderr, "empty") {
		t.Fatalf("queue after delivery: %+v", res)
	}
}

// Beyond the loopback, logins (and so mail) need STARTTLS with the relay's
// certificate, and the relay warns.
func TestRelayBeyondLoopbackNeedsSTARTTLS(t *testing.T) {
	rr := newRelayRig(t)
	rr.listen = "0.0.0.0:" + port(rr.listen)
	rr.loginAnn(rr.smtp.StartTLSURL())
	res := rr.run("", "relay", "add-password", ann, "printer")
	rr.wantCode(res, cli.ExitOK)
	pw := strings.TrimSpace(res.stdout)
	rr.start()
	if !strings.Contains(rr.log.String(), "Warning: the relay is reachable from other computers") {
		t.Fatalf("no warning:\n%s", rr.log.String())
	}
	msg := map[string]any{"user": ann, "password": pw, "from": ann, "to": []string{"bob@example.com"}}
	if out, code := rr.python(msg); code != 4 || !strings.HasPrefix(out, "no AUTH") {
		t.Fatalf("a login without TLS: %s (%d)", out, code)
	}
	msg["cafile"] = filepath.Join(os.Getenv("XDG_STATE_HOME"), "mailkey", "relay", "relay-cert.pem")
	if out, code := rr.python(msg); code != 0 {
		t.Fatalf("a login after STARTTLS: %s (%d)", out, code)
	}
	waitMessages(t, rr.smtp, 1, rr.log.String)
}
