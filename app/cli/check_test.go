package cli_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/mailkey-app/mailkey/app/cli"
)

// 'mailkey send' and 'mailkey sendmail' refuse a message over Gmail's
// recipient limit at its one check, in the engine, before any connection:
// their exit codes, nothing queued, and the SMTP server saw only the login.
func TestSendAndSendmailRefuseOnceBeforeConnecting(t *testing.T) {
	r := newRig(t)
	queueDir := r.useState()
	r.loginAnn(r.smtp.StartTLSURL())
	conns := r.smtp.Connections() // the login's
	to := make([]string, 101)
	for i := range to {
		to[i] = fmt.Sprintf("r%d@example.com", i)
	}

	res := r.run("", "send", "--from", ann, "--to", strings.Join(to[:60], ","), "--bcc", strings.Join(to[60:], ","),
		"--subject", "many", "--body", "x")
	r.wantCode(res, cli.ExitUsage)
	if !strings.Contains(res.stderr, "101 recipients") {
		t.Errorf("send: stderr: %s", res.stderr)
	}

	res = r.run("Subject: many\n\nx\n", append([]string{"sendmail"}, to...)...)
	r.wantCode(res, cli.ExitSysUnavailable)
	if !strings.Contains(res.stderr, "101 recipients") || strings.Contains(res.stderr, "queued") {
		t.Errorf("sendmail: stderr: %s", res.stderr)
	}
	if _, err := os.Stat(queueDir); !os.IsNotExist(err) {
		t.Errorf("a refused message was queued: %v", err)
	}
	if n := r.smtp.Connections(); n != conns {
		t.Fatalf("the server was contacted %d times for refused messages", n-conns)
	}
}
