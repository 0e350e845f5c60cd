package cli

import (
	"errors"
	"log/slog"
	"os/signal"
	"syscall"

	"github.com/clientele/clientele/demo"
	"github.com/spf13/cobra"
)

func (a *App) demoCommand() *cobra.Command {
	var keep string
	cmd := &cobra.Command{
		Use:   "demo [--keep DIR]",
		Short: "The whole pipeline on a bundled sample directory against an embedded mail server",
		Long: `demo runs clientele end to end on this machine, with nothing to set up: a bundled
sample directory of businesses and their websites served on loopback, a mail server standing
in for the world's mail, and your real clientele code in between. It crawls the directory,
enrols the leads, sends step 1, has replies of each kind arrive (a person, an out-of-office,
a bounce, an unsubscribe request, a complaint), reads them, fast-forwards the clock to send
the follow-ups, and ends with the stats and where to look.

It needs no config and leaves nothing behind, unless --keep DIR keeps its config, database
and mail there to look around afterwards (for example with clientele --config DIR/clientele.yaml
leads list).`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			// Piped into a pager or head that quits early, the demo must still clean up:
			// with SIGPIPE ignored, writes fail instead of killing the process.
			signal.Ignore(syscall.SIGPIPE)
			log := slog.New(slog.NewTextHandler(a.env.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
			err := demo.Run(cmd.Context(), demo.Options{Keep: keep, Out: a.env.Stdout, Log: log})
			if errors.Is(err, demo.ErrKeepNotEmpty) {
				return usageError{err}
			}
			return err
		},
	}
	cmd.Flags().StringVar(&keep, "keep", "", "keep the demo's config, database and mail in this folder")
	return cmd
}
