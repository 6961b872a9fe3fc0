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
	if !accountShows(s.transport.box, s.transport.choice) || s.transport.choice.Disabled() || s.transport.choice.Selected != transportChoices()[0].text {
		t.Fatalf("OAuth account: choice shown %v, disabled %v, selected %q", accountShows(s.transport.box, s.transport.choice), s.transport.choice.Disabled(), s.transport.choice.Selected)
	}
	for _, want := range []string{account.TransportAPI, account.TransportSMTP, account.TransportAuto} {
		for _, c := range transportChoices() {
			if c.value == want {
				s.transport.choice.SetSelected(c.text)
			}
		}
		h.settle()
		in, err := h.eng.Account(ann)
		if err != nil {
			t.Fatal(err)
		}
		if in.Transport != want || s.transport.choice.Disabled() || s.note.Visible() {
			t.Fatalf("chose %q, saved %q (disabled %v, note %q)", want, in.Transport, s.transport.choice.Disabled(), s.note.Text)
		}
	}
	// Reopening shows the saved choice.
	for _, c := range transportChoices() {
		if c.value == account.TransportAPI {
			s.transport.choice.SetSelected(c.text)
		}
	}
	h.settle()
	s = openAccount(t, h, ann)
	if s.transport.choice.Selected != transportChoices()[2].text {
		t.Fatalf("reopened with %q selected", s.transport.choice.Selected)
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
	if accountShows(s.transport.box, s.transport.choice) || !accountShows(s.transport.box, s.transport.smtpOnly) {
		t.Fatal("an app-password account offers a choice of transport")
	}
}
