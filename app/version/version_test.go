package version

import (
	"os"
	"regexp"
	"testing"
)

// The fyne tool packages FyneApp.toml's version: both must agree.
func TestMatchesFyneAppToml(t *testing.T) {
	data, err := os.ReadFile("../../FyneApp.toml")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^\s*Version\s*=\s*"([^"]*)"`).FindSubmatch(data)
	if m == nil {
		t.Fatal("FyneApp.toml has no Version")
	}
	if string(m[1]) != Version {
		t.Fatalf("FyneApp.toml says %s, version.Version %s", m[1], Version)
	}
}
