package ui

import (
	"context"
	"testing"

	"github.com/mailkey-app/mailkey/app/account"
)

func TestAccountTransportChoice(t *testing.T) {
	h := newHarness(t)
	signInOAuth(t, h)
	s := openAccount(t, h, ann)
	if !accountShows(s.sending, s.transport) || s.transport.Disabled() || s.transport.Selected != transportChoices()[0].text {
		t.Fatalf("OAuth account: choice shown %v, disabled %v, selected %q", accountShows(s.sending, s.transport), s.transport.Disabled(), s.transport.Selected)
	}
	for _, want := range []string{account.TransportAPI, account.TransportSMTP, account.TransportAuto} {
		for _, c := range transportChoices() {
			if c.value == want {
				s.transport.SetSelected(c.text)
			}
		}
		h.settle()
		in, err := h.eng.Account(ann)
		if err != nil {
			t.Fatal(err)
		}
		if in.Transport != want || s.transport.Disabled() || s.note.Visible() {
			t.Fatalf("chose %q, saved %q (disabled %v, note %q)", want, in.Transport, s.transport.Disabled(), s.note.Text)
		}
	}
	// Reopening shows the saved choice.
	for _, c := range transportChoices() {
		if c.value == account.TransportAPI {
			s.transport.SetSelected(c.text)
		}
	}
	h.settle()
	s = openAccount(t, h, ann)
	if s.transport.Selected != transportChoices()[2].text {
		t.Fatalf("reopened with %q selected", s.transport.Selected)
	}
}

func TestAccountTransportAppPassword(t *testing.T) {
	h := newHarness(t)
	if _, err := h.eng.LoginAppPassword(context.Background(), ann, annShown, h.gm.SMTP.StartTLSURL()); err != nil {
		t.Fatal(err)
	}
	h.g.accountsChanged()
	h.settle()
	s := openAccount(t, h, ann)
	if accountShows(s.sending, s.transport) || !accountShows(s.sending, s.smtpOnly) {
		t.Fatal("an app-password account offers a choice of transport")
	}
}
