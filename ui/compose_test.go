package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"github.com/emersion/go-smtp"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/google"
)

// composeLoginAnn adds ann's app-password account, pointed at the local SMTP peer.
func composeLoginAnn(t *testing.T, h *harness) {
	t.Helper()
	if _, err := h.eng.LoginAppPassword(context.Background(), ann, annShown, h.gm.SMTP.StartTLSURL()); err != nil {
		t.Fatalf("LoginAppPassword: %v", err)
	}
	h.g.accountsChanged()
	h.settle()
}

// openCompose shows the compose pane and waits for the accounts to load.
func openCompose(t *testing.T, h *harness, from string, testToSelf bool) *compose {
	t.Helper()
	h.g.showCompose(from, testToSelf)
	h.settle()
	c, ok := h.g.stage.current.(*compose)
	if !ok {
		t.Fatalf("current screen is %T, want *compose", h.g.stage.current)
	}
	return c
}

// composeWriteFile creates a file with content in a temporary directory.
func composeWriteFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestComposeSendsWithAttachment(t *testing.T) {
	h := newHarness(t)
	composeLoginAnn(t, h)
	c := openCompose(t, h, ann, false)
	if c.from.choice.Selected != ann {
		t.Fatalf("From = %q, want %q", c.from.choice.Selected, ann)
	}
	if c.sending.send.Disabled() {
		t.Fatal("Send is disabled with an account selected")
	}
	test.Type(c.rcpt.to, "Bob <bob@example.com>")
	test.Type(c.subject, "Quarterly report")
	test.Type(c.body, "Here it is.")
	path := composeWriteFile(t, "report.txt", "hello attachment\n")
	c.onDropped([]fyne.URI{storage.NewFileURI(path)})
	h.settle()

	if len(c.attach.rows) != 1 {
		t.Fatalf("%d attachment rows, want 1", len(c.attach.rows))
	}
	if got := c.attach.rows[0].name.Text; got != "report.txt" {
		t.Errorf("attachment name %q", got)
	}
	if got := c.attach.rows[0].size.Text; got != "17 bytes" {
		t.Errorf("attachment size %q, want 17 bytes", got)
	}

	test.Tap(c.sending.send)
	h.settle()

	msgs := h.gm.SMTP.Messages()
	if len(msgs) != 1 {
		t.Fatalf("peer received %d messages, want 1 (result %q)", len(msgs), c.sending.result.Text)
	}
	data := string(msgs[0].Data)
	if !strings.Contains(data, "report.txt") || !strings.Contains(data, "Quarterly report") {
		t.Errorf("received message lacks the attachment or subject:\n%s", data)
	}
	if len(msgs[0].To) != 1 || msgs[0].To[0] != "bob@example.com" {
		t.Errorf("RCPT TO %v", msgs[0].To)
	}
	if !c.sending.result.Visible() || !strings.HasPrefix(c.sending.result.Text, "Sent. Message-ID: <") {
		t.Fatalf("result %q (visible %v), want Sent. Message-ID", c.sending.result.Text, c.sending.result.Visible())
	}
	id, transport, _ := strings.Cut(strings.TrimPrefix(c.sending.result.Text, "Sent. Message-ID: "), "\n")
	if transport != "Transport: SMTP" {
		t.Errorf("result names the transport as %q", transport)
	}
	if !strings.Contains(data, "Message-ID: "+id) {
		t.Errorf("shown Message-ID %s not in the received message", id)
	}
	for name, e := range map[string]string{"To": c.rcpt.to.Text, "Cc": c.rcpt.cc.Text, "Bcc": c.rcpt.bcc.Text, "Subject": c.subject.Text, "Body": c.body.Text} {
		if e != "" {
			t.Errorf("%s not cleared after sending: %q", name, e)
		}
	}
	if len(c.attach.files) != 0 || len(c.attach.rows) != 0 {
		t.Errorf("attachments not cleared: %d files, %d rows", len(c.attach.files), len(c.attach.rows))
	}
	if c.from.choice.Selected != ann {
		t.Errorf("From changed to %q after sending", c.from.choice.Selected)
	}
	if c.sending.transcript.Visible() || c.sending.cancel.Visible() || c.sending.activity.Visible() || c.sending.send.Disabled() {
		t.Error("the form is not back to its idle state")
	}
}

func TestComposeFailedSendKeepsDraft(t *testing.T) {
	h := newHarness(t)
	composeLoginAnn(t, h)
	h.gm.SMTP.SetReplyFault(func(stage string) error {
		if stage == "data" {
			return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 4, 5}, Message: "Daily user sending limit exceeded."}
		}
		return nil
	})
	c := openCompose(t, h, ann, false)
	c.rcpt.to.SetText("bob@example.com")
	c.rcpt.cc.SetText("carol@example.com")
	c.rcpt.bcc.SetText("dave@example.com")
	c.subject.SetText("Minutes")
	c.body.SetText("See the attachment.")
	path := composeWriteFile(t, "minutes.txt", "minutes")
	c.attach.addFiles([]string{path})
	h.settle()

	test.Tap(c.sending.send)
	h.settle()

	if n := len(h.gm.SMTP.Messages()); n != 0 {
		t.Fatalf("peer recorded %d messages", n)
	}
	if !c.sending.result.Visible() || !strings.Contains(c.sending.result.Text, "daily sending limit") || !strings.Contains(c.sending.result.Text, "24 hours") {
		t.Fatalf("result %q, want the daily-limit advice", c.sending.result.Text)
	}
	want := map[string][2]string{
		"To": {c.rcpt.to.Text, "bob@example.com"}, "Cc": {c.rcpt.cc.Text, "carol@example.com"}, "Bcc": {c.rcpt.bcc.Text, "dave@example.com"},
		"Subject": {c.subject.Text, "Minutes"}, "Body": {c.body.Text, "See the attachment."},
	}
	for name, v := range want {
		if v[0] != v[1] {
			t.Errorf("%s = %q after the failure, want %q", name, v[0], v[1])
		}
	}
	if c.from.choice.Selected != ann {
		t.Errorf("From = %q", c.from.choice.Selected)
	}
	if len(c.attach.rows) != 1 || c.attach.rows[0].name.Text != "minutes.txt" {
		t.Errorf("attachment lost: %d rows", len(c.attach.rows))
	}
	if !c.sending.transcript.Visible() || len(c.sending.transcript.Items) != 1 {
		t.Fatal("no transcript offered")
	}
	tr := c.sending.transcriptText.Text
	if !strings.Contains(tr, "MAIL FROM") {
		t.Errorf("transcript lacks MAIL FROM:\n%s", tr)
	}
	if strings.Contains(tr, annPass) || strings.Contains(tr, annShown) {
		t.Error("transcript shows the app password")
	}
	if c.sending.send.Disabled() || c.rcpt.to.Disabled() || c.attach.rows[0].remove.Disabled() {
		t.Error("the form stays disabled after the failure")
	}

	// The kept draft goes out once the server accepts it again.
	h.gm.SMTP.SetReplyFault(nil)
	test.Tap(c.sending.send)
	h.settle()
	if msgs := h.gm.SMTP.Messages(); len(msgs) != 1 || !strings.Contains(string(msgs[0].Data), "minutes.txt") {
		t.Fatalf("retry: peer received %d messages, result %q", len(msgs), c.sending.result.Text)
	}
}

func TestComposeInvalidToShowsErrorNextToTo(t *testing.T) {
	h := newHarness(t)
	composeLoginAnn(t, h)
	c := openCompose(t, h, ann, false)
	test.Type(c.rcpt.to, "bob at example")
	c.subject.SetText("Hello")
	test.Tap(c.sending.send)
	h.settle()

	if !c.rcpt.toErr.Visible() || !strings.Contains(c.rcpt.toErr.Text, "To field") {
		t.Fatalf("To error %q (visible %v)", c.rcpt.toErr.Text, c.rcpt.toErr.Visible())
	}
	if c.rcpt.ccErr.Visible() || c.rcpt.bccErr.Visible() || c.sending.result.Visible() {
		t.Error("an error shows elsewhere than next to To")
	}
	if n := len(h.gm.SMTP.Messages()); n != 0 {
		t.Fatalf("peer received %d messages", n)
	}
	if c.rcpt.to.Text != "bob at example" || c.subject.Text != "Hello" {
		t.Error("the draft changed")
	}

	// With no recipient at all, the advice shows next to To as well.
	c.rcpt.to.SetText("")
	test.Tap(c.sending.send)
	h.settle()
	if !c.rcpt.toErr.Visible() || !strings.Contains(c.rcpt.toErr.Text, "recipient") {
		t.Fatalf("To error %q, want the no-recipient advice", c.rcpt.toErr.Text)
	}
}

func TestComposeTestEmailToSelf(t *testing.T) {
	h := newHarness(t)
	composeLoginAnn(t, h)
	c := openCompose(t, h, ann, true)
	if c.rcpt.to.Text != ann || c.from.choice.Selected != ann {
		t.Fatalf("To %q From %q, want %s", c.rcpt.to.Text, c.from.choice.Selected, ann)
	}
	if c.subject.Text != "mailkey test" || !strings.Contains(c.body.Text, ann) {
		t.Fatalf("subject %q body %q", c.subject.Text, c.body.Text)
	}
	test.Tap(c.sending.send)
	h.settle()
	msgs := h.gm.SMTP.Messages()
	if len(msgs) != 1 || len(msgs[0].To) != 1 || msgs[0].To[0] != ann {
		t.Fatalf("peer received %+v", msgs)
	}
	if !strings.Contains(c.sending.result.Text, "Sent.") || !strings.Contains(c.sending.result.Text, "Arrived in your Inbox after") {
		t.Errorf("result %q", c.sending.result.Text)
	}
}

func TestComposeWarnsOverGmailLimit(t *testing.T) {
	h := newHarness(t)
	// A Gmail account, never contacted: the warning needs no network.
	if err := h.env.Accounts.Put(account.Account{Address: ann, Method: account.AppPassword, SMTP: google.DefaultSMTP}); err != nil {
		t.Fatal(err)
	}
	c := openCompose(t, h, ann, false)
	big := filepath.Join(t.TempDir(), "video.mp4")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(27_000_000); err != nil { // sparse: 27 MB raw is about 37 MB encoded
		t.Fatal(err)
	}
	_ = f.Close()
	c.onDropped([]fyne.URI{storage.NewFileURI(big)})
	h.settle()

	if len(c.attach.rows) != 1 || c.attach.rows[0].size.Text != "27.0 MB" {
		t.Fatalf("rows %d, size %q", len(c.attach.rows), c.attach.rows[0].size.Text)
	}
	if !c.attach.sizeWarn.Visible() || !strings.Contains(c.attach.sizeWarn.Text, "25 MB") {
		t.Fatalf("warning %q (visible %v)", c.attach.sizeWarn.Text, c.attach.sizeWarn.Visible())
	}
	test.Tap(c.attach.rows[0].remove)
	if len(c.attach.files) != 0 || len(c.attach.rows) != 0 || c.attach.sizeWarn.Visible() {
		t.Fatal("removing the attachment left it or its warning")
	}

	// A folder or a missing file cannot be attached.
	c.onDropped([]fyne.URI{storage.NewFileURI(t.TempDir()), storage.NewFileURI(filepath.Join(t.TempDir(), "gone.txt"))})
	h.settle()
	if len(c.attach.files) != 0 || !c.attach.err.Visible() || !strings.Contains(c.attach.err.Text, "folder") || !strings.Contains(c.attach.err.Text, "gone.txt") {
		t.Fatalf("files %d, error %q", len(c.attach.files), c.attach.err.Text)
	}
}
