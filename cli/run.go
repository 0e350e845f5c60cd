package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"

	"github.com/clientele/clientele/app"
	"github.com/clientele/clientele/localapi"
	"github.com/clientele/clientele/store"
	"github.com/spf13/cobra"
)

func (a *App) runCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "run",
		Short: "Run the daemon: crawl, send and poll replies on their schedules, and serve HTTP",
		Long: `run is the background service. It crawls, sends and polls replies on the cron
schedules of the config, serves the status page, unsubscribe links, /metrics and /healthz on
http.listen, and answers every other clientele command run meanwhile (they are forwarded to
it over a unix socket next to the database).

SIGINT/SIGTERM stop it cleanly: no new jobs start, the message in flight is finished, then
it exits. SIGHUP, or saving the config file or a template, reloads the config; an invalid
edit is refused with every problem logged and the daemon keeps the config it had.
A second daemon on the same database is refused (exit status 1: it is a failure at run
time, not a mistake in the command line or the config).`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if a.env.Services != nil {
				return errors.New("the daemon is already running on this database; a second daemon on one database is refused")
			}
			cfg, err := a.config()
			if err != nil {
				return err
			}
			db, err := store.Open(cfg.Database, store.Options{Now: a.env.Now})
			if errors.Is(err, store.ErrInUse) {
				return fmt.Errorf("another process already holds %s (is a clientele daemon running?); a second daemon on one database is refused", cfg.Database)
			}
			if err != nil {
				return err
			}
			a.db, a.ownsDB = db, true
			errLog := app.NewErrorLog(a.logger().Handler(), 20)
			a.log = slog.New(errLog)
			d := app.NewDaemon(cfg, db, app.DaemonOptions{
				Getenv: a.env.Getenv, Now: a.env.Now, Log: a.log, Errors: errLog,
				Exec: a.forwardedExec, Resolver: a.env.Resolver,
			})
			return d.Run(cmd.Context())
		},
	}
}

// forwardedExec runs command lines forwarded by other processes with the daemon's services.
func (a *App) forwardedExec(s *app.Services) localapi.Exec {
	return func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
		return Run(ctx, args, Env{
			Stdin: stdin, Stdout: stdout, Stderr: stderr,
			Getenv: a.env.Getenv, Now: a.env.Now,
			Services: s,
		})
	}
}
