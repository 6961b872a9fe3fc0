package ui

import (
	"os"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"

	"github.com/mailkey-app/mailkey/app/account"
)

// showSignInFor shows a fresh sign-in screen whose accounts use the peer's SMTP server.
func showSignInFor(h *harness, addr string) *signIn {
	h.t.Helper()
	s := newSignIn(h.g, addr)
	s.smtpURL = h.gm.SMTP.StartTLSURL()
	h.g.show("sign-in", s)
	h.settle()
	return s
}

// importClientFile drops path on the screen, as the window would.
func importClientFile(h *harness, s *signIn, path string) {
	h.t.Helper()
	s.onDropped([]fyne.URI{storage.NewFileURI(path)})
	h.settle()
}

func TestSignInWebClientIsExplained(t *testing.T) {
	h := newHarness(t)
	s := showSignInFor(h, "")
	if h.g.dropTarget == nil {
		t.Fatal("the sign-in screen takes no dropped files")
	}
	importClientFile(h, s, h.gm.WebClientFile)
	if !s.importError.Visible() {
		t.Fatal("no explanation for a Web application client")
	}
	text := s.importError.Text + " " + s.webNote.Text
	for _, want := range []string{"Desktop app", "redirect_uri_mismatch"} {
		if !strings.Contains(text, want) {
			t.Errorf("explanation lacks %q: %q", want, text)
		}
	}
	if !s.webNote.Visible() || !s.backToClient.Visible() {
		t.Fatal("no way back to step 6")
	}
	if !s.signInBtn.Disabled() {
		t.Fatal("sign-in enabled with a Web application client")
	}

	test.Tap(s.backToClient)
	h.settle()
	if h.g.screenName != "checklist" {
		t.Fatalf("screen %q, want checklist", h.g.screenName)
	}
	if p := h.g.progress.Load(); p.Step != "client" {
		t.Fatalf("saved step %q, want client", p.Step)
	}
	c, ok := h.g.current.(*checklist)
	if !ok || !c.loaded || c.steps[c.current].ID != "client" {
		t.Fatalf("the checklist does not show step 6")
	}
}

func TestSignInPastedText(t *testing.T) {
	h := newHarness(t)
	s := showSignInFor(h, "")
	if !s.signInBtn.Disabled() {
		t.Fatal("sign-in enabled before a client was imported")
	}
	if s.importError.Visible() || !s.importBox.Visible() {
		t.Fatalf("a new sign-in opens with an error %q, or without the import", s.importError.Text)
	}
	test.Type(s.pasteEntry, "garbage")
	test.Tap(s.usePaste)
	if !s.importError.Visible() || !strings.Contains(s.importError.Text, "not a JSON file") {
		t.Fatalf("advice for garbage: %q", s.importError.Text)
	}
	if s.backToClient.Visible() || !s.signInBtn.Disabled() {
		t.Fatal("garbage offered step 6 or enabled the sign-in")
	}

	data, err := os.ReadFile(h.gm.ClientFile)
	if err != nil {
		t.Fatal(err)
	}
	s.pasteEntry.SetText(string(data))
	test.Tap(s.usePaste)
	if s.importError.Visible() || s.signInBtn.Disabled() {
		t.Fatalf("a pasted Desktop client was refused: %q", s.importError.Text)
	}
	if s.pasteEntry.Text != "" {
		t.Fatal("the pasted client secret stays on screen")
	}
	want := "Client " + h.gm.OAuth.ClientID + " from project mailkey-test."
	if s.clientLabel.Text != want {
		t.Fatalf("client shown as %q, want %q", s.clientLabel.Text, want)
	}
}

func TestSignInCompletesAndRecordsProduction(t *testing.T) {
	h := newHarness(t)
	s := showSignInFor(h, "")
	importClientFile(h, s, h.gm.ClientFile)
	if s.signInBtn.Disabled() {
		t.Fatalf("importing the client file did not enable the sign-in: %q", s.importError.Text)
	}
	if strings.Contains(s.clientLabel.Text, h.gm.OAuth.ClientSecret) {
		t.Fatal("the client secret is shown")
	}
	test.Tap(s.signInBtn)
	h.settle()
	if !s.afterBox.Visible() || !strings.Contains(s.signedIn.Text, ann) {
		t.Fatalf("after sign-in: %q, status %q", s.signedIn.Text, s.status.Text)
	}
	list, err := h.eng.List()
	if err != nil || len(list) != 1 || list[0].Address != ann || list[0].Method != account.OAuth {
		t.Fatalf("accounts %+v, %v", list, err)
	}
	if s.publishChoice.Selected != "Testing" || s.nextBox.Visible() {
		t.Fatalf("before Save: choice %q, next steps shown %v", s.publishChoice.Selected, s.nextBox.Visible())
	}

	if s.sendChoice.Selected != "Automatic (SMTP, or HTTPS when SMTP is blocked)" {
		t.Fatalf("sending choice %q, want Automatic for a new OAuth account", s.sendChoice.Selected)
	}
	s.publishChoice.SetSelected("In production")
	s.sendChoice.SetSelected("Gmail API over HTTPS only")
	test.Tap(s.saveBtn)
	h.settle()
	in, err := h.eng.Account(ann)
	if err != nil || in.Publishing != account.Production || in.Transport != account.TransportAPI {
		t.Fatalf("publishing %q, transport %q, %v", in.Publishing, in.Transport, err)
	}
	if !s.nextBox.Visible() || !strings.Contains(s.saveStatus.Text, "no 7-day limit") {
		t.Fatalf("after Save: %q", s.saveStatus.Text)
	}
	test.Tap(s.testEmail)
	h.settle()
	if h.g.screenName != "compose" {
		t.Fatalf("screen %q, want compose", h.g.screenName)
	}
}

// Right after a sign-in, "Go to the account" runs the health checks at once.
func TestSignInThenAccountRunsTheChecks(t *testing.T) {
	h := newHarness(t)
	s := showSignInFor(h, "")
	s.apiBase = h.gm.API.URL
	importClientFile(h, s, h.gm.ClientFile)
	test.Tap(s.signInBtn)
	h.settle()
	test.Tap(s.saveBtn)
	h.settle()
	test.Tap(s.goAccount)
	h.settle()
	a, ok := h.g.current.(*accountScreen)
	if !ok || h.gm.API.Hits() == 0 {
		t.Fatalf("screen %q, %d Gmail API calls: the checks did not run", h.g.screenName, h.gm.API.Hits())
	}
	if text := healthTexts(a); !strings.Contains(text, "✓ Gmail API enabled") || strings.Contains(text, "✗") {
		t.Fatalf("health after sign-in:\n%s", text)
	}
}

func TestSignInCancelWhileWaiting(t *testing.T) {
	h := newHarness(t)
	urls := make(chan string, 1)
	h.eng.Open = func(u string) error { urls <- u; return nil } // a browser that never comes back
	s := showSignInFor(h, "")
	importClientFile(h, s, h.gm.ClientFile)
	test.Tap(s.signInBtn)
	link := await(h, urls)
	h.flush()
	// The opener hands the link to the widgets before it opens the browser.
	if !s.waitBox.Visible() || s.waitLabel.Text != "Waiting for your browser…" || !s.signInBtn.Disabled() {
		t.Fatal("no waiting state while the browser is open")
	}
	if s.copyLink.Disabled() {
		t.Fatal("Copy link disabled once the link is known")
	}
	test.Tap(s.copyLink)
	if got := h.app.Clipboard().Content(); got != link {
		t.Fatalf("clipboard %q, want the sign-in link %q", got, link)
	}
	test.Tap(s.cancelBtn)
	h.settle()
	if !s.status.Visible() || s.status.Text != "Cancelled." {
		t.Fatalf("status after Cancel %q", s.status.Text)
	}
	if s.waitBox.Visible() || s.signInBtn.Disabled() {
		t.Fatal("no retry after Cancel")
	}
	if list, err := h.eng.List(); err != nil || len(list) != 0 {
		t.Fatalf("accounts after Cancel %+v, %v", list, err)
	}
}

func TestSignInNotATestUser(t *testing.T) {
	h := newHarness(t)
	h.gm.OAuth.SetSignInAs("mallory@gmail.com")
	s := showSignInFor(h, "")
	importClientFile(h, s, h.gm.ClientFile)
	test.Tap(s.signInBtn)
	h.settle()
	if !s.status.Visible() || !strings.Contains(s.status.Text, "test user") {
		t.Fatalf("advice for access_denied: %q", s.status.Text)
	}
	if s.afterBox.Visible() || s.signInBtn.Disabled() {
		t.Fatal("a refused sign-in looks signed in, or cannot be retried")
	}
	if list, err := h.eng.List(); err != nil || len(list) != 0 {
		t.Fatalf("accounts after access_denied %+v, %v", list, err)
	}
}

func TestSignInAgainUsesTheSavedClient(t *testing.T) {
	h := newHarness(t)
	s := showSignInFor(h, "")
	importClientFile(h, s, h.gm.ClientFile)
	test.Tap(s.signInBtn)
	h.settle()
	s.publishChoice.SetSelected("In production")
	test.Tap(s.saveBtn)
	h.settle()

	again := showSignInFor(h, ann)
	if again.importBox.Visible() {
		t.Fatalf("re-sign-in asks for the client file: %q", again.importError.Text)
	}
	if again.signInBtn.Disabled() || !strings.Contains(again.clientLabel.Text, h.gm.OAuth.ClientID) {
		t.Fatalf("saved client not loaded: %q", again.clientLabel.Text)
	}
	test.Tap(again.signInBtn)
	h.settle()
	if !strings.Contains(again.signedIn.Text, ann) || again.publishChoice.Selected != "In production" {
		t.Fatalf("after signing in again: %q, choice %q", again.signedIn.Text, again.publishChoice.Selected)
	}
	if in, err := h.eng.Account(ann); err != nil || in.Publishing != account.Production {
		t.Fatalf("signing in again reset the publishing status to %q, %v", in.Publishing, err)
	}
}

func TestSignInAgainWithoutSavedClientOffersImport(t *testing.T) {
	h := newHarness(t)
	s := showSignInFor(h, "nobody@gmail.com")
	if !s.importBox.Visible() || !s.importError.Visible() || !s.signInBtn.Disabled() {
		t.Fatal("no import offered when the saved client cannot be loaded")
	}
}

func TestSignInChooseFileOpensAJSONDialog(t *testing.T) {
	h := newHarness(t)
	s := showSignInFor(h, "")
	test.Tap(s.chooseFile)
	if h.g.win.Canvas().Overlays().Top() == nil {
		t.Fatal("Choose file… opened no dialog")
	}
}
