package notify_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/mailkey-app/mailkey/app/notify"
	"github.com/mailkey-app/mailkey/internal/testpeer"
)

func TestMain(m *testing.M) {
	testpeer.RequireSessionBus("notify")
	os.Exit(m.Run())
}

func TestNotifyAndAction(t *testing.T) {
	srv, err := testpeer.StartNotifications()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	b, err := notify.Connect(context.Background(), srv.Name)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	id, err := b.Notify(context.Background(), notify.Note{
		Summary: "Sign-in ends tomorrow", Body: "ann@gmail.com",
		Actions: []notify.Action{{Key: "default", Label: "Open"}, {Key: "open", Label: "Sign in again"}},
	})
	if err != nil {
		t.Fatalf("%v (%v)", err, errors.Unwrap(err))
	}
	got := srv.Received()
	if len(got) != 1 || got[0].ID != id || got[0].App != "mailkey" || got[0].Summary != "Sign-in ends tomorrow" ||
		!slices.Equal(got[0].Actions, []string{"default", "Open", "open", "Sign in again"}) {
		t.Fatalf("server received %+v", got)
	}
	// The desktop entry the packages install (app.mailkey.mailkey.desktop), without .desktop.
	if v, ok := got[0].Hints["desktop-entry"]; !ok || v.Value() != "app.mailkey.mailkey" {
		t.Errorf("hints %v", got[0].Hints)
	}
	// A click on someone else's notification is not ours; a click on ours is.
	if err := srv.Invoke(id+100, "open"); err != nil {
		t.Fatal(err)
	}
	if err := srv.Invoke(id, "open"); err != nil {
		t.Fatal(err)
	}
	select {
	case inv := <-b.Invoked():
		if inv.ID != id || inv.Key != "open" {
			t.Errorf("invoked %+v", inv)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no ActionInvoked came through")
	}
}

func TestNoService(t *testing.T) {
	start := time.Now()
	_, err := notify.Connect(context.Background(), "org.freedesktop.Notifications.test.nobody")
	if !errors.Is(err, notify.ErrUnavailable) || time.Since(start) > notify.CallTimeout+time.Second {
		t.Errorf("err %v after %v; want ErrUnavailable within the call timeout", err, time.Since(start))
	}
}

// Without a session bus, Connect says so and starts none.
func TestNoSessionBus(t *testing.T) {
	if _, err := os.Stat(fmt.Sprintf("/run/user/%d/bus", os.Getuid())); err == nil {
		t.Skip("this machine's user bus would be found at /run/user/UID/bus")
	}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
	// A dbus-launch that only leaves a mark: godbus's autolaunch would run it.
	touch, err := exec.LookPath("touch")
	if err != nil {
		t.Skip("no touch to write the mark with")
	}
	bin, mark := t.TempDir(), filepath.Join(t.TempDir(), "launched")
	if err := os.WriteFile(filepath.Join(bin, "dbus-launch"), []byte("#!/bin/sh\n"+touch+" "+mark+"\nexit 1\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin)
	if _, err := notify.Connect(context.Background(), ""); !errors.Is(err, notify.ErrUnavailable) {
		t.Errorf("err %v, want ErrUnavailable", err)
	}
	if _, err := os.Stat(mark); err == nil {
		t.Error("Connect ran dbus-launch")
	}
}
