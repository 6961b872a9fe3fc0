package cli

import (
	"testing"

	"github.com/mailkey-app/mailkey/app/advice"
)

// Every category of failure has its exit code: a new category cannot fall
// to 0 (the map's zero value) by mistake.
func TestEveryCategoryHasAnExitCode(t *testing.T) {
	for c := advice.Failure; c <= advice.Keyring; c++ {
		if code, ok := exitCodes[c]; !ok || code == ExitOK {
			t.Errorf("category %v: exit code %d (listed %v)", c, code, ok)
		}
	}
	if len(exitCodes) != int(advice.Keyring)+1 {
		t.Errorf("exitCodes lists %d categories, want %d", len(exitCodes), advice.Keyring+1)
	}
}
