package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// makefileAppTags returns the default of APP_TAGS in the Makefile: the build
// tags of the mailkey-app that 'make build' makes.
func makefileAppTags() (string, error) {
	b, err := os.ReadFile(filepath.Join("..", "Makefile"))
	if err != nil {
		return "", err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "APP_TAGS ?="); ok {
			return strings.TrimSpace(v), nil
		}
	}
	return "", fmt.Errorf("no 'APP_TAGS ?=' in the Makefile")
}

// TestGUIBuiltAsMakeBuilds: the window under test is the program 'make
// build' makes, with the same build tags (no_emoji leaves out a font the
// app would otherwise carry and parse): MAILKEY_GUI_TAGS, which 'make test'
// sets from APP_TAGS, else APP_TAGS's default.
func TestGUIBuiltAsMakeBuilds(t *testing.T) {
	if os.Getenv("MAILKEY_GUI_BIN") != "" {
		t.Skip("MAILKEY_GUI_BIN: a binary built elsewhere")
	}
	want, ok := os.LookupEnv("MAILKEY_GUI_TAGS")
	if !ok {
		var err error
		if want, err = makefileAppTags(); err != nil {
			t.Fatal(err)
		}
	}
	if want == "" {
		t.Skip("no build tags to check")
	}
	out, err := exec.Command("go", "version", "-m", guiBin).CombinedOutput()
	if err != nil {
		t.Fatalf("go version -m: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "\tbuild\t-tags="+strings.Join(strings.Fields(want), ",")+"\n") {
		t.Errorf("mailkey-app was built without -tags %q:\n%s", want, out)
	}
	mk, err := os.ReadFile(filepath.Join("..", "Makefile"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(mk), `MAILKEY_GUI_TAGS="$(APP_TAGS)"`) {
		t.Error(`the Makefile's test target does not pass MAILKEY_GUI_TAGS="$(APP_TAGS)" to the suite`)
	}
}
