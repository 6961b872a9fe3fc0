package ui

import (
	"strings"
	"testing"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/advice"
)

// cliOnlyKeys are the texts made in app/ that name a mailkey command and
// that only the command line meets: the queue's commands by ID, and the
// relay's login service, which the GUI does not install.
var cliOnlyKeys = map[string]bool{
	"queue.not_found":       true,
	"queue.account_removed": true,
	"relay.service_failed":  true,
}

// namesCommand reports whether s tells the person to run a mailkey command.
func namesCommand(s string) bool {
	return strings.Contains(s, "'mailkey ") || strings.Contains(s, "« mailkey ")
}

// Advice for its audience: a text from app/ that a GUI user can meet names
// no command of the CLI. What to do next is then a typed action, which the
// GUI says with its own buttons and screens.
func TestAppTextsNameNoCommand(t *testing.T) {
	texts, _ := appTexts(t)
	fr := appTranslations(t)
	for _, at := range texts {
		if cliOnlyKeys[at.key] {
			continue
		}
		if namesCommand(at.what) || namesCommand(at.next) {
			t.Errorf("%s: %s tells a GUI user to run a command: %q / %q", at.pos, at.key, at.what, at.next)
		}
		for _, part := range []string{".what", ".next"} {
			for _, f := range forms(fr[at.key+part]) {
				if namesCommand(f) {
					t.Errorf("%s%s: the French tells a GUI user to run a command: %q", at.key, part, f)
				}
			}
		}
	}
}

// Every typed next action has the GUI's words, in both languages, naming
// no command; they replace the advice's own Next.
func TestEveryActionHasGUIWords(t *testing.T) {
	for _, code := range []string{"en", "fr"} {
		useLanguage(code)
		for a := advice.NoAction + 1; a <= advice.LastAction; a++ {
			next := actionNext(a)
			if next == "" || namesCommand(next) || strings.Contains(next, "mailkey login") {
				t.Errorf("%s, action %d: %q", code, a, next)
			}
			if _, got := localText(advice.Text{Key: "x", What: "w", Next: "neutral", Action: a}); got != next {
				t.Errorf("%s, action %d: localText says %q, want %q", code, a, got, next)
			}
		}
	}
	useLanguage("en")
	_, next := localAdvice(account.NotFound("zed@gmail.com"))
	if !strings.Contains(next, "Add account") || namesCommand(next) {
		t.Errorf("a missing account: %q", next)
	}
}
