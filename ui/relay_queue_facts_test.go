package ui

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/widget"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/mail"
	"github.com/mailkey-app/mailkey/app/queue"
	"github.com/mailkey-app/mailkey/app/secret"
)

// refusingKeyring answers as go-keyring does when the Secret Service's
// collection is locked and the unlock prompt was dismissed.
type refusingKeyring struct{}

func (refusingKeyring) err() error {
	return errors.New("failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'")
}
func (k refusingKeyring) Set(string, string, string) error   { return k.err() }
func (k refusingKeyring) Get(string, string) (string, error) { return "", k.err() }
func (k refusingKeyring) Delete(string, string) error        { return k.err() }

// A message that waits because the keyring could not be used, or that
// failed because mailkey had no such account, is listed with the reason
// in French, worded again from the facts the queue keeps, not in general
// words.
func TestRelayPanelQueueKeyringAndAccountInFrench(t *testing.T) {
	h, _ := relayHarness(t)
	useLanguage("fr")
	t.Cleanup(func() { useLanguage("en") })
	dir, err := queue.DefaultDir()
	if err != nil {
		t.Fatal(err)
	}
	q := queue.Open(dir, mail.MaxRawBytes)
	_, locked := secret.NewWithBackend(refusingKeyring{}, "mailkey-test", time.Second).Get(context.Background(), ann, secret.AppPassword)
	_, gone := account.NewStore(t.TempDir()).Get(ann)
	for _, c := range []struct {
		to  string
		err error
	}{{"bob@example.com", locked}, {"carol@example.com", gone}} {
		if _, err := q.AddFailed(queue.Item{Account: ann, From: ann, To: []string{c.to}}, strings.NewReader("Subject: waiting\r\n\r\nx\r\n"), c.err); err != nil {
			t.Fatal(err)
		}
	}
	p := openAccount(t, h, ann).relay
	var lines []string
	for _, o := range p.queue.items.Objects {
		lines = append(lines, o.(*widget.Label).Text)
	}
	all := strings.Join(lines, "\n")
	for _, want := range []string{
		"bob@example.com — impossible de lire le mot de passe d'application de " + ann + " dans le trousseau du système (il a refusé la demande)",
		"carol@example.com — mailkey n'a pas de compte " + ann,
	} {
		if !strings.Contains(all, want) {
			t.Errorf("queue %q, want %q", lines, want)
		}
	}
}
