// Command clientele finds prospects in public business directories and writes to them,
// politely and personally, from the user's own mailbox. See README.md.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/clientele/clientele/cli"
	"golang.org/x/term"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], cli.Env{
		Stdin:      os.Stdin,
		Stdout:     os.Stdout,
		Stderr:     os.Stderr,
		Getenv:     os.Getenv,
		IsTerminal: term.IsTerminal(int(os.Stderr.Fd())),
	})
	stop()
	os.Exit(code)
}
