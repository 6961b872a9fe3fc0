package ui

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/mailkey-app/mailkey/app/account"
)

// A verified Send mail as address of an OAuth account is offered in From,
// and a message from it goes out through the account that owns it.
func TestComposeOffersAliases(t *testing.T) {
	h := newHarness(t)
	signInOAuth(t, h)
	if err := h.env.Accounts.Modify(ann, func(a *account.Account) { a.SendAs = []string{"ann@example.com"} }); err != nil {
		t.Fatal(err)
	}
	c := openCompose(t, h, ann, false)
	if !slices.Equal(c.from.choice.Options, []string{ann, "ann@example.com"}) {
		t.Fatalf("From offers %q", c.from.choice.Options)
	}
	if c.from.note.Visible() {
		t.Errorf("an OAuth account got the app-password note %q", c.from.note.Text)
	}
	c.from.choice.SetSelected("ann@example.com")
	test.Type(c.rcpt.to, "bob@example.com")
	test.Type(c.subject, "hello")
	test.Tap(c.sending.send)
	h.settle()
	msgs := h.gm.SMTP.Messages()
	if len(msgs) != 1 || msgs[0].From != "ann@example.com" || msgs[0].User != ann || msgs[0].Mech != "XOAUTH2" {
		t.Fatalf("peer received %+v", msgs)
	}
}

// An app-password account offers only its own address, and From says why.
func TestComposeAppPasswordFromNote(t *testing.T) {
	h := newHarness(t)
	composeLoginAnn(t, h)
	c := openCompose(t, h, ann, false)
	if !slices.Equal(c.from.choice.Options, []string{ann}) {
		t.Fatalf("From offers %q", c.from.choice.Options)
	}
	if !c.from.note.Visible() || !strings.Contains(c.from.note.Text, "app password cannot list") {
		t.Errorf("From note %q (shown %v)", c.from.note.Text, c.from.note.Visible())
	}
}
