package mailkey

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestVersionFromFyneAppToml(t *testing.T) {
	if !regexp.MustCompile(`^\d+\.\d+\.\d+$`).MatchString(Version) || Build < 1 {
		t.Fatalf("FyneApp.toml gave version %q build %d", Version, Build)
	}
	toml := "Website = \"x\"\n\n[Details]\nName = \"mailkey\"\nVersion = \"1.2.3\"\n  Build = 7\n\n[LinuxAndBSD]\nVersion = \"9\"\n"
	if v, b := detail(toml, "Version"), detail(toml, "Build"); v != "1.2.3" || b != "7" {
		t.Fatalf("detail: %q %q", v, b)
	}
	if v := detail("[LinuxAndBSD]\nVersion = \"9\"\n", "Version"); v != "" {
		t.Fatalf("a Version outside [Details]: %q", v)
	}
}

// ID is the desktop entry's name the packages install: the metainfo's id
// and its launchable desktop-id agree with FyneApp.toml.
func TestIDFromFyneAppToml(t *testing.T) {
	if ID != "app.mailkey.mailkey" {
		t.Fatalf("FyneApp.toml gave ID %q", ID)
	}
	meta, err := os.ReadFile(filepath.Join("packaging", ID+".metainfo.xml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<id>" + ID + "</id>", `<launchable type="desktop-id">` + ID + ".desktop</launchable>"} {
		if !strings.Contains(string(meta), want) {
			t.Errorf("the metainfo lacks %s", want)
		}
	}
}
