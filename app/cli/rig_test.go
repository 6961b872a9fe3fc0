package cli_test

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/cli"
	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/mailkey-app/mailkey/app/engine/enginetest"
	"github.com/mailkey-app/mailkey/app/secret"
	"github.com/mailkey-app/mailkey/internal/testpeer"
)

// These end-to-end tests run the CLI in-process against real peers on
// loopback: the SMTP and OAuth peers of package testpeer, and the real Secret
// Service on the private bus that 'make test' provides.
func TestMain(m *testing.M) {
	if os.Getenv("MAILKEY_CLI_MAIN") == "1" { // run as mailkey by a real program (sendmail_test.go)
		os.Exit(runAsMailkey())
	}
	testpeer.RequireSessionBus("cli")
	os.Exit(m.Run())
}

const (
	ann        = enginetest.User
	annPass    = enginetest.AppPassword
	annShown   = enginetest.AppPasswordSeen
	annAccount = enginetest.AccountPassword // her normal Google password
	mallory    = "mallory@gmail.com"        // not a test user
)

type rig struct {
	t       *testing.T
	ca      *testpeer.CA
	oauth   *testpeer.OAuth
	smtp    *testpeer.SMTP
	gmail   *testpeer.Gmail // all the peers, the mailbox and IMAP included
	dir     string
	service string
	eng     *engine.Engine
	// accounts and keyring are what the engine keeps, for setting up and checking.
	accounts *account.Store
	keyring  *secret.Store
	now      time.Time
	mu       sync.Mutex
	// secrets lists every secret the peers handed out, to prove none reached a file.
	secrets []string
}

func newRig(t *testing.T) *rig {
	t.Helper()
	env := enginetest.New(t)
	g := env.Gmail
	r := &rig{
		t: t, ca: g.CA, oauth: g.OAuth, smtp: g.SMTP, gmail: g, dir: env.Dir, service: env.Service, now: time.Now(), eng: env.Engine,
		accounts: env.Accounts, keyring: env.Secrets,
	}
	r.eng.Use(engine.WithClock(engine.ClockFunc(r.clock)))
	r.secrets = []string{annPass, annAccount, g.OAuth.ClientSecret}
	return r
}

func (r *rig) clock() time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.now
}

// advance moves the engine's clock.
func (r *rig) advance(d time.Duration) {
	r.mu.Lock()
	r.now = r.now.Add(d)
	r.mu.Unlock()
}

// clientFile writes the provider's client JSON of the given kind.
func (r *rig) clientFile(kind string) string {
	p := filepath.Join(r.t.TempDir(), "client_secret_test.json")
	if err := os.WriteFile(p, r.oauth.ClientJSON(kind), 0o600); err != nil {
		r.t.Fatal(err)
	}
	return p
}

type result struct {
	code           int
	stdout, stderr string
}

// run runs the CLI with stdin.
func (r *rig) run(stdin string, args ...string) result {
	r.t.Helper()
	var out, errb bytes.Buffer
	code := cli.Run(context.Background(), args, cli.Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Engine: r.eng})
	r.t.Logf("mailkey %s → exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, out.String(), errb.String())
	return result{code, out.String(), errb.String()}
}

// runStreaming runs the CLI while onLine sees each stdout line as it comes.
func (r *rig) runStreaming(stdin string, onLine func(string), args ...string) result {
	r.t.Helper()
	pr, pw := io.Pipe()
	var lines []string
	done := make(chan struct{})
	go func() {
		defer close(done)
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			lines = append(lines, sc.Text())
			onLine(sc.Text())
		}
	}()
	var errb bytes.Buffer
	code := cli.Run(context.Background(), args, cli.Env{Stdin: strings.NewReader(stdin), Stdout: pw, Stderr: &errb, Engine: r.eng})
	_ = pw.Close()
	<-done
	out := strings.Join(lines, "\n")
	r.t.Logf("mailkey %s → exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, out, errb.String())
	return result{code, out, errb.String()}
}

func (r *rig) wantCode(res result, code int) {
	r.t.Helper()
	if res.code != code {
		r.t.Fatalf("exit code %d, want %d (stderr: %s)", res.code, code, res.stderr)
	}
}

func (r *rig) secret(k secret.Kind) (string, error) {
	return r.keyring.Get(context.Background(), ann, k)
}

// noSecretsOnDisk fails if any secret handed out during the test appears in a
// file of the config dir.
func (r *rig) noSecretsOnDisk() {
	r.t.Helper()
	r.mu.Lock()
	secrets := append([]string(nil), r.secrets...)
	r.mu.Unlock()
	for _, k := range []secret.Kind{secret.RefreshToken, secret.AccessToken} {
		if v, err := r.secret(k); err == nil {
			secrets = append(secrets, v)
		}
	}
	err := filepath.Walk(r.dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, s := range secrets {
			if s != "" && bytes.Contains(data, []byte(s)) {
				r.t.Errorf("%s holds a secret (%.6s…)", p, s)
			}
		}
		return nil
	})
	if err != nil && !os.IsNotExist(err) {
		r.t.Fatal(err)
	}
}

func (r *rig) remember(s string) {
	r.mu.Lock()
	r.secrets = append(r.secrets, s)
	r.mu.Unlock()
}
