package e2e

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// savedAccount reads one account from the app's accounts file.
func (s *session) savedAccount(addr string) map[string]any {
	s.t.Helper()
	b, err := os.ReadFile(filepath.Join(s.dir, "accounts.json"))
	if err != nil {
		s.t.Fatalf("read accounts: %v", err)
	}
	var file struct {
		Accounts []map[string]any `json:"accounts"`
	}
	if err := json.Unmarshal(b, &file); err != nil {
		s.t.Fatalf("accounts.json: %v\n%s", err, b)
	}
	for _, a := range file.Accounts {
		if strings.EqualFold(a["address"].(string), addr) {
			return a
		}
	}
	s.t.Fatalf("no account %s in %s", addr, b)
	return nil
}

// addAppPasswordAccount saves the test user with an app password through the
// command line, on the given SMTP server of the stand-in.
func (s *session) addAppPasswordAccount(smtpURL string) {
	s.cli(annShown+"\n", "login", "--app-password", "--email", ann, "--smtp", smtpURL)
}

// addOAuthAccount signs the test user in with OAuth through the command line,
// the stand-in browser following the link.
func (s *session) addOAuthAccount(smtpURL string) {
	s.t.Helper()
	cmd := exec.Command(cliBin, "login", "--client-secret", s.gm.ClientFile, "--smtp", smtpURL, "--timeout", "30s")
	cmd.Env = s.env()
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	s.follow()
	if err := cmd.Wait(); err != nil {
		s.t.Fatalf("mailkey login: %v\n%s", err, out.String())
	}
}

// TestNoDisplay: without a graphical session the app says so in one sentence
// and exits with 1 (defect 11: a Go stack trace and exit 2).
func TestNoDisplay(t *testing.T) {
	s := newSession(t)
	// mailkey without arguments starts mailkey-app from beside it: both say it.
	for _, bin := range []string{guiBin, cliBin} {
		cmd := exec.Command(bin)
		cmd.Env = append(s.env(), "DISPLAY=", "WAYLAND_DISPLAY=")
		out, err := cmd.CombinedOutput()
		code := -1
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err == nil {
			code = 0
		}
		text := strings.TrimSpace(string(out))
		if code != 1 || strings.Contains(text, "goroutine") || strings.Count(text, "\n") > 0 ||
			!strings.Contains(text, "graphical") || !strings.Contains(text, "mailkey help") {
			t.Fatalf("%s: exit %d, output:\n%s\nwant exit 1 and one sentence about the graphical session and the commands", filepath.Base(bin), code, text)
		}
	}
}

// TestAppPasswordSetupKeyboardOnly goes from the empty first screen to a test
// email that arrives, with the keyboard only.
func TestAppPasswordSetupKeyboardOnly(t *testing.T) {
	s := newSession(t)
	s.start()
	s.waitTitle("Add an account")
	s.key("space") // the focused primary action: Use an app password
	s.waitTitle("App password")
	s.typeText(ann) // the focus starts in the address
	s.key("Tab")
	s.typeText(annShown)
	s.key("Tab", "space") // Advanced: SMTP server opens, and takes the focus
	s.typeText(s.gm.SMTP.StartTLSURL())
	s.key("Return") // submits the form: Test and save
	s.waitTitle("App password")
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if _, err := os.Stat(filepath.Join(s.dir, "accounts.json")); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if a := s.savedAccount(ann); a["method"] != "app-password" {
		t.Fatalf("saved %v", a)
	}
	s.settle()
	s.key("space") // the focus moved to "Send a test email to myself"
	s.waitTitle("New message")
	s.key("Return") // Send has the focus
	msgs := s.waitMessages(1)
	if msgs[0].From != ann || len(msgs[0].To) != 1 || msgs[0].To[0] != ann {
		t.Fatalf("the stand-in received from %s to %v", msgs[0].From, msgs[0].To)
	}
}

// TestComposeAttachSendAndBack writes a message with To, Cc and Bcc, attaches
// a file through Ctrl+O and the file dialog, sends with Ctrl+Enter, checks
// what arrives, and goes back to the account with Escape.
func TestComposeAttachSendAndBack(t *testing.T) {
	s := newSession(t)
	s.addAppPasswordAccount(s.gm.SMTP.StartTLSURL())
	attachment := []byte("mailkey attachment test\x00\x01\x02 binary bytes\n")
	if err := os.MkdirAll(s.home, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(s.home, "report.bin"), attachment, 0o600); err != nil {
		t.Fatal(err)
	}
	s.start()
	s.waitTitle(ann)
	s.key("ctrl+n")
	s.waitTitle("New message")
	s.typeText("bob@example.com") // Compose opens with the focus in To
	s.key("Tab")
	s.typeText("cc@example.com")
	s.key("Tab")
	s.typeText("bcc@example.com")
	s.key("Tab")
	s.typeText("Quarterly report")
	s.key("Tab")
	s.typeText("Hello Bob,")
	s.key("Tab") // leaves Message instead of typing a tab into it
	s.key("ctrl+o")
	s.chooseInFileDialog("report.bin")
	s.key("ctrl+Return")
	msgs := s.waitMessages(1)
	m := msgs[0]
	if got := strings.Join(m.To, ","); got != "bob@example.com,cc@example.com,bcc@example.com" {
		t.Errorf("RCPT TO %s", got)
	}
	parsed, err := mail.ReadMessage(bytes.NewReader(m.Data))
	if err != nil {
		t.Fatal(err)
	}
	if h := parsed.Header; h.Get("Bcc") != "" || !strings.Contains(h.Get("Cc"), "cc@example.com") || h.Get("Subject") != "Quarterly report" {
		t.Errorf("headers: %v", h)
	}
	if raw := string(m.Data); !strings.Contains(raw, "Hello Bob,") || strings.Contains(raw, "Hello Bob,\t") || strings.Contains(raw, "Hello Bob,=09") {
		t.Errorf("the message text is not %q: Tab typed into it instead of moving on", "Hello Bob,")
	}
	if got := attachmentOf(t, parsed, "report.bin"); !bytes.Equal(got, attachment) {
		t.Errorf("attachment arrived as %q, want %q", got, attachment)
	}
	s.key("Escape")
	s.waitTitle(ann)
}

// chooseInFileDialog picks name in Fyne's file dialog, which opens in the
// home folder: it types the name into the dialog's filter and opens the file.
func (s *session) chooseInFileDialog(name string) {
	s.t.Helper()
	s.waitTitle("New message")
	time.Sleep(500 * time.Millisecond)
	// The dialog lists the home folder; the file is its only entry.
	s.clickFileEntry()
}

// attachmentOf returns the decoded body of the part named name.
func attachmentOf(t *testing.T, m *mail.Message, name string) []byte {
	t.Helper()
	_, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil {
		t.Fatal(err)
	}
	r := multipart.NewReader(m.Body, params["boundary"])
	for {
		p, err := r.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if p.FileName() == name {
			b, err := io.ReadAll(p) // multipart decodes quoted-printable, not base64
			if err != nil {
				t.Fatal(err)
			}
			if p.Header.Get("Content-Transfer-Encoding") == "base64" {
				return decodeBase64(t, b)
			}
			return b
		}
	}
	t.Fatalf("no attachment %s", name)
	return nil
}

// decodeBase64 decodes a base64 body that may be split into lines.
func decodeBase64(t *testing.T, b []byte) []byte {
	t.Helper()
	out, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(string(b)), ""))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// geometry is the window's size.
func (s *session) geometry() (w, h int) {
	s.t.Helper()
	out := s.xdo("getwindowgeometry", "--shell", s.win)
	for _, line := range strings.Fields(out) {
		k, v, _ := strings.Cut(line, "=")
		n, _ := strconv.Atoi(v)
		switch k {
		case "WIDTH":
			w = n
		case "HEIGHT":
			h = n
		}
	}
	return w, h
}

// clickFileEntry picks the second entry of Fyne's file dialog, which is
// 760×520 and centred in the window: after (Parent), the only file in the
// folder. The dialog lists the folder in the background, so it clicks until
// Open turns blue (enabled), then presses it.
func (s *session) clickFileEntry() {
	s.t.Helper()
	w, h := s.geometry()
	x0, y0 := (w-760)/2, (h-520)/2
	openX, openY := x0+724, y0+497
	deadline := time.Now().Add(10 * time.Second)
	for !s.isBlue(openX-22, openY-10) { // the button's corner, off its text
		if time.Now().After(deadline) {
			s.t.Fatal("the file dialog's Open button never became enabled")
		}
		s.click(x0+292, y0+135)
	}
	s.click(openX, openY)
}

// isBlue reports whether the window's pixel at x, y is the blue of a primary button.
func (s *session) isBlue(x, y int) bool {
	s.t.Helper()
	r, g, b := s.pixel(x, y)
	return b > 150 && b > r+60 && b > g+40
}

// isFocusedBlue reports whether the window's pixel at x, y is the light
// blue of the primary button that has the keyboard focus (#5E8EE9, where
// the button without the focus is #1F62E0 and a disabled one grey).
func (s *session) isFocusedBlue(x, y int) bool {
	s.t.Helper()
	r, g, b := s.pixel(x, y)
	return b > 150 && b > r+60 && b > g+40 && r >= 70
}

// pixel returns the colour of the window's pixel at x, y.
func (s *session) pixel(x, y int) (r, g, b int) {
	s.t.Helper()
	cmd := exec.Command("import", "-window", s.win, "-crop", fmt.Sprintf("1x1+%d+%d", x, y), "-depth", "8", "txt:-")
	cmd.Env = append(os.Environ(), "DISPLAY="+display)
	out, err := cmd.Output()
	if err != nil {
		s.t.Fatalf("import: %v", err)
	}
	// "0,0: (31,98,224)  #1F62E0  srgb(31,98,224)"
	if i := strings.Index(string(out), "("); i >= 0 {
		_, _ = fmt.Sscanf(string(out)[i:], "(%d,%d,%d", &r, &g, &b)
	}
	return r, g, b
}

// sidebarShade is the mean brightness (0–1) of the empty part of the
// sidebar, below the accounts and left of where any dialog opens: a modal
// dialog dims it to about half.
func (s *session) sidebarShade() float64 {
	s.t.Helper()
	cmd := exec.Command("import", "-window", s.win, "-crop", "160x340+10+130", "-format", "%[fx:mean]", "info:-")
	cmd.Env = append(os.Environ(), "DISPLAY="+display)
	out, err := cmd.Output()
	if err != nil {
		s.t.Fatalf("import: %v", err)
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(string(out)), 64)
	if err != nil {
		s.t.Fatalf("import gave %q: %v", out, err)
	}
	return v
}

// waitDialog waits until a modal dialog is open (open) or closed (!open):
// the sidebar dimmed below 3/4 of base, its shade without a dialog.
func (s *session) waitDialog(base float64, open bool) {
	s.t.Helper()
	what := "the dialog to open"
	if !open {
		what = "the dialog to close"
	}
	s.waitFor(what, func() bool { return (s.sidebarShade() < 0.75*base) == open })
}

// waitFor polls ok until it holds, for up to 15 seconds.
func (s *session) waitFor(what string, ok func() bool) {
	s.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		s.alive()
		if ok() {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.t.Fatalf("waited 15 s for %s", what)
}

// TestBackFromSubScreens: Escape and the selected account in the sidebar
// both come back from Compose and Replace app password (defect 2).
func TestBackFromSubScreens(t *testing.T) {
	s := newSession(t)
	s.addAppPasswordAccount(s.gm.SMTP.StartTLSURL())
	s.start()
	s.waitTitle(ann)
	s.key("ctrl+n")
	s.waitTitle("New message")
	s.key("Escape")
	s.waitTitle(ann)
	s.key("ctrl+n")
	s.waitTitle("New message")
	s.click(60, 60) // the account, selected in the sidebar
	s.waitTitle(ann)
	s.key("ctrl+n")
	s.waitTitle("New message")
	s.typeText("a draft")
	base := s.sidebarShade()
	s.click(60, 60) // a draft: the app asks first
	s.waitDialog(base, true)
	if !strings.Contains(s.title(), "New message") {
		t.Fatalf("left a draft without asking: %q", s.title())
	}
	s.key("Escape") // closes the question: the draft stays
	s.waitDialog(base, false)
	s.waitTitle("New message")
}

// TestSignInAgainKeepsSMTP: Sign in again on an account that sends through
// port 465 (implicit TLS) keeps that server (defect 3).
func TestSignInAgainKeepsSMTP(t *testing.T) {
	s := newSession(t)
	smtps := s.gm.SMTP.ImplicitTLSURL()
	s.addOAuthAccount(smtps)
	s.signedInAt = s.savedAccount(ann)["signed_in_at"]
	s.start()
	s.waitTitle(ann)
	// Where the focused primary button's light blue shows, at 1024×600.
	s.waitFor("the focus on Send test email", func() bool { return s.isFocusedBlue(262, 450) })
	s.key("Tab", "Tab", "space") // Compose, then Sign in again
	s.waitTitle("Sign in with Google")
	// The saved client loads, which enables Sign in with Google, focused.
	s.waitFor("the focus on Sign in with Google", func() bool { return s.isFocusedBlue(262, 540) })
	s.key("space")
	s.follow()
	s.waitFor("the new sign-in saved", func() bool { return s.savedAccount(ann)["signed_in_at"] != s.signedInAt })
	if got := s.savedAccount(ann)["smtp"]; got != smtps {
		t.Fatalf("after Sign in again the account sends through %v, want %s", got, smtps)
	}
	// Save, then the next step, in view and with the keyboard on it (defect 9).
	// Save is 72 px wide, Send a test email to myself 229 px: x 400 tells them apart.
	s.waitFor("the focus on Save", func() bool { return s.isFocusedBlue(262, 524) && !s.isBlue(400, 524) })
	s.key("space") // Save
	s.waitFor("the focus on Send a test email to myself", func() bool { return s.isFocusedBlue(400, 524) })
	s.key("space") // Send a test email to myself
	s.waitTitle("New message")
	s.key("Return") // Send, focused
	if msgs := s.waitMessages(1); msgs[0].Mech != "XOAUTH2" {
		t.Errorf("the test email went with %s", msgs[0].Mech)
	}
}

// TestExistingAddressAsks: an app password for an address that is set up
// with OAuth asks before replacing it; keeping it changes nothing (defect 4).
func TestExistingAddressAsks(t *testing.T) {
	s := newSession(t)
	s.addOAuthAccount(s.gm.SMTP.StartTLSURL())
	s.start()
	s.waitTitle(ann)
	s.key("Escape") // nothing to go back to from an account
	s.waitTitle(ann)
	s.clickAddAccount()
	s.waitTitle("Add an account")
	s.key("space")
	s.waitTitle("App password")
	s.typeText(ann)
	s.key("Tab")
	s.typeText(annShown)
	s.key("Tab", "space")
	s.typeText(s.gm.SMTP.StartTLSURL())
	base := s.sidebarShade()
	s.key("Return")
	s.waitDialog(base, true) // the app reached the save, and asks
	if m := s.savedAccount(ann)["method"]; m != "oauth" {
		t.Fatalf("the OAuth account became %v without asking", m)
	}
	s.key("Escape") // "Keep the saved account"
	s.waitDialog(base, false)
	if m := s.savedAccount(ann)["method"]; m != "oauth" {
		t.Fatalf("the OAuth account became %v after keeping it", m)
	}
	s.key("Return") // Test and save again: asks again; this time replace
	s.waitDialog(base, true)
	s.key("Tab", "Tab", "space") // the dialog's buttons: Keep, then Replace
	s.waitFor("the account replaced", func() bool { return s.savedAccount(ann)["method"] == "app-password" })
}

// clickAddAccount clicks Add account at the foot of the sidebar.
func (s *session) clickAddAccount() {
	s.t.Helper()
	_, h := s.geometry()
	s.click(120, h-63)
}
