package ui

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/lang"
)

// Fyne's own texts (its file dialog's Cancel and Open) follow the language
// chosen in mailkey, whatever the system's: French chosen on an English
// system, English on a French one, either on a system whose language Fyne
// has in a regional or script form only (pt-BR, zh-Hans) or in none (ko).
// The environment is left as it was.
func TestFyneTextsFollowTheChosenLanguage(t *testing.T) {
	defer useLanguage("en")
	for _, tc := range []struct {
		system, code, cancel, open string
	}{
		{"en_US.UTF-8", "fr", "Annuler", "Ouvrir"},
		{"en_US.UTF-8", "en", "Cancel", "Open"},
		{"fr_FR.UTF-8", "en", "Cancel", "Open"},
		{"fr_FR.UTF-8", "fr", "Annuler", "Ouvrir"},
		{"pt_BR.UTF-8", "en", "Cancel", "Open"},
		{"pt_BR.UTF-8", "fr", "Annuler", "Ouvrir"},
		{"zh_CN.UTF-8", "en", "Cancel", "Open"},
		{"zh_CN.UTF-8", "fr", "Annuler", "Ouvrir"},
		{"pt_PT.UTF-8", "fr", "Annuler", "Ouvrir"},
		{"de_DE.UTF-8", "fr", "Annuler", "Ouvrir"},
		{"en_GB.UTF-8", "fr", "Annuler", "Ouvrir"},
		{"ko_KR.UTF-8", "fr", "Annuler", "Ouvrir"},
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
	// The overrides added no language Fyne matches instead: System still
	// follows a French locale.
	t.Setenv("LANG", "fr_FR.UTF-8")
	t.Setenv("LC_ALL", "fr_FR.UTF-8")
	useLanguage("")
	if got := currentLanguage(); got != "fr" {
		t.Errorf("System under fr_FR.UTF-8 after the overrides: language %q, want fr", got)
	}
}

// fyneTranslations returns the directory of Fyne's own translations, in the
// Fyne module go.mod requires.
func fyneTranslations(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "fyne.io/fyne/v2").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	return filepath.Join(strings.TrimSpace(string(out)), "lang", "translations")
}

// fyneLocales names every language Fyne has its own texts in, and no other.
func TestFyneLocalesAreFynes(t *testing.T) {
	files, err := os.ReadDir(fyneTranslations(t))
	if err != nil {
		t.Fatal(err)
	}
	var theirs []string
	for _, f := range files {
		code := strings.TrimSuffix(strings.TrimPrefix(f.Name(), "base."), ".json")
		theirs = append(theirs, strings.ReplaceAll(code, "_", "-"))
	}
	if !slices.Equal(fyneLocales, theirs) {
		t.Errorf("fyneLocales = %q, Fyne has texts in %q", fyneLocales, theirs)
	}
}

// ui/fynelang holds copies of Fyne's own translations, from the Fyne
// module go.mod requires.
func TestFyneTextsAreFynes(t *testing.T) {
	dir := fyneTranslations(t)
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
