package cli_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mailkey-app/mailkey/app/cli"
)

// writeCounter counts the Write calls that reach it: each is a write(2) on a
// real stdout.
type writeCounter struct {
	writes int
	b      strings.Builder
}

func (w *writeCounter) Write(p []byte) (int, error) {
	w.writes++
	return w.b.Write(p)
}

// TestAccountsOutputIsBuffered lists 1,000 accounts in a handful of writes
// (it took about 6,500, one per cell and padding of the table).
func TestAccountsOutputIsBuffered(t *testing.T) {
	r := newRig(t)
	var list []string
	for i := range 1000 {
		list = append(list, fmt.Sprintf(`{"address":"user%04d@gmail.com","method":"app-password","smtp":"smtp://smtp.gmail.com:587"}`, i))
	}
	data := `{"version":1,"accounts":[` + strings.Join(list, ",") + `]}`
	if err := os.MkdirAll(r.dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(r.dir, "accounts.json"), []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"accounts"}, {"accounts", "--json"}} {
		var out writeCounter
		var errb strings.Builder
		code := cli.Run(context.Background(), args, cli.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Engine: r.eng})
		if code != cli.ExitOK {
			t.Fatalf("%v: exit %d: %s", args, code, errb.String())
		}
		if n := strings.Count(out.b.String(), "@gmail.com"); n != 1000 {
			t.Fatalf("%v: %d accounts listed", args, n)
		}
		if out.writes > 20 {
			t.Errorf("%v: %d writes for 1,000 accounts", args, out.writes)
		}
		t.Logf("%v: %d writes, %d bytes", args, out.writes, out.b.Len())
	}
}
