// Package mailkey holds what every part of mailkey shares about itself: its
// version and its application ID. FyneApp.toml is the one place it is written; the fyne packaging
// tool and 'make package' read the same file, and this package embeds it.
package mailkey

import (
	_ "embed"
	"strconv"
	"strings"
)

//go:embed FyneApp.toml
var fyneApp string

// Version is FyneApp.toml's [Details] Version, for example "0.1.0".
var Version = detail(fyneApp, "Version")

// Build is FyneApp.toml's [Details] Build number.
var Build, _ = strconv.Atoi(detail(fyneApp, "Build"))

// ID is FyneApp.toml's [Details] ID, "app.mailkey.mailkey": the name of the
// installed desktop entry (ID.desktop) and of the AppStream metainfo.
var ID = detail(fyneApp, "ID")

// detail returns the value of key in the [Details] table of a FyneApp.toml,
// unquoted: the file is flat, one key = value per line.
func detail(toml, key string) string {
	section := ""
	for _, line := range strings.Split(toml, "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "[") {
			section = strings.Trim(line, "[]")
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok || section != "Details" || strings.TrimSpace(k) != key {
			continue
		}
		v = strings.TrimSpace(v)
		if u, err := strconv.Unquote(v); err == nil {
			return u
		}
		return v
	}
	return ""
}
