//go:build unix

package main

import (
	"os"
	"syscall"
)

// execApp replaces mailkey with the app, so that the app gets mailkey's
// process, signals and exit status, and nothing waits in between.
func execApp(path string) error {
	return syscall.Exec(path, []string{path}, os.Environ())
}
