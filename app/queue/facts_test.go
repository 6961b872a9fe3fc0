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
	"github.com/mailkey-app/mailkey/app/mail"
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
		saidAgain(t, q, c.name, c.err, c.kind)
	}
}

// The failures of a raw send (engine.SendRaw, the queue's path) that have
// facts of their own, an SMTP URL that cannot be used, are saved as facts
// and said again as the send's error said them, next step included.
func TestSendRawFailuresSaidAgain(t *testing.T) {
	dir := t.TempDir()
	e := engine.New(dir, engine.WithSecrets(secrettest.New(secrettest.NewKeyring())))
	raw := mail.Raw{
		From: "ann@gmail.com", To: []string{"bob@example.com"},
		Data: []byte("From: ann@gmail.com\r\nTo: bob@example.com\r\nSubject: hi\r\n\r\nhello\r\n"),
	}
	q, _ := newQueue(t)
	for _, url := range []string{"smtp.gmail.com:587", "smtp://%zz", "smtp://ann:pw@smtp.gmail.com", "smtp://:587", "smtp://smtp.gmail.com:99999"} {
		err := account.NewStore(dir).Put(account.Account{Address: "ann@gmail.com", Method: account.AppPassword, SMTP: url})
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.SendRaw(context.Background(), "ann@gmail.com", raw)
		if _, ok := mail.BadEndpointOf(err); !ok {
			t.Fatalf("%s: %v", url, err)
		}
		saidAgain(t, q, url, err, FailSMTPURL)
	}
}

// saidAgain queues a message that failed with err, and checks that its
// file holds no words, and that its failure, read back from the file, is
// of kind and says what err said.
func saidAgain(t *testing.T, q *Queue, name string, err error, kind string) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: %v", name, err)
	}
	it, aerr := q.AddFailed(Item{Account: "ann@gmail.com", From: "ann@gmail.com", To: []string{"bob@example.com"}}, strings.NewReader("x"), err)
	if aerr != nil {
		t.Fatal(aerr)
	}
	data, rerr := os.ReadFile(filepath.Join(q.Dir(), it.ID+".json"))
	if rerr != nil {
		t.Fatal(rerr)
	}
	want := advice.TextOf(err)
	for _, words := range []string{want.Key, want.What, want.Next, "keyring did not", "could not", `"what"`, `"key"`, "unlock correct collection"} {
		if words != "" && strings.Contains(string(data), words) {
			t.Errorf("%s: the file holds %q:\n%s", name, words, data)
		}
	}
	read, gerr := q.Get(it.ID) // read back from the file
	if gerr != nil {
		t.Fatal(gerr)
	}
	got := read.LastError.Text()
	if read.LastError.Kind != kind || got.Key != want.Key || got.What != want.What || got.Next != want.Next ||
		got.Action != want.Action || !reflect.DeepEqual(got.Data, want.Data) || read.LastError.Category != advice.CategoryOf(err) {
		t.Errorf("%s: %+v said again as\n%+v\nwant\n%+v", name, read.LastError, got, want)
	}
	if got.Key == "" || strings.Contains(got.What, "last try failed") {
		t.Errorf("%s: said in general words: %+v", name, got)
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
