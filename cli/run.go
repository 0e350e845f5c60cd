package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/clientele/clientele/localapi"
	"github.com/clientele/clientele/store"
	"github.com/spf13/cobra"
)

// shutdownTimeout bounds how long the daemon waits for forwarded commands on exit.
const shutdownTimeout = 10 * time.Second

func (a *App) runCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "run",
		Short: "Run the daemon: crawl, send and poll replies on their schedules, and serve HTTP",
		Long: `run is the background service. It holds the database and answers every other
clientele command run meanwhile (they are forwarded to it over a unix socket next to the
database), crawls, sends and polls replies on the cron schedules of the config, and serves
the status page, unsubscribe links, /metrics and /healthz. SIGINT/SIGTERM stop it cleanly.
A second daemon on the same database is refused (exit status 2).`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if a.env.DB != nil {
				return usagef("the daemon is already running on this database")
			}
			cfg, err := a.config()
			if err != nil {
				return err
			}
			db, err := store.Open(cfg.Database, store.Options{Now: a.env.Now})
			if errors.Is(err, store.ErrInUse) {
				return usagef("another process already holds %s (is a clientele daemon running?); a second daemon on one database is refused", cfg.Database)
			}
			if err != nil {
				return err
			}
			a.db, a.ownsDB = db, true
			log := a.logger().With("component", "daemon")

			api := localapi.NewServer(localapi.SocketPath(cfg.Database), a.daemonExec(), log)
			if err := api.Open(cmd.Context()); err != nil {
				return err
			}
			log.Info("daemon started", "database", cfg.Database, "config", cfg.File, "socket", localapi.SocketPath(cfg.Database))
			<-cmd.Context().Done()
			log.Info("stopping")
			ctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
			defer cancel()
			if err := api.Close(ctx); err != nil {
				log.Warn("local API did not stop cleanly", "error", err)
			}
			log.Info("stopped")
			return nil
		},
	}
}

// daemonExec runs a forwarded command line with the daemon's own config and database.
func (a *App) daemonExec() localapi.Exec {
	return func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
		cfg, err := a.config()
		if err != nil {
			fmt.Fprintln(stderr, "clientele:", err)
			return ExitFailure
		}
		return Run(ctx, args, Env{
			Stdin: stdin, Stdout: stdout, Stderr: stderr,
			Getenv: a.env.Getenv, Now: a.env.Now,
			Config: cfg, DB: a.db,
		})
	}
}
