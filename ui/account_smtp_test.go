package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
)

// TestAccountChangesSMTP: an app-password account's screen changes its SMTP
// server after a login there, and a server that refuses changes nothing
// (issue 11, defect 5: "try the other port" had no control behind it).
func TestAccountChangesSMTP(t *testing.T) {
	h := newHarness(t)
	composeLoginAnn(t, h)
	s := openAccount(t, h, ann)
	if s.smtp.change.Disabled() || !s.smtp.change.Visible() {
		t.Fatal("no Change… button next to the SMTP server")
	}
	test.Tap(s.smtp.change)
	if !s.smtp.box.Visible() || s.smtp.entry.Text != h.gm.SMTP.StartTLSURL() {
		t.Fatalf("the field shows %q (open %v)", s.smtp.entry.Text, s.smtp.box.Visible())
	}

	s.smtp.entry.SetText("smtp://127.0.0.1:1") // nothing listens there
	test.Tap(s.smtp.save)
	h.settle()
	if in, _ := h.eng.Account(ann); in.SMTP != h.gm.SMTP.StartTLSURL() {
		t.Fatalf("a refused server was saved: %q", in.SMTP)
	}
	if !strings.Contains(s.smtp.result.Text, "Nothing was changed.") {
		t.Errorf("result %q", s.smtp.result.Text)
	}

	smtps := h.gm.SMTP.ImplicitTLSURL()
	s.smtp.entry.SetText(smtps)
	test.Tap(s.smtp.save)
	h.settle()
	if in, _ := h.eng.Account(ann); in.SMTP != smtps {
		t.Fatalf("saved %q, want %s", in.SMTP, smtps)
	}
	if s.smtp.box.Visible() || !strings.HasPrefix(s.smtp.result.Text, "Saved") {
		t.Errorf("after saving: open %v, result %q", s.smtp.box.Visible(), s.smtp.result.Text)
	}
	if !strings.Contains(s.details.server.Text, "(TLS)") {
		t.Errorf("the account shows %q", s.details.server.Text)
	}
}
