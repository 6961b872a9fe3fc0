//go:build !unix

package main

import (
	"os"
	"os/exec"
)

// execApp runs the app and waits for it (no exec(2) here).
func execApp(path string) error {
	c := exec.Command(path)
	c.Stdin, c.Stdout, c.Stderr = os.Stdin, os.Stdout, os.Stderr
	return c.Run()
}
