package ui

import (
	"context"
	"errors"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/mailkey-app/mailkey/app/secret"
	"github.com/mailkey-app/mailkey/internal/testpeer"
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
	if h.g.stage.drop == nil {
		t.Fatal("the sign-in screen takes no dropped files")
	}
	importClientFile(h, s, h.gm.WebClientFile)
	if !s.choice.importError.Visible() {
		t.Fatal("no explanation for a Web application client")
	}
	text := s.choice.importError.Text + " " + s.choice.webNote.Text
	for _, want := range []string{"Desktop app", "redirect_uri_mismatch"} {
		if !strings.Contains(text, want) {
			t.Errorf("explanation lacks %q: %q", want, text)
		}
	}
	if !s.choice.webNote.Visible() || !s.choice.backToClient.Visible() {
		t.Fatal("no way back to step 6")
	}
	if !s.login.signInBtn.Disabled() {
		t.Fatal("sign-in enabled with a Web application client")
	}

	test.Tap(s.choice.backToClient)
	h.settle()
	if h.g.stage.name != "checklist" {
		t.Fatalf("screen %q, want checklist", h.g.stage.name)
	}
	if p := h.g.progress.Load(); p.Step != "client" {
		t.Fatalf("saved step %q, want client", p.Step)
	}
	c, ok := h.g.stage.current.(*checklist)
	if !ok || !c.loaded || c.steps[c.nav.current].ID != "client" {
		t.Fatalf("the checklist does not show step 6")
	}
}

func TestSignInPastedText(t *testing.T) {
	h := newHarness(t)
	s := showSignInFor(h, "")
	if !s.login.signInBtn.Disabled() {
		t.Fatal("sign-in enabled before a client was imported")
	}
	if s.choice.importError.Visible() || !s.importBox.Visible() {
		t.Fatalf("a new sign-in opens with an error %q, or without the import", s.choice.importError.Text)
	}
	test.Type(s.inputs.pasteEntry, "garbage")
	test.Tap(s.inputs.usePaste)
	if !s.choice.importError.Visible() || !strings.Contains(s.choice.importError.Text, "no client ID") {
		t.Fatalf("advice for garbage: %q", s.choice.importError.Text)
	}
	if s.choice.backToClient.Visible() || !s.login.signInBtn.Disabled() {
		t.Fatal("garbage offered step 6 or enabled the sign-in")
	}

	data, err := os.ReadFile(h.gm.ClientFile)
	if err != nil {
		t.Fatal(err)
	}
	s.inputs.pasteEntry.SetText(string(data))
	test.Tap(s.inputs.usePaste)
	if s.choice.importError.Visible() || s.login.signInBtn.Disabled() {
		t.Fatalf("a pasted Desktop client was refused: %q", s.choice.importError.Text)
	}
	if s.inputs.pasteEntry.Text != "" {
		t.Fatal("the pasted client secret stays on screen")
	}
	want := "Client " + h.gm.OAuth.ClientID + " from project mailkey-test."
	if s.choice.clientLabel.Text != want {
		t.Fatalf("client shown as %q, want %q", s.choice.clientLabel.Text, want)
	}

	// The two values as copied from Google's dialog, labels and all.
	s.inputs.pasteEntry.SetText("OAuth client created\nClient ID\n" + h.gm.OAuth.ClientID + "\nClient secret\n" + h.gm.OAuth.ClientSecret + "\n")
	test.Tap(s.inputs.usePaste)
	if s.choice.importError.Visible() || s.login.signInBtn.Disabled() || s.choice.client.ClientSecret != h.gm.OAuth.ClientSecret || s.inputs.pasteEntry.Text != "" {
		t.Fatalf("the dialog's text was refused: %q", s.choice.importError.Text)
	}
	// An ID without its secret says how to get a new secret.
	s.inputs.pasteEntry.SetText(h.gm.OAuth.ClientID)
	test.Tap(s.inputs.usePaste)
	if !strings.Contains(s.choice.importError.Text, "Add secret") || !s.login.signInBtn.Disabled() {
		t.Fatalf("advice for an ID alone: %q", s.choice.importError.Text)
	}
}

func TestSignInCompletesAndRecordsProduction(t *testing.T) {
	h := newHarness(t)
	h.gm.OAuth.SetInProduction(true) // the app was published before this sign-in
	s := showSignInFor(h, "")
	importClientFile(h, s, h.gm.ClientFile)
	if s.login.signInBtn.Disabled() {
		t.Fatalf("importing the client file did not enable the sign-in: %q", s.choice.importError.Text)
	}
	if strings.Contains(s.choice.clientLabel.Text, h.gm.OAuth.ClientSecret) {
		t.Fatal("the client secret is shown")
	}
	test.Tap(s.login.signInBtn)
	h.settle()
	if !s.afterBox.Visible() || !strings.Contains(s.signedIn.Text, ann) {
		t.Fatalf("after sign-in: %q, status %q", s.signedIn.Text, s.login.status.Text)
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
	if h.g.stage.name != "compose" {
		t.Fatalf("screen %q, want compose", h.g.stage.name)
	}
}

// Right after a sign-in, "Go to the account" runs the health checks at once.
func TestSignInThenAccountRunsTheChecks(t *testing.T) {
	h := newHarness(t)
	s := showSignInFor(h, "")
	s.apiBase = h.gm.API.URL
	importClientFile(h, s, h.gm.ClientFile)
	test.Tap(s.login.signInBtn)
	h.settle()
	test.Tap(s.saveBtn)
	h.settle()
	test.Tap(s.goAccount)
	h.settle()
	a, ok := h.g.stage.current.(*accountScreen)
	if !ok || h.gm.API.Hits() == 0 {
		t.Fatalf("screen %q, %d Gmail API calls: the checks did not run", h.g.stage.name, h.gm.API.Hits())
	}
	if text := healthTexts(a); !strings.Contains(text, "✓ Gmail API enabled") || strings.Contains(text, "✗") {
		t.Fatalf("health after sign-in:\n%s", text)
	}
}

func TestSignInCancelWhileWaiting(t *testing.T) {
	h := newHarness(t)
	urls := make(chan string, 1)
	h.eng.Use(engine.WithBrowser(engine.BrowserFunc(func(u string) error { urls <- u; return nil }))) // a browser that never comes back
	s := showSignInFor(h, "")
	importClientFile(h, s, h.gm.ClientFile)
	test.Tap(s.login.signInBtn)
	link := await(h, urls)
	h.flush()
	// The opener hands the link to the widgets before it opens the browser.
	if !s.login.wait.box.Visible() || s.login.wait.label.Text != "Waiting for your browser…" || !s.login.signInBtn.Disabled() {
		t.Fatal("no waiting state while the browser is open")
	}
	if s.login.wait.copyLink.Disabled() {
		t.Fatal("Copy link disabled once the link is known")
	}
	test.Tap(s.login.wait.copyLink)
	if got := h.app.Clipboard().Content(); got != link {
		t.Fatalf("clipboard %q, want the sign-in link %q", got, link)
	}
	test.Tap(s.login.wait.cancelBtn)
	h.settle()
	if !s.login.status.Visible() || s.login.status.Text != "Cancelled." {
		t.Fatalf("status after Cancel %q", s.login.status.Text)
	}
	if s.login.wait.box.Visible() || s.login.signInBtn.Disabled() {
		t.Fatal("no retry after Cancel")
	}
	if list, err := h.eng.List(); err != nil || len(list) != 0 {
		t.Fatalf("accounts after Cancel %+v, %v", list, err)
	}
}

// A user who is not a test user meets Google's own page, which never comes
// back: the waiting screen has said what it means and where to fix it, in
// view without scrolling on a small screen.
func TestSignInNotATestUser(t *testing.T) {
	h := newHarness(t)
	h.g.win.Resize(fyne.NewSize(1024, 600))
	h.gm.OAuth.SetSignInAs("mallory@gmail.com")
	pages := make(chan testpeer.BrowseResult, 1)
	h.eng.Use(engine.WithBrowser(engine.BrowserFunc(func(u string) error { go func() { pages <- testpeer.Fetch(u) }(); return nil })))
	s := showSignInFor(h, "")
	importClientFile(h, s, h.gm.ClientFile)
	if !strings.Contains(s.login.prepare2.Text, "You've been given access to an app that's currently being tested") || !strings.Contains(s.login.prepare2.Text, "Continue") {
		t.Fatalf("warning before the sign-in: %q", s.login.prepare2.Text)
	}
	test.Tap(s.login.signInBtn)
	page := await(h, pages)
	h.flush()
	if page.Status != http.StatusForbidden || !strings.Contains(page.Body, "Error 403: access_denied") {
		t.Fatalf("the browser showed %d %q", page.Status, page.Body)
	}
	if !s.login.wait.box.Visible() || !s.login.wait.troubles.box.Visible() || s.afterBox.Visible() {
		t.Fatal("not waiting, or no advice while waiting")
	}
	var titles []string
	for _, it := range s.login.wait.troubles.list.Items {
		titles = append(titles, it.Title)
	}
	if len(titles) != 6 || titles[0] != "Error 403: access_denied" || !slices.Contains(titles, "Error 400: redirect_uri_mismatch") {
		t.Fatalf("listed pages %q", titles)
	}
	if text := strings.Join(apTexts(s.login.wait.troubles.list.Items[0].Detail), "\n"); !strings.Contains(text, "Test users") {
		t.Fatalf("access_denied advice: %q", text)
	}
	test.Tap(s.login.wait.troubles.links["access-denied"])
	if links := h.links(); len(links) == 0 || links[len(links)-1] != "https://console.cloud.google.com/auth/audience?project=mailkey-test" {
		t.Fatalf("opened %q", links)
	}
	// In view: the line and the list's first rows are inside the window.
	s.scroll.Refresh()
	d := fyne.CurrentApp().Driver()
	size := h.g.win.Canvas().Size()
	for _, o := range []fyne.CanvasObject{s.login.wait.troubles.intro, s.login.wait.troubles.list, s.login.wait.cancelBtn} {
		pos := d.AbsolutePositionForObject(o)
		if pos.Y < 0 || pos.Y+min(o.Size().Height, 120) > size.Height {
			t.Errorf("%T at y=%v (height %v) is out of the %v window", o, pos.Y, o.Size().Height, size)
		}
	}
	test.Tap(s.login.wait.cancelBtn)
	h.settle()
	if s.login.status.Text != "Cancelled." || s.login.signInBtn.Disabled() || !s.importBox.Visible() {
		t.Fatalf("after Cancel: %q", s.login.status.Text)
	}
	if list, err := h.eng.List(); err != nil || len(list) != 0 {
		t.Fatalf("accounts after access_denied %+v, %v", list, err)
	}
}

// Only the user's own Cancel on Google's consent screen comes back.
func TestSignInConsentCancelled(t *testing.T) {
	h := newHarness(t)
	h.gm.OAuth.SetDenyConsent(true)
	s := showSignInFor(h, "")
	importClientFile(h, s, h.gm.ClientFile)
	test.Tap(s.login.signInBtn)
	h.settle()
	if !s.login.status.Visible() || !strings.Contains(s.login.status.Text, "access_denied") || !strings.Contains(s.login.status.Text, "Test users") {
		t.Fatalf("advice for a Cancel on Google's page: %q", s.login.status.Text)
	}
	if s.afterBox.Visible() || s.login.signInBtn.Disabled() {
		t.Fatal("a refused sign-in looks signed in, or cannot be retried")
	}
}

// The client ID and secret typed into two fields, the project from the checklist.
func TestSignInWithTwoFields(t *testing.T) {
	h := newHarness(t)
	p := h.g.progress.Load()
	p.ProjectID = "mailkey-test"
	if err := h.g.progress.Save(p); err != nil {
		t.Fatal(err)
	}
	s := showSignInFor(h, "")
	if s.inputs.projectEntry.Text != "mailkey-test" {
		t.Fatalf("project field %q, want the checklist's", s.inputs.projectEntry.Text)
	}
	test.Type(s.inputs.idEntry, h.gm.OAuth.ClientID)
	test.Tap(s.inputs.useFields)
	if !strings.Contains(s.choice.importError.Text, "Enter the client secret") || !strings.Contains(s.choice.importError.Text, "Add secret") || !s.login.signInBtn.Disabled() {
		t.Fatalf("advice without a secret: %q", s.choice.importError.Text)
	}
	test.Type(s.inputs.secretEntry, h.gm.OAuth.ClientSecret)
	test.Tap(s.inputs.useFields)
	if s.choice.importError.Visible() || s.login.signInBtn.Disabled() || s.inputs.secretEntry.Text != "" {
		t.Fatalf("typed client refused (%q), or its secret stays on screen", s.choice.importError.Text)
	}
	if want := "Client " + h.gm.OAuth.ClientID + " from project mailkey-test."; s.choice.clientLabel.Text != want {
		t.Fatalf("client shown as %q", s.choice.clientLabel.Text)
	}
	// Google's endpoints, as the fields give none; the stand-in's for this test.
	s.choice.client.AuthURI, s.choice.client.TokenURI = h.gm.OAuth.AuthURI(), h.gm.OAuth.TokenURI()
	test.Tap(s.login.signInBtn)
	h.settle()
	in, err := h.eng.Account(ann)
	if err != nil || in.ProjectID != "mailkey-test" || in.ClientID != h.gm.OAuth.ClientID {
		t.Fatalf("account %+v, %v", in.Account, err)
	}
	if sec, _ := h.env.Secrets.Get(t.Context(), ann, secret.ClientSecret); sec != h.gm.OAuth.ClientSecret {
		t.Fatal("the typed secret is not in the keyring")
	}
}

// Publishing after a Testing sign-in keeps Google's end date and offers a new
// sign-in; the sign-in made in production has none.
func TestSignInTestingThenProduction(t *testing.T) {
	h := newHarness(t)
	s := showSignInFor(h, "")
	importClientFile(h, s, h.gm.ClientFile)
	test.Tap(s.login.signInBtn)
	h.settle()
	s.publishChoice.SetSelected("In production") // the user published the app, after consenting in Testing
	test.Tap(s.saveBtn)
	h.settle()
	if !strings.Contains(s.saveStatus.Text, "still in Testing") || !s.signInAgain.Visible() {
		t.Fatalf("after declaring production: %q, sign in again shown %v", s.saveStatus.Text, s.signInAgain.Visible())
	}
	in, _ := h.eng.Account(ann)
	if in.Publishing != account.Production || in.Status.State != account.StateExpiring || in.Status.DaysLeft != 7 {
		t.Fatalf("account %q %+v", in.Publishing, in.Status)
	}
	// The account screen says the same.
	test.Tap(s.goAccount)
	h.settle()
	a, ok := h.g.stage.current.(*accountScreen)
	if !ok || !a.renewal.expiry.Visible() || !strings.Contains(a.renewal.expiry.Text, "now published") {
		t.Fatalf("account screen after the switch: %v", ok && a.renewal.expiry.Visible())
	}
	h.g.show("sign-in", s)
	h.settle()

	h.gm.OAuth.SetInProduction(true)
	test.Tap(s.signInAgain)
	h.settle()
	if !strings.Contains(s.login.prepare2.Text, "Go to … (unsafe)") || s.login.published.Visible() {
		t.Errorf("warning for production: %q", s.login.prepare2.Text)
	}
	if s.publishChoice.Selected != "In production" {
		t.Fatalf("choice after the new sign-in %q", s.publishChoice.Selected)
	}
	test.Tap(s.saveBtn)
	h.settle()
	in, _ = h.eng.Account(ann)
	if in.Status.State != account.StateOK || !strings.Contains(s.saveStatus.Text, "no 7-day limit") || s.signInAgain.Visible() {
		t.Fatalf("after the sign-in in production: %+v, %q", in.Status, s.saveStatus.Text)
	}
}

// A Workspace address hears about the Internal user type.
func TestSignInWorkspaceAddress(t *testing.T) {
	h := newHarness(t)
	const zoe = "zoe@example.org"
	h.gm.OAuth.SetWorkspace("example.org")
	h.gm.OAuth.AddTestUser(zoe)
	h.gm.OAuth.SetSignInAs(zoe)
	s := showSignInFor(h, "")
	importClientFile(h, s, h.gm.ClientFile)
	test.Tap(s.login.signInBtn)
	h.settle()
	if !s.workspace.Visible() || !strings.Contains(s.workspace.Text, "Internal") || !strings.Contains(s.workspace.Text, "org_internal") ||
		!strings.Contains(s.workspace.Text, "admin_policy_enforced") {
		t.Fatalf("Workspace note: %v %q", s.workspace.Visible(), s.workspace.Text)
	}
	if in, err := h.eng.Account(zoe); err != nil || in.HostedDomain != "example.org" {
		t.Fatalf("hd not saved: %+v, %v", in.Account, err)
	}
	// A Gmail address gets no such note.
	h2 := newHarness(t)
	s2 := showSignInFor(h2, "")
	importClientFile(h2, s2, h2.gm.ClientFile)
	test.Tap(s2.login.signInBtn)
	h2.settle()
	if s2.workspace.Visible() {
		t.Fatal("a Gmail address is told about Workspace")
	}
}

func TestSignInAgainUsesTheSavedClient(t *testing.T) {
	h := newHarness(t)
	s := showSignInFor(h, "")
	importClientFile(h, s, h.gm.ClientFile)
	test.Tap(s.login.signInBtn)
	h.settle()
	s.publishChoice.SetSelected("In production")
	test.Tap(s.saveBtn)
	h.settle()

	again := showSignInFor(h, ann)
	if again.importBox.Visible() {
		t.Fatalf("re-sign-in asks for the client file: %q", again.choice.importError.Text)
	}
	if again.login.signInBtn.Disabled() || !strings.Contains(again.choice.clientLabel.Text, h.gm.OAuth.ClientID) {
		t.Fatalf("saved client not loaded: %q", again.choice.clientLabel.Text)
	}
	// The account was declared In production: Google's warning is the other one.
	if !strings.Contains(again.login.prepare2.Text, "Advanced, then “Go to … (unsafe)”") || again.login.published.Visible() {
		t.Fatalf("warning for a published app: %q", again.login.prepare2.Text)
	}
	test.Tap(again.login.signInBtn)
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
	if !s.importBox.Visible() || !s.choice.importError.Visible() || !s.login.signInBtn.Disabled() {
		t.Fatal("no import offered when the saved client cannot be loaded")
	}
}

func TestSignInChooseFileOpensAJSONDialog(t *testing.T) {
	h := newHarness(t)
	s := showSignInFor(h, "")
	test.Tap(s.inputs.chooseFile)
	if h.g.win.Canvas().Overlays().Top() == nil {
		t.Fatal("Choose file… opened no dialog")
	}
}

// TestSignInAsksBeforeReplacing: a new OAuth sign-in that comes back as an
// address saved with an app password asks first, saying what is replaced
// (issue 11, defect 4). "Keep the saved account" saves nothing; the next
// sign-in, answered "Replace", deletes the app password.
func TestSignInAsksBeforeReplacing(t *testing.T) {
	h := newHarness(t)
	composeLoginAnn(t, h)
	s := showSignInFor(h, "")
	importClientFile(h, s, h.gm.ClientFile)
	for _, keep := range []bool{true, false} {
		test.Tap(s.login.signInBtn)
		waitFor(t, h, "the question", func() bool { return h.g.win.Canvas().Overlays().Top() != nil })
		label := "Replace"
		if keep {
			label = "Keep the saved account"
		}
		text, b := overlay(t, h, label)
		for _, want := range []string{ann + " is already set up with an app password", "deletes the app password"} {
			if !strings.Contains(text, want) {
				t.Errorf("the question says %q, want %q in it", text, want)
			}
		}
		if a, err := h.env.Accounts.Get(ann); err != nil || a.Method != account.AppPassword {
			t.Fatalf("while asking, the account is %+v, %v", a, err)
		}
		test.Tap(b)
		h.settle()
		a, err := h.env.Accounts.Get(ann)
		if keep {
			if err != nil || a.Method != account.AppPassword || !strings.Contains(s.login.status.Text, "nothing from this sign-in was saved") {
				t.Fatalf("after keeping: %+v, %v, status %q", a, err, s.login.status.Text)
			}
			if _, err := h.env.Secrets.Get(context.Background(), ann, secret.AppPassword); err != nil {
				t.Fatalf("the app password after keeping: %v", err)
			}
			continue
		}
		if err != nil || a.Method != account.OAuth || !s.afterBox.Visible() {
			t.Fatalf("after replacing: %+v, %v, status %q", a, err, s.login.status.Text)
		}
		if _, err := h.env.Secrets.Get(context.Background(), ann, secret.AppPassword); !errors.Is(err, secret.ErrNotFound) {
			t.Fatalf("the app password after replacing: %v", err)
		}
	}
}
