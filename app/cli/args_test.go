package cli_test

import (
	"strings"
	"testing"

	"github.com/mailkey-app/mailkey/app/cli"
)

func TestArgs(t *testing.T) {
	for _, tt := range []struct{ argv, want string }{
		{"/usr/bin/mailkey send --to x", "send --to x"},
		{"/home/ann/bin/sendmail -t -i", "sendmail -t -i"},
		{"sendmail", "sendmail"},
		{"/usr/sbin/sendmail.real -t", "-t"},
		{"mailkey", ""},
	} {
		if got := strings.Join(cli.Args(strings.Fields(tt.argv)), " "); got != tt.want {
			t.Errorf("Args(%q) = %q, want %q", tt.argv, got, tt.want)
		}
	}
}
