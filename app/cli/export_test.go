package cli_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mailkey-app/mailkey/app/cli"
)

// msmtpSend writes block into an msmtprc that trusts the peers' CA, and sends a
// small message with the real msmtp through the account named ann.
func (r *rig) msmtpSend(block, subject string) {
	r.t.Helper()
	bin, err := exec.LookPath("msmtp")
	if err != nil {
		r.t.Fatal("msmtp is not installed (Debian package msmtp; 'make test' installs it)")
	}
	dir := r.t.TempDir()
	rc := filepath.Join(dir, "msmtprc")
	conf := "defaults\ntls_trust_file " + r.ca.CertFile + "\n\n" + block
	if err := os.WriteFile(rc, []byte(conf), 0o600); err != nil {
		r.t.Fatal(err)
	}
	msg := "From: " + ann + "\r\nTo: bob@example.com\r\nSubject: " + subject + "\r\n\r\nSent by msmtp with mailkey's settings.\r\n"
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-C", rc, "-a", ann, "-t")
	cmd.Stdin = strings.NewReader(msg)
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.t.Fatalf("msmtp: %v\n%s\nmsmtprc:\n%s", err, out, conf)
	}
}

// lineOf returns the line of block that starts with prefix.
func lineOf(t *testing.T, block, prefix string) string {
	t.Helper()
	for _, l := range strings.Split(block, "\n") {
		if strings.HasPrefix(l, prefix) {
			return l
		}
	}
	t.Fatalf("no %q line in:\n%s", prefix, block)
	return ""
}

func TestExportMSMTPAppPasswordSendsWithMSMTP(t *testing.T) {
	r := newRig(t)
	r.wantCode(r.run(annShown+"\n", "login", "--app-password", "--email", ann, "--smtp", r.smtp.ImplicitTLSURL()), cli.ExitOK)

	res := r.run("", "export", "msmtp", ann)
	r.wantCode(res, cli.ExitOK)
	block := res.stdout
	if strings.Contains(block, annPass) {
		t.Fatal("the msmtp block holds the app password")
	}
	for _, want := range []string{
		"account " + ann + "\n", "host 127.0.0.1\n", "tls on\n", "tls_starttls off\n", "auth plain\n",
		"user " + ann + "\n", "from " + ann + "\n",
	} {
		if !strings.Contains(block, want) {
			t.Errorf("block lacks %q", want)
		}
	}
	eval := lineOf(t, block, "passwordeval ")
	if want := `passwordeval "secret-tool lookup service mailkey username ` + ann + `/app-password"`; eval != want {
		t.Fatalf("passwordeval line %q, want %q", eval, want)
	}
	// The rig's engine keeps its secrets under its own service name; msmtp
	// then runs the real secret-tool against the test keyring.
	block = strings.Replace(block, "service mailkey ", "service "+r.service+" ", 1)
	r.msmtpSend(block, "msmtp with an app password")

	msgs := r.smtp.Messages()
	if len(msgs) != 1 || msgs[0].Mech != "PLAIN" || msgs[0].User != ann || !strings.Contains(string(msgs[0].Data), "msmtp with an app password") {
		t.Fatalf("the SMTP peer received %+v", msgs)
	}

	res = r.run("", "export", "values", ann)
	r.wantCode(res, cli.ExitOK)
	for _, want := range []string{"Server: 127.0.0.1\n", "Security: SSL/TLS\n", "Username: " + ann + "\n", "not printed"} {
		if !strings.Contains(res.stdout, want) {
			t.Errorf("values lack %q", want)
		}
	}
	if strings.Contains(res.stdout, annPass) {
		t.Fatal("values print the app password without --show-password")
	}
	res = r.run("", "export", "values", "--show-password", ann)
	r.wantCode(res, cli.ExitOK)
	if !strings.Contains(res.stdout, "Password: "+annPass+"\n") {
		t.Fatalf("--show-password printed %q", res.stdout)
	}
}

func TestExportMSMTPOAuthSendsWithMSMTP(t *testing.T) {
	r := newRig(t)
	res, _ := r.signIn(nil)
	r.wantCode(res, cli.ExitOK)

	res = r.run("", "export", "msmtp", ann)
	r.wantCode(res, cli.ExitOK)
	block := res.stdout
	for _, want := range []string{"tls_starttls on\n", "auth xoauth2\n", "user " + ann + "\n"} {
		if !strings.Contains(block, want) {
			t.Errorf("block lacks %q", want)
		}
	}
	eval := lineOf(t, block, "passwordeval ")
	if want := `passwordeval "mailkey token ` + ann + `"`; eval != want {
		t.Fatalf("passwordeval line %q, want %q", eval, want)
	}
	// The test binary is not on PATH as mailkey: msmtp gets the token that
	// 'mailkey token' prints, through echo.
	tok := r.run("", "token", ann)
	r.wantCode(tok, cli.ExitOK)
	token := strings.TrimSpace(tok.stdout)
	r.remember(token)
	block = strings.Replace(block, eval, `passwordeval "echo `+token+`"`, 1)
	r.msmtpSend(block, "msmtp with OAuth")

	msgs := r.smtp.Messages()
	if len(msgs) != 1 || msgs[0].Mech != "XOAUTH2" || msgs[0].User != ann || !strings.Contains(string(msgs[0].Data), "msmtp with OAuth") {
		t.Fatalf("the SMTP peer received %+v", msgs)
	}

	res = r.run("", "export", "values", ann)
	r.wantCode(res, cli.ExitOK)
	if !strings.Contains(res.stdout, "OAuth 2.0") || !strings.Contains(res.stdout, "own OAuth client") || strings.Contains(res.stdout, token) {
		t.Fatalf("values for OAuth: %q", res.stdout)
	}
	r.wantCode(r.run("", "export", "values", "--show-password", ann), cli.ExitUsage)
}

func TestExportErrors(t *testing.T) {
	r := newRig(t)
	r.wantCode(r.run(annShown+"\n", "login", "--app-password", "--email", ann, "--smtp", r.smtp.StartTLSURL()), cli.ExitOK)
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"unknown format", []string{"export", "mutt", ann}, cli.ExitUsage},
		{"no address", []string{"export", "msmtp"}, cli.ExitUsage},
		{"too many arguments", []string{"export", "msmtp", ann, "x"}, cli.ExitUsage},
		{"show-password with msmtp", []string{"export", "msmtp", "--show-password", ann}, cli.ExitUsage},
		{"unknown flag", []string{"export", "--nope", "msmtp", ann}, cli.ExitUsage},
		{"unknown account", []string{"export", "msmtp", "nobody@gmail.com"}, cli.ExitNoAccount},
		{"unknown account, values", []string{"export", "values", "nobody@gmail.com"}, cli.ExitNoAccount},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := r.run("", tt.args...)
			r.wantCode(res, tt.code)
			if res.stdout != "" || strings.Contains(res.stderr, annPass) {
				t.Errorf("stdout %q", res.stdout)
			}
		})
	}
}
