package cli

import (
	"errors"
	"strings"
	"testing"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/advice"
)

// Every typed next action has the command line's words, which name the
// command that does it; without an action, the advice's own Next stands.
func TestEveryActionNamesACommand(t *testing.T) {
	data := advice.Data{"Address": "ann@gmail.com", "Label": "scanner"}
	for a := advice.NoAction + 1; a <= advice.LastAction; a++ {
		next := nextOf(advice.Text{Next: "neutral words", Data: data, Action: a})
		if !strings.Contains(next, "'mailkey ") || strings.Contains(next, "{{") {
			t.Errorf("action %d: the CLI says %q", a, next)
		}
	}
	if got := nextOf(advice.Text{Next: "neutral words"}); got != "neutral words" {
		t.Errorf("no action: %q", got)
	}
	// The words reach an error's report.
	err := account.NotFound("zed@gmail.com")
	if got := nextStep(err); !strings.Contains(got, "'mailkey accounts'") || !strings.Contains(got, "'mailkey login'") {
		t.Errorf("account not found: %q", got)
	}
	if got := advice.Next(err); strings.Contains(got, "'mailkey ") {
		t.Errorf("the shared advice names a command: %q", got)
	}
	if got := nextStep(errors.New("plain")); got != "" {
		t.Errorf("a plain error: %q", got)
	}
}
