package ui

import (
	"context"
	"errors"
	"net"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/google"
	"github.com/mailkey-app/mailkey/app/secret"
)

// apTexts collects the texts of the labels, buttons and cards under o, in order.
func apTexts(o fyne.CanvasObject) []string {
	var out []string
	switch x := o.(type) {
	case *widget.Label:
		out = append(out, x.Text)
	case *widget.Button:
		out = append(out, x.Text)
	case *button:
		out = append(out, x.Text)
	case *widget.Card:
		out = append(out, x.Title, x.Subtitle)
		if x.Content != nil {
			out = append(out, apTexts(x.Content)...)
		}
	case *container.Scroll:
		out = append(out, apTexts(x.Content)...)
	case *widget.Accordion:
		for _, it := range x.Items {
			out = append(out, it.Title)
			out = append(out, apTexts(it.Detail)...)
		}
	case *fyne.Container:
		for _, c := range x.Objects {
			out = append(out, apTexts(c)...)
		}
	}
	return out
}

// apOpen shows the app-password wizard in h's window and returns it.
func apOpen(t *testing.T, h *harness, addr string) *appPasswordWizard {
	t.Helper()
	h.g.showAppPassword(addr)
	w, ok := h.g.stage.current.(*appPasswordWizard)
	if !ok || h.g.stage.name != "app-password" {
		t.Fatalf("screen %q (%T), want the app-password wizard", h.g.stage.name, h.g.stage.current)
	}
	return w
}

// apHintIs checks a hint's text and style.
func apHintIs(t *testing.T, what string, h *apHint, imp widget.Importance, want ...string) {
	t.Helper()
	for _, s := range want {
		if !strings.Contains(h.text.Text, s) {
			t.Errorf("%s hint %q lacks %q", what, h.text.Text, s)
		}
	}
	if h.text.Importance != imp {
		t.Errorf("%s hint %q has importance %v, want %v", what, h.text.Text, h.text.Importance, imp)
	}
}

func TestAppPasswordStepButtonsOpenGooglePages(t *testing.T) {
	h := newHarness(t)
	w := apOpen(t, h, "")
	page := strings.Join(apTexts(w.content()), "\n")
	for _, want := range []string{
		"1. Turn on 2-Step Verification", "2. Create an app password", "mailkey",
		"Gmail address", "App password", "Test and save", "work or school", "Advanced Protection", "security key",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	test.Tap(w.guide.openTwoStep)
	test.Tap(w.guide.openAppPasswords)
	if got, want := h.links(), []string{google.TwoStepURL, google.AppPasswordsURL}; !slices.Equal(got, want) {
		t.Fatalf("opened %q, want %q", got, want)
	}
	test.Tap(w.guide.useOAuth)
	if h.g.stage.name != "checklist" {
		t.Fatalf("'Set up OAuth instead' showed %q, want checklist", h.g.stage.name)
	}
}

func TestAppPasswordValidatesLive(t *testing.T) {
	h := newHarness(t)
	w := apOpen(t, h, "")
	apHintIs(t, "empty address", w.form.addressHint, widget.MediumImportance, "Gmail address")
	apHintIs(t, "empty password", w.form.passwordHint, widget.MediumImportance, "16 letters", "spaces are fine")
	if !w.check.save.Disabled() {
		t.Fatal("'Test and save' is enabled with empty fields")
	}

	test.Type(w.form.address, ann)
	apHintIs(t, "gmail address", w.form.addressHint, widget.SuccessImportance, "valid Gmail address")
	passwords := []struct {
		name, text string
		imp        widget.Importance
		want       []string
		ok         bool
	}{
		{"twelve letters", "abcd efgh ijkl", widget.DangerImportance, []string{"16 letters", "has 12"}, false},
		{"account password", "Correct-Horse-9!", widget.DangerImportance, []string{"account password"}, false},
		{"valid with spaces", annShown, widget.SuccessImportance, []string{"looks like an app password"}, true},
		{"valid typed", "ABCDEFGHIJKLMNOP", widget.SuccessImportance, []string{"looks like an app password"}, true},
		{"empty again", "", widget.MediumImportance, []string{"spaces are fine"}, false},
	}
	for _, p := range passwords {
		t.Run(p.name, func(t *testing.T) {
			w.form.password.SetText("")
			test.Type(w.form.password, p.text)
			apHintIs(t, "password", w.form.passwordHint, p.imp, p.want...)
			if w.check.save.Disabled() == p.ok {
				t.Errorf("'Test and save' disabled=%v, want %v", w.check.save.Disabled(), !p.ok)
			}
			if p.text != "" && strings.Contains(w.form.passwordHint.text.Text, p.text) {
				t.Error("the hint repeats what was typed")
			}
		})
	}

	w.form.password.SetText(annShown)
	addresses := []struct {
		name, text string
		imp        widget.Importance
		want       string
		ok         bool
	}{
		{"not an address", "ann at gmail", widget.DangerImportance, "not a valid email address", false},
		{"workspace", "ann@example.com", widget.WarningImportance, "Google Workspace", true},
		{"googlemail", "ann@googlemail.com", widget.SuccessImportance, "valid Gmail address", true},
		{"empty", "", widget.MediumImportance, "Gmail address", false},
		{"gmail", ann, widget.SuccessImportance, "valid Gmail address", true},
	}
	for _, a := range addresses {
		t.Run(a.name, func(t *testing.T) {
			w.form.address.SetText(a.text)
			apHintIs(t, "address", w.form.addressHint, a.imp, a.want)
			if w.check.save.Disabled() == a.ok {
				t.Errorf("'Test and save' disabled=%v, want %v", w.check.save.Disabled(), !a.ok)
			}
		})
	}
}

func TestAppPasswordReplacePrefillsAddress(t *testing.T) {
	h := newHarness(t)
	w := apOpen(t, h, ann)
	if w.form.address.Text != ann {
		t.Fatalf("address %q, want %q", w.form.address.Text, ann)
	}
	apHintIs(t, "address", w.form.addressHint, widget.SuccessImportance, "valid Gmail address")
	if page := strings.Join(apTexts(w.content()), "\n"); !strings.Contains(page, "Replace the app password") {
		t.Errorf("page title is not about replacing:\n%s", page)
	}
}

func TestAppPasswordSavesAccountAndOffersTestEmail(t *testing.T) {
	h := newHarness(t)
	w := apOpen(t, h, "")
	test.Type(w.form.address, ann)
	test.Type(w.form.password, annShown)
	// The local peer is typed under "Advanced: SMTP server", as a person would.
	test.Type(w.smtp.entry, "http://"+strings.TrimPrefix(h.gm.SMTP.StartTLSURL(), "smtp://"))
	if !w.check.save.Disabled() || w.smtp.hint.Importance != widget.DangerImportance {
		t.Fatalf("an http:// SMTP URL was accepted: %q", w.smtp.hint.Text)
	}
	w.smtp.entry.SetText(h.gm.SMTP.StartTLSURL())
	if w.check.save.Disabled() || !strings.Contains(w.smtp.hint.Text, "mailkey will use "+h.gm.SMTP.StartTLSURL()) {
		t.Fatalf("a valid SMTP URL: save disabled=%v, hint %q", w.check.save.Disabled(), w.smtp.hint.Text)
	}
	test.Tap(w.check.save)
	h.settle()

	if !w.done.box.Visible() || !strings.Contains(w.done.success.Text, ann) {
		t.Fatalf("no success message: %q (status %q, password hint %q)", w.done.success.Text, w.check.status.Text, w.form.passwordHint.text.Text)
	}
	if w.check.save.Disabled() || w.form.address.Disabled() || w.form.password.Disabled() || w.check.activity.Visible() || w.check.cancel.Visible() {
		t.Error("the form is still busy after the save")
	}
	list, err := h.eng.List()
	if err != nil || len(list) != 1 || list[0].Address != ann || list[0].Method != account.AppPassword {
		t.Fatalf("accounts %+v, %v; want %s with an app password", list, err, ann)
	}
	if pw, err := h.env.Secrets.Get(context.Background(), ann, secret.AppPassword); err != nil || pw != annPass {
		t.Fatalf("keyring: err %v, holds the normalized app password: %v", err, pw == annPass)
	}
	if len(h.g.sidebar.infos) != 1 || h.g.sidebar.infos[0].Address != ann {
		t.Fatalf("sidebar lists %+v, want %s", h.g.sidebar.infos, ann)
	}

	test.Tap(w.done.sendTest)
	h.settle()
	if h.g.stage.name != "compose" {
		t.Fatalf("'Send a test email to myself' showed %q, want compose", h.g.stage.name)
	}
}

func TestAppPasswordRejectedShowsAdviceUnderPassword(t *testing.T) {
	h := newHarness(t)
	w := apOpen(t, h, "")
	w.smtp.entry.SetText(h.gm.SMTP.StartTLSURL())
	const wrong = "zzzz zzzz zzzz zzzz"
	test.Type(w.form.address, ann)
	test.Type(w.form.password, wrong)
	test.Tap(w.check.save)
	h.settle()

	apHintIs(t, "password", w.form.passwordHint, widget.DangerImportance, "app password")
	apHintIs(t, "address", w.form.addressHint, widget.SuccessImportance, "valid Gmail address")
	if w.check.status.Text != "" {
		t.Errorf("status %q, want the error under the password only", w.check.status.Text)
	}
	if w.form.address.Text != ann || w.form.password.Text != wrong {
		t.Error("what was typed is gone")
	}
	if w.form.address.Disabled() || w.form.password.Disabled() || w.check.save.Disabled() || w.done.box.Visible() {
		t.Error("the form is not ready for another try")
	}
	for _, s := range apTexts(w.content()) {
		if strings.Contains(s, "zzzz") {
			t.Fatal("a label shows the app password")
		}
	}
	if list, err := h.eng.List(); err != nil || len(list) != 0 {
		t.Fatalf("accounts %+v, %v; want none", list, err)
	}
	if _, err := h.env.Secrets.Get(context.Background(), ann, secret.AppPassword); !errors.Is(err, secret.ErrNotFound) {
		t.Fatalf("keyring lookup: %v, want secret.ErrNotFound", err)
	}
}

// apSilentServer accepts connections and never answers, so a login waits
// until it is cancelled.
func apSilentServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		var conns []net.Conn
		defer func() {
			for _, c := range conns {
				_ = c.Close()
			}
		}()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns = append(conns, c)
		}
	}()
	t.Cleanup(func() { _ = ln.Close(); <-done })
	return "smtp://" + ln.Addr().String()
}

func TestAppPasswordCancelKeepsWhatWasTyped(t *testing.T) {
	h := newHarness(t)
	w := apOpen(t, h, "")
	w.smtp.entry.SetText(apSilentServer(t))
	test.Type(w.form.address, ann)
	test.Type(w.form.password, annShown)
	test.Tap(w.check.save)

	// The login now waits for a greeting that never comes.
	if !w.check.save.Disabled() || !w.form.address.Disabled() || !w.form.password.Disabled() {
		t.Error("the fields and the button are enabled while the test runs")
	}
	if !w.check.activity.Visible() || !w.check.cancel.Visible() || w.check.cancel.Disabled() {
		t.Error("no activity and Cancel button while the test runs")
	}
	test.Tap(w.check.cancel)
	h.settle()

	if w.check.status.Text != "Cancelled." {
		t.Errorf("status %q, want Cancelled.", w.check.status.Text)
	}
	if w.form.address.Text != ann || w.form.password.Text != annShown {
		t.Error("what was typed is gone")
	}
	if w.check.save.Disabled() || w.form.address.Disabled() || w.form.password.Disabled() || w.check.activity.Visible() || w.check.cancel.Visible() {
		t.Error("the form is still busy after Cancel")
	}
	if list, err := h.eng.List(); err != nil || len(list) != 0 {
		t.Fatalf("accounts %+v, %v; want none", list, err)
	}
}

func TestAppPasswordNetworkErrorShowsUnderButton(t *testing.T) {
	h := newHarness(t)
	w := apOpen(t, h, "")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	w.smtp.entry.SetText("smtp://" + ln.Addr().String())
	_ = ln.Close() // nothing listens there any more: the connection is refused
	test.Type(w.form.address, ann)
	test.Type(w.form.password, annShown)
	test.Tap(w.check.save)
	h.settle()

	if w.check.status.Importance != widget.DangerImportance || !strings.Contains(w.check.status.Text, "connect") {
		t.Errorf("status %q (importance %v), want the connection advice", w.check.status.Text, w.check.status.Importance)
	}
	apHintIs(t, "password", w.form.passwordHint, widget.SuccessImportance, "looks like an app password")
	apHintIs(t, "address", w.form.addressHint, widget.SuccessImportance, "valid Gmail address")
	if w.check.save.Disabled() || w.done.box.Visible() {
		t.Error("the form is not ready for another try")
	}
}
