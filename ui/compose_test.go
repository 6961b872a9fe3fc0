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
	c, ok := h.g.current.(*compose)
	if !ok {
		t.Fatalf("current screen is %T, want *compose", h.g.current)
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
	if c.from.Selected != ann {
		t.Fatalf("From = %q, want %q", c.from.Selected, ann)
	}
	if c.send.Disabled() {
		t.Fatal("Send is disabled with an account selected")
	}
	test.Type(c.to, "Bob <bob@example.com>")
	test.Type(c.subject, "Quarterly report")
	test.Type(c.body, "Here it is.")
	path := composeWriteFile(t, "report.txt", "hello attachment\n")
	c.onDropped([]fyne.URI{storage.NewFileURI(path)})
	h.settle()

	if len(c.rows) != 1 {
		t.Fatalf("%d attachment rows, want 1", len(c.rows))
	}
	if got := c.rows[0].name.Text; got != "report.txt" {
		t.Errorf("attachment name %q", got)
	}
	if got := c.rows[0].size.Text; got != "17 bytes" {
		t.Errorf("attachment size %q, want 17 bytes", got)
	}

	test.Tap(c.send)
	h.settle()

	msgs := h.gm.SMTP.Messages()
	if len(msgs) != 1 {
		t.Fatalf("peer received %d messages, want 1 (result %q)", len(msgs), c.result.Text)
	}
	data := string(msgs[0].Data)
	if !strings.Contains(data, "report.txt") || !strings.Contains(data, "Quarterly report") {
		t.Errorf("received message lacks the attachment or subject:\n%s", data)
	}
	if len(msgs[0].To) != 1 || msgs[0].To[0] != "bob@example.com" {
		t.Errorf("RCPT TO %v", msgs[0].To)
	}
	if !c.result.Visible() || !strings.HasPrefix(c.result.Text, "Sent. Message-ID: <") {
		t.Fatalf("result %q (visible %v), want Sent. Message-ID", c.result.Text, c.result.Visible())
	}
	id, transport, _ := strings.Cut(strings.TrimPrefix(c.result.Text, "Sent. Message-ID: "), "\n")
	if transport != "Transport: SMTP" {
		t.Errorf("result names the transport as %q", transport)
	}
	if !strings.Contains(data, "Message-ID: "+id) {
		t.Errorf("shown Message-ID %s not in the received message", id)
	}
	for name, e := range map[string]string{"To": c.to.Text, "Cc": c.cc.Text, "Bcc": c.bcc.Text, "Subject": c.subject.Text, "Body": c.body.Text} {
		if e != "" {
			t.Errorf("%s not cleared after sending: %q", name, e)
		}
	}
	if len(c.files) != 0 || len(c.rows) != 0 {
		t.Errorf("attachments not cleared: %d files, %d rows", len(c.files), len(c.rows))
	}
	if c.from.Selected != ann {
		t.Errorf("From changed to %q after sending", c.from.Selected)
	}
	if c.transcript.Visible() || c.cancel.Visible() || c.activity.Visible() || c.send.Disabled() {
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
	c.to.SetText("bob@example.com")
	c.cc.SetText("carol@example.com")
	c.bcc.SetText("dave@example.com")
	c.subject.SetText("Minutes")
	c.body.SetText("See the attachment.")
	path := composeWriteFile(t, "minutes.txt", "minutes")
	c.addFiles([]string{path})
	h.settle()

	test.Tap(c.send)
	h.settle()

	if n := len(h.gm.SMTP.Messages()); n != 0 {
		t.Fatalf("peer recorded %d messages", n)
	}
	if !c.result.Visible() || !strings.Contains(c.result.Text, "daily sending limit") || !strings.Contains(c.result.Text, "24 hours") {
		t.Fatalf("result %q, want the daily-limit advice", c.result.Text)
	}
	want := map[string][2]string{
		"To": {c.to.Text, "bob@example.com"}, "Cc": {c.cc.Text, "carol@example.com"}, "Bcc": {c.bcc.Text, "dave@example.com"},
		"Subject": {c.subject.Text, "Minutes"}, "Body": {c.body.Text, "See the attachment."},
	}
	for name, v := range want {
		if v[0] != v[1] {
			t.Errorf("%s = %q after the failure, want %q", name, v[0], v[1])
		}
	}
	if c.from.Selected != ann {
		t.Errorf("From = %q", c.from.Selected)
	}
	if len(c.rows) != 1 || c.rows[0].name.Text != "minutes.txt" {
		t.Errorf("attachment lost: %d rows", len(c.rows))
	}
	if !c.transcript.Visible() || len(c.transcript.Items) != 1 {
		t.Fatal("no transcript offered")
	}
	tr := c.transcriptText.Text
	if !strings.Contains(tr, "MAIL FROM") {
		t.Errorf("transcript lacks MAIL FROM:\n%s", tr)
	}
	if strings.Contains(tr, annPass) || strings.Contains(tr, annShown) {
		t.Error("transcript shows the app password")
	}
	if c.send.Disabled() || c.to.Disabled() || c.rows[0].remove.Disabled() {
		t.Error("the form stays disabled after the failure")
	}

	// The kept draft goes out once the server accepts it again.
	h.gm.SMTP.SetReplyFault(nil)
	test.Tap(c.send)
	h.settle()
	if msgs := h.gm.SMTP.Messages(); len(msgs) != 1 || !strings.Contains(string(msgs[0].Data), "minutes.txt") {
		t.Fatalf("retry: peer received %d messages, result %q", len(msgs), c.result.Text)
	}
}

func TestComposeInvalidToShowsErrorNextToTo(t *testing.T) {
	h := newHarness(t)
	composeLoginAnn(t, h)
	c := openCompose(t, h, ann, false)
	test.Type(c.to, "bob at example")
	c.subject.SetText("Hello")
	test.Tap(c.send)
	h.settle()

	if !c.toErr.Visible() || !strings.Contains(c.toErr.Text, "To field") {
		t.Fatalf("To error %q (visible %v)", c.toErr.Text, c.toErr.Visible())
	}
	if c.ccErr.Visible() || c.bccErr.Visible() || c.result.Visible() {
		t.Error("an error shows elsewhere than next to To")
	}
	if n := len(h.gm.SMTP.Messages()); n != 0 {
		t.Fatalf("peer received %d messages", n)
	}
	if c.to.Text != "bob at example" || c.subject.Text != "Hello" {
		t.Error("the draft changed")
	}

	// With no recipient at all, the advice shows next to To as well.
	c.to.SetText("")
	test.Tap(c.send)
	h.settle()
	if !c.toErr.Visible() || !strings.Contains(c.toErr.Text, "recipient") {
		t.Fatalf("To error %q, want the no-recipient advice", c.toErr.Text)
	}
}

func TestComposeTestEmailToSelf(t *testing.T) {
	h := newHarness(t)
	composeLoginAnn(t, h)
	c := openCompose(t, h, ann, true)
	if c.to.Text != ann || c.from.Selected != ann {
		t.Fatalf("To %q From %q, want %s", c.to.Text, c.from.Selected, ann)
	}
	if c.subject.Text != "mailkey test" || !strings.Contains(c.body.Text, ann) {
		t.Fatalf("subject %q body %q", c.subject.Text, c.body.Text)
	}
	test.Tap(c.send)
	h.settle()
	msgs := h.gm.SMTP.Messages()
	if len(msgs) != 1 || len(msgs[0].To) != 1 || msgs[0].To[0] != ann {
		t.Fatalf("peer received %+v", msgs)
	}
	if !strings.Contains(c.result.Text, "Sent.") || !strings.Contains(c.result.Text, "Arrived in your Inbox after") {
		t.Errorf("result %q", c.result.Text)
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

	if len(c.rows) != 1 || c.rows[0].size.Text != "27.0 MB" {
		t.Fatalf("rows %d, size %q", len(c.rows), c.rows[0].size.Text)
	}
	if !c.sizeWarn.Visible() || !strings.Contains(c.sizeWarn.Text, "25 MB") {
		t.Fatalf("warning %q (visible %v)", c.sizeWarn.Text, c.sizeWarn.Visible())
	}
	test.Tap(c.rows[0].remove)
	if len(c.files) != 0 || len(c.rows) != 0 || c.sizeWarn.Visible() {
		t.Fatal("removing the attachment left it or its warning")
	}

	// A folder or a missing file cannot be attached.
	c.onDropped([]fyne.URI{storage.NewFileURI(t.TempDir()), storage.NewFileURI(filepath.Join(t.TempDir(), "gone.txt"))})
	h.settle()
	if len(c.files) != 0 || !c.fileErr.Visible() || !strings.Contains(c.fileErr.Text, "folder") || !strings.Contains(c.fileErr.Text, "gone.txt") {
		t.Fatalf("files %d, error %q", len(c.files), c.fileErr.Text)
	}
}
