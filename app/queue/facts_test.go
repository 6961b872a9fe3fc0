package queue

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/mailkey-app/mailkey/app/secret"
	"github.com/mailkey-app/mailkey/app/secret/secrettest"
)

// The failures a send meets outside the server, a keyring that cannot be
// used, an account mailkey does not have, an accounts file that cannot be
// read, the token refresh's lock, are saved as facts and said
// again in the words, key, data and action the send's error had: the file
// holds none of them.
func TestKeyringAndAccountFailuresSaidAgain(t *testing.T) {
	ctx := context.Background()
	_, locked := secret.NewWithBackend(secrettest.Locked{}, "mailkey-test", time.Second).Get(ctx, "ann@gmail.com", secret.AppPassword)
	busBroken := secret.NewWithBackend(brokenBus{}, "mailkey-test", time.Second).Set(ctx, "ann@gmail.com", secret.AccessToken, "x")
	hung := hungKeyring{release: make(chan struct{})}
	defer close(hung.release)
	_, silent := secret.NewWithBackend(hung, "mailkey-test", 30*time.Millisecond).Get(ctx, "ann@gmail.com", secret.RefreshToken)
	_, noAccount := account.NewStore(t.TempDir()).Get("ann@gmail.com")
	accountsFile := func(content string, dir bool) error {
		s := account.NewStore(t.TempDir())
		if dir {
			if err := os.MkdirAll(s.Path(), 0o700); err != nil {
				t.Fatal(err)
			}
		} else if err := os.WriteFile(s.Path(), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := s.Get("ann@gmail.com")
		return err
	}
	cases := []struct {
		name string
		err  error
		kind string
	}{
		{"keyring locked", locked, FailKeyring},
		{"no session bus", busBroken, FailKeyring},
		{"keyring silent", silent, FailKeyring},
		{"no such account", noAccount, FailNoAccount},
		{"accounts file damaged", accountsFile("garbage{", false), FailAccountsFile},
		{"accounts file from a newer mailkey", accountsFile(`{"version": 99, "accounts": []}`, false), FailAccountsFile},
		{"accounts file a folder", accountsFile("", true), FailAccountsFile},
		{"token refresh locked", engine.TokenLock{Kind: engine.LockBusy, Timeout: 75 * time.Second}.Explain(), FailTokenLock},
		{"no configuration directory", engine.TokenLock{Kind: engine.LockNoDir, Dir: "/home/ann/.config/mailkey"}.Explain(), FailTokenLock},
	}
	q, _ := newQueue(t)
	for _, c := range cases {
		if c.err == nil {
			t.Fatalf("%s: %v", c.name, c.err)
		}
		it, err := q.AddFailed(Item{Account: "ann@gmail.com", From: "ann@gmail.com", To: []string{"bob@example.com"}}, strings.NewReader("x"), c.err)
		if err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(filepath.Join(q.Dir(), it.ID+".json"))
		if err != nil {
			t.Fatal(err)
		}
		want := advice.TextOf(c.err)
		for _, words := range []string{want.Key, want.What, want.Next, "keyring did not", "could not", `"what"`, `"key"`, "unlock correct collection"} {
			if words != "" && strings.Contains(string(data), words) {
				t.Errorf("%s: the file holds %q:\n%s", c.name, words, data)
			}
		}
		read, err := q.Get(it.ID) // read back from the file
		if err != nil {
			t.Fatal(err)
		}
		got := read.LastError.Text()
		if read.LastError.Kind != c.kind || got.Key != want.Key || got.What != want.What || got.Next != want.Next ||
			got.Action != want.Action || !reflect.DeepEqual(got.Data, want.Data) || read.LastError.Category != advice.CategoryOf(c.err) {
			t.Errorf("%s: %+v said again as\n%+v\nwant\n%+v", c.name, read.LastError, got, want)
		}
		if got.Key == "" || strings.Contains(got.What, "last try failed") {
			t.Errorf("%s: said in general words: %+v", c.name, got)
		}
	}
}

// hungKeyring never answers a read until released.
type hungKeyring struct {
	secrettest.Locked
	release chan struct{}
}

func (k hungKeyring) Get(string, string) (string, error) {
	<-k.release
	return "", errors.New("released")
}

// brokenBus answers as go-keyring does without a session bus.
type brokenBus struct{}

func (brokenBus) Set(string, string, string) error {
	return errors.New("dbus: couldn't determine address of session bus")
}

func (brokenBus) Get(string, string) (string, error) {
	return "", errors.New("dbus: couldn't determine address of session bus")
}

func (brokenBus) Delete(string, string) error {
	return errors.New("dbus: couldn't determine address of session bus")
}
