package ui

import (
	"context"
	"net"
	"net/smtp"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/mail"
	"github.com/mailkey-app/mailkey/app/queue"
	"github.com/mailkey-app/mailkey/app/secret"
	"github.com/mailkey-app/mailkey/app/secret/secrettest"
)

// relayHarness is a harness with an app-password account, a state dir of
// its own, and the relay panel of its account screen.
func relayHarness(t *testing.T) (*harness, *accountScreen) {
	h := newHarness(t) // with a state dir of its own
	if _, err := h.eng.LoginAppPassword(context.Background(), ann, annShown, h.gm.SMTP.StartTLSURL()); err != nil {
		t.Fatal(err)
	}
	h.g.accountsChanged()
	h.settle()
	s := openAccount(t, h, ann)
	s.relay.g.relay.listen = "127.0.0.1:0"
	t.Cleanup(h.g.relay.halt)
	return h, s
}

// submit sends one message to the relay at addr as a device would, over
// AUTH PLAIN on the loopback.
func submit(addr, password string) error {
	c, err := smtp.Dial(addr)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.Auth(smtp.PlainAuth("", ann, password, "127.0.0.1")); err != nil {
		return err
	}
	if err := c.Mail(ann); err != nil {
		return err
	}
	if err := c.Rcpt("bob@example.com"); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write([]byte("From: " + ann + "\r\nSubject: from the scanner\r\n\r\nscan attached\r\n")); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

func TestRelayPanel(t *testing.T) {
	h, s := relayHarness(t)
	p := s.relay
	if p.server.status.Text != "The relay is not running." || p.server.host.Text != "127.0.0.1" || p.server.values.Items[3].Widget.(*widget.Label).Text != ann {
		t.Fatalf("panel: status %q, server %q", p.server.status.Text, p.server.host.Text)
	}

	test.Type(p.passwords.label, "scanner")
	test.Tap(p.passwords.create)
	h.settle()
	pw := p.passwords.newPass.Text
	if !p.passwords.newPass.Visible() || !p.passwords.copyPass.Visible() || len(pw) != 24 || len(p.passwords.list.Objects) != 1 {
		t.Fatalf("after Create: %q shown %v, %d listed", pw, p.passwords.newPass.Visible(), len(p.passwords.list.Objects))
	}
	test.Tap(p.passwords.copyPass)
	if got := h.app.Clipboard().Content(); got != pw {
		t.Fatalf("clipboard %q", got)
	}

	test.Tap(p.server.startStop)
	h.settle()
	addr := h.g.relay.running()
	if addr == "" || !strings.Contains(p.server.status.Text, addr) || p.server.startStop.Text != "Stop the relay" || !strings.HasSuffix(addr, ":"+p.server.port.Text) {
		t.Fatalf("after Start: %q, status %q, note %q", addr, p.server.status.Text, p.note.Text)
	}
	if err := submit(addr, pw); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for len(h.gm.SMTP.Messages()) == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if m := h.gm.SMTP.Messages(); len(m) != 1 || !strings.Contains(string(m[0].Data), "Subject: from the scanner") {
		t.Fatalf("delivered %d", len(m))
	}

	// Revoke: the row goes, and the password no longer logs in.
	var revoke *button
	for _, o := range p.passwords.list.Objects[0].(*fyne.Container).Objects {
		if b, ok := o.(*button); ok {
			revoke = b
		}
	}
	test.Tap(revoke)
	h.settle()
	if len(p.passwords.list.Objects) != 0 {
		t.Fatal("the revoked password is still listed")
	}
	if err := submit(addr, pw); err == nil || !strings.Contains(err.Error(), "535") {
		t.Fatalf("a revoked password: %v", err)
	}

	test.Tap(p.server.startStop)
	h.settle()
	if h.g.relay.running() != "" || p.server.startStop.Text != "Start the relay" {
		t.Fatal("the relay did not stop")
	}
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		_ = c.Close()
		t.Fatal("the relay still listens")
	}
}

func TestRelayPanelQueue(t *testing.T) {
	h, _ := relayHarness(t)
	dir, err := queue.DefaultDir()
	if err != nil {
		t.Fatal(err)
	}
	down := mail.Failure{Kind: mail.FailCannotConnect, Host: "127.0.0.1", Port: 1}.Explain() // as app/mail says it
	if _, err := queue.Open(dir, mail.MaxRawBytes).AddFailed(queue.Item{Account: ann, From: ann, To: []string{"bob@example.com"}},
		strings.NewReader("Subject: waiting\r\n\r\nx\r\n"), down); err != nil {
		t.Fatal(err)
	}
	s := openAccount(t, h, ann)
	p := s.relay
	if p.queue.queued.Text != "1 message waits in the queue." || len(p.queue.items.Objects) != 1 || !p.queue.flush.Visible() ||
		!strings.Contains(p.queue.items.Objects[0].(*widget.Label).Text, "cannot connect to 127.0.0.1:1") {
		t.Fatalf("queue: %q, %d items", p.queue.queued.Text, len(p.queue.items.Objects))
	}
	test.Tap(p.queue.flush)
	h.settle()
	if len(h.gm.SMTP.Messages()) != 1 || p.queue.queued.Text != "0 messages wait in the queue." || p.queue.flush.Visible() {
		t.Fatalf("after Send now: %d sent, %q", len(h.gm.SMTP.Messages()), p.queue.queued.Text)
	}
	if p.note.Visible() {
		t.Fatalf("note: %s", p.note.Text)
	}
}

// In French, the queue's list says each message's state and why its last
// try failed in French, worded again from the failure's facts: a server's
// reply, a locked keyring, an account mailkey does not have.
func TestRelayPanelQueueInFrench(t *testing.T) {
	h, _ := relayHarness(t)
	useLanguage("fr")
	t.Cleanup(func() { useLanguage("en") })
	dir, err := queue.DefaultDir()
	if err != nil {
		t.Fatal(err)
	}
	q := queue.Open(dir, mail.MaxRawBytes)
	// The errors of app/mail, which the queue keeps as facts.
	down := mail.Failure{Kind: mail.FailCannotConnect, Host: "127.0.0.1", Port: 1}.Explain()
	refused := mail.Explain(mail.Reply{Code: 535, Enhanced: "5.7.8"}, false)
	// A locked keyring and an unknown account, as the keyring's store and
	// the accounts store word them.
	_, locked := secret.NewWithBackend(secrettest.Locked{}, "mailkey-test", time.Second).Get(context.Background(), ann, secret.AppPassword)
	_, gone := account.NewStore(t.TempDir()).Get(ann)
	for _, c := range []struct {
		to  string
		err error
	}{{"bob@example.com", down}, {"carol@example.com", refused}, {"dan@example.com", locked}, {"erin@example.com", gone}} {
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
		"En attente : bob@example.com — impossible de se connecter à 127.0.0.1:1",
		"Retenu : carol@example.com — Gmail n'a pas accepté l'adresse et le mot de passe d'application (535 5.7.8)",
		"dan@example.com — impossible de lire le mot de passe d'application de " + ann + " dans le trousseau du système (il a refusé la demande)",
		"erin@example.com — mailkey n'a pas de compte " + ann,
	} {
		if !strings.Contains(all, want) {
			t.Errorf("queue %q, want %q", lines, want)
		}
	}
}
