package mailkey

import (
	"regexp"
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
