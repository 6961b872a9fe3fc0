package ui

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/lang"
)

// Fyne's own texts (its file dialog's Cancel and Open) follow the language
// chosen in mailkey, whatever the system's: French chosen on an English
// system, English on a French one. The environment is left as it was.
func TestFyneTextsFollowTheChosenLanguage(t *testing.T) {
	defer useLanguage("en")
	for _, tc := range []struct {
		system, code, cancel, open string
	}{
		{"en_US.UTF-8", "fr", "Annuler", "Ouvrir"},
		{"en_US.UTF-8", "en", "Cancel", "Open"},
		{"fr_FR.UTF-8", "en", "Cancel", "Open"},
		{"fr_FR.UTF-8", "fr", "Annuler", "Ouvrir"},
	} {
		t.Setenv("LANGUAGE", "")
		t.Setenv("LC_MESSAGES", "")
		t.Setenv("LANG", tc.system)
		t.Setenv("LC_ALL", tc.system)
		useLanguage(tc.code)
		if got, open := lang.L("Cancel"), lang.L("Open"); got != tc.cancel || open != tc.open {
			t.Errorf("system %s, %s chosen: Fyne says %q and %q, want %q and %q", tc.system, tc.code, got, open, tc.cancel, tc.open)
		}
		if os.Getenv("LC_ALL") != tc.system || os.Getenv("LANGUAGE") != "" {
			t.Errorf("the environment changed: LC_ALL=%q LANGUAGE=%q", os.Getenv("LC_ALL"), os.Getenv("LANGUAGE"))
		}
	}
}

// ui/fynelang holds copies of Fyne's own translations, from the Fyne
// module go.mod requires.
func TestFyneTextsAreFynes(t *testing.T) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "fyne.io/fyne/v2").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	dir := filepath.Join(strings.TrimSpace(string(out)), "lang", "translations")
	for _, code := range screenLanguages {
		name := "base." + code + ".json"
		theirs, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		ours, err := fyneTexts.ReadFile("fynelang/" + name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(ours, theirs) {
			t.Errorf("ui/fynelang/%s differs from Fyne's %s", name, filepath.Join(dir, name))
		}
	}
}
