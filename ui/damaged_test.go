package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/mailkey-app/mailkey/app/account"
)

// TestSavingOverADamagedAccountsFile: the app opens over a damaged accounts
// file and says so; saving an account, by app password or by a browser
// sign-in, then keeps the damaged file aside, starts a new one and tells
// where the damaged copy is. It used to refuse every save with the same
// "damaged" message.
func TestSavingOverADamagedAccountsFile(t *testing.T) {
	for name, save := range map[string]func(t *testing.T, h *harness){
		"app password": func(t *testing.T, h *harness) {
			w := apOpen(t, h, "")
			test.Type(w.form.address, ann)
			test.Type(w.form.password, annShown)
			w.smtp.entry.SetText(h.gm.SMTP.StartTLSURL())
			test.Tap(w.check.save)
			h.settle()
			if !w.done.box.Visible() || !strings.Contains(w.done.success.Text, ann) {
				t.Fatalf("no success message: status %q, password hint %q", w.check.status.Text, w.form.passwordHint.text.Text)
			}
		},
		"browser sign-in": func(t *testing.T, h *harness) {
			s := showSignInFor(h, "")
			importClientFile(h, s, h.gm.ClientFile)
			test.Tap(s.login.signInBtn)
			h.settle()
			if !s.afterBox.Visible() || !strings.Contains(s.signedIn.Text, ann) {
				t.Fatalf("after sign-in: %q, status %q", s.signedIn.Text, s.login.status.Text)
			}
		},
	} {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t)
			const damaged = `{"version":1,"accounts":[{"address":"ann@gm`
			dir := h.env.Accounts.Dir()
			if err := os.MkdirAll(dir, 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(h.env.Accounts.Path(), []byte(damaged), 0o600); err != nil {
				t.Fatal(err)
			}
			h.g = h.newWindow()
			if !strings.Contains(h.g.sidebar.note.Text, "damaged") {
				t.Fatalf("the sidebar does not say the accounts file is damaged: %q", h.g.sidebar.note.Text)
			}
			save(t, h)
			backups, _ := filepath.Glob(filepath.Join(dir, account.BackupPrefix+"*"))
			if len(backups) != 1 {
				t.Fatalf("backups %v, want one", backups)
			}
			if kept, _ := os.ReadFile(backups[0]); string(kept) != damaged {
				t.Fatalf("the backup holds %q", kept)
			}
			text, ok := overlay(t, h, "OK")
			if ok == nil || !strings.Contains(text, backups[0]) || !strings.Contains(text, "Add your other accounts again") {
				t.Fatalf("the dialog says %q; it must say where the damaged file is kept (%s)", text, backups[0])
			}
			test.Tap(ok)
			if h.g.sidebar.note.Text != "" || len(h.g.sidebar.infos) != 1 || h.g.sidebar.infos[0].Address != ann {
				t.Fatalf("sidebar after the save: note %q, accounts %+v", h.g.sidebar.note.Text, h.g.sidebar.infos)
			}
		})
	}
}
