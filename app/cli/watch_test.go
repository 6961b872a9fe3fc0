package cli_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/mailkey-app/mailkey/app/cli"
	"github.com/mailkey-app/mailkey/internal/testpeer"
)

// watchOnce runs 'mailkey watch --once' with a recording notification service.
func (r *rig) watchOnce(srv *testpeer.Notifications, extra ...string) result {
	r.t.Helper()
	return r.run("", append([]string{"watch", "--once", "--notify-name", srv.Name}, extra...)...)
}

func TestWatchOnce(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	r := newRig(t)
	srv, err := testpeer.StartNotifications()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	res, _ := r.signIn(nil, "--api", r.gmail.API.URL)
	r.wantCode(res, cli.ExitOK)

	res = r.watchOnce(srv)
	r.wantCode(res, cli.ExitOK)
	if res.stdout != "" || !strings.Contains(res.stderr, "Every account is fine.") {
		t.Errorf("a fresh sign-in: stdout %q stderr %q", res.stdout, res.stderr)
	}
	r.advance(6*24*time.Hour + time.Hour)
	res = r.watchOnce(srv)
	r.wantCode(res, cli.ExitFailure)
	if !strings.HasPrefix(res.stdout, ann+": The sign-in of "+ann+" ends on ") {
		t.Errorf("stdout %q", res.stdout)
	}
	res = r.watchOnce(srv, "--json")
	r.wantCode(res, cli.ExitFailure)
	var found []map[string]any
	if err := json.Unmarshal([]byte(res.stdout), &found); err != nil || len(found) != 1 ||
		found[0]["kind"] != "ends-soon" || found[0]["screen"] != "sign-in" || found[0]["address"] != ann {
		t.Errorf("--json: %v %v", found, err)
	}
	if got := srv.Received(); len(got) != 1 {
		t.Errorf("%d notifications for one event over three checks, want 1", len(got))
	}
	r.noSecretsOnDisk()
}

func TestWatchWithoutNotificationService(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	r := newRig(t)
	res := r.run("", "watch", "--once", "--notify-name", "org.freedesktop.Notifications.test.nobody")
	r.wantCode(res, cli.ExitOK)
	if !strings.Contains(res.stderr, "No desktop notification service answers.") {
		t.Errorf("stderr %q", res.stderr)
	}
}

func TestWatchUsage(t *testing.T) {
	r := newRig(t)
	for _, args := range [][]string{{"watch", "x"}, {"watch", "--json"}, {"watch", "--every", "1s"}} {
		r.wantCode(r.run("", args...), cli.ExitUsage)
	}
}
