package export

import (
	"errors"
	"strings"
	"testing"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/mail"
)

func TestMSMTPBlock(t *testing.T) {
	tests := []struct {
		name string
		acct account.Account
		want []string // the block without its two comment lines
	}{
		{
			"oauth default server",
			account.Account{Address: "ann@gmail.com", Method: account.OAuth},
			[]string{
				"account ann@gmail.com", "host smtp.gmail.com", "port 587", "tls on", "tls_starttls on", "auth xoauth2",
				"user ann@gmail.com", "from ann@gmail.com", `passwordeval "mailkey token ann@gmail.com"`,
			},
		},
		{
			"app password over STARTTLS",
			account.Account{Address: "ann@gmail.com", Method: account.AppPassword, SMTP: "smtp://smtp.gmail.com:587"},
			[]string{
				"account ann@gmail.com", "host smtp.gmail.com", "port 587", "tls on", "tls_starttls on", "auth plain",
				"user ann@gmail.com", "from ann@gmail.com",
				`passwordeval "secret-tool lookup service mailkey username ann@gmail.com/app-password"`,
			},
		},
		{
			"app password over implicit TLS, default port",
			account.Account{Address: "bob.smith+x@example.org", Method: account.AppPassword, SMTP: "smtps://smtp.gmail.com"},
			[]string{
				"account bob.smith+x@example.org", "host smtp.gmail.com", "port 465", "tls on", "tls_starttls off", "auth plain",
				"user bob.smith+x@example.org", "from bob.smith+x@example.org",
				`passwordeval "secret-tool lookup service mailkey username bob.smith+x@example.org/app-password"`,
			},
		},
		{
			"oauth on a loopback peer",
			account.Account{Address: "ann@gmail.com", Method: account.OAuth, SMTP: "smtps://127.0.0.1:2465"},
			[]string{
				"account ann@gmail.com", "host 127.0.0.1", "port 2465", "tls on", "tls_starttls off", "auth xoauth2",
				"user ann@gmail.com", "from ann@gmail.com", `passwordeval "mailkey token ann@gmail.com"`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := MSMTPBlock(tt.acct)
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
			if len(lines) < 2 || !strings.HasPrefix(lines[0], "# ") || !strings.HasPrefix(lines[1], "# ") {
				t.Fatalf("block does not start with two comment lines:\n%s", got)
			}
			if g, w := strings.Join(lines[2:], "\n"), strings.Join(tt.want, "\n"); g != w {
				t.Errorf("block:\n%s\nwant:\n%s", g, w)
			}
		})
	}
}

func TestUnsafeAddressRefused(t *testing.T) {
	for _, addr := range []string{"", `a"b@x.org`, "a b@x.org", "a;rm -rf@x.org", "a$(id)@x.org", "a\n@x.org", "a'b@x.org", `a\b@x.org`} {
		_, err := MSMTPBlock(account.Account{Address: addr, Method: account.OAuth})
		if !errors.Is(err, ErrUnsafeAddress) {
			t.Errorf("%q: error %v, want ErrUnsafeAddress", addr, err)
		}
	}
}

func TestBadEndpoint(t *testing.T) {
	a := account.Account{Address: "ann@gmail.com", Method: account.OAuth, SMTP: "http://x"}
	if _, err := MSMTPBlock(a); !errors.Is(err, mail.ErrBadEndpoint) {
		t.Errorf("MSMTPBlock: %v", err)
	}
	if _, err := Text(a, ""); !errors.Is(err, mail.ErrBadEndpoint) {
		t.Errorf("Text: %v", err)
	}
}

func TestText(t *testing.T) {
	const pw = "abcdefghijklmnop"
	tests := []struct {
		name     string
		acct     account.Account
		password string
		want     []string
		not      []string
	}{
		{
			"app password, hidden",
			account.Account{Address: "ann@gmail.com", Method: account.AppPassword},
			"",
			[]string{
				"Server: smtp.gmail.com\n", "Port: 587\n", "Security: STARTTLS\n", "Username: ann@gmail.com\n",
				"Authentication: Normal password (PLAIN)", "Password: the app password", "not printed", "--show-password",
			},
			[]string{pw, "Note:", "OAuth"},
		},
		{
			"app password, shown on request",
			account.Account{Address: "ann@gmail.com", Method: account.AppPassword, SMTP: "smtps://smtp.gmail.com:465"},
			pw,
			[]string{"Port: 465\n", "Security: SSL/TLS\n", "Password: " + pw + "\n"},
			[]string{"not printed"},
		},
		{
			"oauth never prints a password",
			account.Account{Address: "ann@gmail.com", Method: account.OAuth},
			pw,
			[]string{
				"Server: smtp.gmail.com\n", "Authentication: OAuth 2.0 (XOAUTH2)\n", "Password: none",
				"Note: a program that signs in with OAuth 2.0 needs its own OAuth client", "mailkey token ann@gmail.com", "msmtp",
			},
			[]string{pw},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Text(tt.acct, tt.password)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("text lacks %q:\n%s", w, got)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(got, n) {
					t.Errorf("text holds %q:\n%s", n, got)
				}
			}
			for _, line := range strings.Split(strings.TrimSuffix(got, "\n"), "\n") {
				if label, _, ok := strings.Cut(line, ": "); !ok || label == "" {
					t.Errorf("line %q is not \"Label: value\"", line)
				}
			}
		})
	}
}

func TestFieldsOrder(t *testing.T) {
	f, err := Fields(account.Account{Address: "ann@gmail.com", Method: account.AppPassword})
	if err != nil {
		t.Fatal(err)
	}
	var labels []string
	for _, x := range f {
		labels = append(labels, x.Label)
	}
	if got := strings.Join(labels, ","); got != "Server,Port,Security,Username,Authentication" {
		t.Errorf("labels %s", got)
	}
}
