// Command mailkey-man writes mailkey's man pages, one per command
// (mailkey.1, mailkey-send.1, mailkey-relay-add-password.1…), from the same
// command tree as the program: 'make man' runs it into bin/man/man1.
// SOURCE_DATE_EPOCH, when set, dates the pages, for reproducible builds.
package main

import (
	"flag"
	"fmt"
	"os"

	mailkey "github.com/mailkey-app/mailkey"
	"github.com/mailkey-app/mailkey/app/cli"
	"github.com/spf13/cobra/doc"
)

func main() {
	out := flag.String("out", "bin/man/man1", "the folder to write the pages to")
	flag.Parse()
	if err := write(*out); err != nil {
		fmt.Fprintln(os.Stderr, "mailkey-man:", err)
		os.Exit(1)
	}
}

// write writes every page into dir, which it creates.
func write(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	root := cli.Command(cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr})
	root.InitDefaultHelpCmd()
	root.InitDefaultHelpFlag()
	root.InitDefaultVersionFlag()
	root.InitDefaultCompletionCmd()
	header := &doc.GenManHeader{Title: "MAILKEY", Section: "1", Source: "mailkey " + mailkey.Version, Manual: "mailkey manual"}
	return doc.GenManTree(root, header, dir)
}
