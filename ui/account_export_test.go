package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/mailkey-app/mailkey/app/account"
)

// shownTexts returns the text of every label, entry and button on the screen.
func shownTexts(o fyne.CanvasObject) string {
	var texts []string
	walk(o, func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *widget.Label:
			texts = append(texts, x.Text)
		case *widget.Entry:
			texts = append(texts, x.Text)
		case *entry:
			texts = append(texts, x.Text)
		case *widget.Button:
			texts = append(texts, x.Text)
		case *button:
			texts = append(texts, x.Text)
		}
	})
	return strings.Join(texts, "\n")
}

func TestExportPanelAppPassword(t *testing.T) {
	h := newHarness(t)
	composeLoginAnn(t, h)
	s := openAccount(t, h, ann)
	p := s.export
	if !p.root.Visible() {
		t.Fatal("the panel is hidden")
	}
	p.root.Open(0)

	want := map[string]string{"Server": "127.0.0.1", "Security": "STARTTLS", "Username": ann, "Port": ""}
	for label, v := range want {
		got, ok := p.value[label]
		if !ok || got.Text == "" || (v != "" && got.Text != v) {
			t.Errorf("%s shows %v, want %q", label, got, v)
		}
	}
	if port := p.value["Port"].Text; !strings.HasSuffix(h.gm.SMTP.StartTLSURL(), ":"+port) {
		t.Errorf("port %q is not the peer's (%s)", port, h.gm.SMTP.StartTLSURL())
	}

	test.Tap(p.copy["Server"])
	if got := h.app.Clipboard().Content(); got != "127.0.0.1" {
		t.Fatalf("clipboard holds %q after copying the server", got)
	}
	test.Tap(p.copy["Username"])
	if got := h.app.Clipboard().Content(); got != ann {
		t.Fatalf("clipboard holds %q after copying the username", got)
	}

	if !strings.Contains(p.msmtp.Text, "auth plain") || !strings.Contains(p.msmtp.Text, "secret-tool lookup service mailkey username "+ann+"/app-password") {
		t.Errorf("msmtp block:\n%s", p.msmtp.Text)
	}
	test.Type(p.msmtp, "x")
	if p.msmtp.Text != p.msmtpText {
		t.Error("the msmtp block can be edited")
	}
	test.Tap(p.copyMSMTP)
	if got := h.app.Clipboard().Content(); got != p.msmtp.Text {
		t.Fatalf("clipboard holds %q, want the msmtp block", got)
	}

	if !p.copyPassword.Visible() || strings.Contains(shownTexts(s.root), annPass) {
		t.Fatal("the app password is on show, or cannot be copied")
	}
	test.Tap(p.copyPassword)
	h.settle()
	if got := h.app.Clipboard().Content(); got != annPass {
		t.Fatalf("clipboard holds %q after Copy app password", got)
	}
	if texts := shownTexts(s.root); strings.Contains(texts, annPass) || !strings.Contains(texts, "App password copied") {
		t.Fatalf("after copying, the screen shows:\n%s", texts)
	}
}

func TestExportPanelOAuth(t *testing.T) {
	h := newHarness(t)
	err := h.env.Accounts.Put(account.Account{
		Address: ann, Method: account.OAuth, Publishing: account.Production,
		SignedInAt: time.Now(), SMTP: h.gm.SMTP.ImplicitTLSURL(),
	})
	if err != nil {
		t.Fatal(err)
	}
	s := openAccount(t, h, ann)
	p := s.export
	if p.value["Security"].Text != "SSL/TLS" || p.copyPassword.Visible() {
		t.Fatalf("security %q, copy app password visible %v", p.value["Security"].Text, p.copyPassword.Visible())
	}
	if !strings.Contains(p.password.Text, "own OAuth client") || !strings.Contains(p.password.Text, "mailkey token "+ann) {
		t.Errorf("password note %q", p.password.Text)
	}
	if !strings.Contains(p.msmtp.Text, `passwordeval "mailkey token `+ann+`"`) || !strings.Contains(p.msmtp.Text, "tls_starttls off") {
		t.Errorf("msmtp block:\n%s", p.msmtp.Text)
	}
}
