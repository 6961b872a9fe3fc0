// Command mailkey-app is mailkey's desktop app, the binary the .desktop entry
// runs. It is separate from the command line (cmd/mailkey) so that the CLI
// links no GUI: no cgo, no libGL, a faster start for every 'mailkey token'.
// 'mailkey' without arguments, or 'mailkey app', starts this binary.
package main

import (
	"fmt"
	"os"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/cli"
	"github.com/mailkey-app/mailkey/app/engine"
	"github.com/mailkey-app/mailkey/ui"
)

func main() {
	if len(os.Args) > 1 {
		fmt.Fprintf(os.Stderr, "mailkey-app opens the app and takes no arguments.\nFor the commands, run 'mailkey %s' (see 'mailkey help').\n", os.Args[1])
		os.Exit(cli.ExitUsage)
	}
	dir, err := account.DefaultDir()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(cli.ExitFailure)
	}
	ui.Run(engine.New(dir))
}
