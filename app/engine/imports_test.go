package engine

import (
	"os/exec"
	"strings"
	"testing"
)

// TestAppNeverImportsFyne keeps the logic usable from the CLI and tests: no
// package under app/ may depend, even indirectly, on fyne.io.
func TestAppNeverImportsFyne(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", "github.com/mailkey-app/mailkey/app/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 20 {
		t.Fatalf("go list returned only %d packages: %q", len(deps), out)
	}
	for _, p := range deps {
		if p == fyneModule || strings.HasPrefix(p, fyneModule+"/") {
			t.Errorf("a package under app/ depends on %s", p)
		}
	}
}

// fyneModule is the GUI toolkit's module path.
const fyneModule = "fyne.io"
