package cli

import (
	"io"
	"log/slog"
	"strings"

	"github.com/spf13/cobra"
)

func (a *App) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "clientele",
		Short: "Find clients in public directories and write to them, politely, from your own mailbox",
		Long: `clientele finds businesses in public directories, finds a way to email each one, and
runs personal multi-step email sequences from your own mailbox, stopping the moment someone
replies, bounces or opts out. All state lives in one database file; settings in one YAML file.

The config is --config, else $CLIENTELE_CONFIG, else ./clientele.yaml.
Exit status: 0 success, 1 failure at run time, 2 bad usage or invalid config.`,
		SilenceErrors: true,
		SilenceUsage:  true,
		// Help for the bare command instead of an error.
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usagef("unknown command %q; see `clientele --help`", args[0])
			}
			return cmd.Help()
		},
		Args: cobra.ArbitraryArgs,
	}
	root.CompletionOptions.DisableDefaultCmd = true
	root.PersistentFlags().StringVar(&a.configPath, "config", "", "config file (default $CLIENTELE_CONFIG, else ./clientele.yaml)")
	root.PersistentFlags().StringVar(&a.logFormat, "log-format", "auto", "log format: auto (text on a terminal, JSON otherwise), text or json")
	root.PersistentFlags().StringVar(&a.logLevel, "log-level", "info", "log level: debug, info, warn or error")
	root.PersistentFlags().StringVar(&a.fileName, fileNameFlag, "", "")
	_ = root.PersistentFlags().MarkHidden(fileNameFlag)
	root.PersistentPreRunE = func(cmd *cobra.Command, args []string) error {
		switch a.logFormat {
		case "auto", "text", "json":
		default:
			return usagef("--log-format must be auto, text or json, not %q", a.logFormat)
		}
		var lvl slog.Level
		if err := lvl.UnmarshalText([]byte(a.logLevel)); err != nil {
			return usagef("--log-level must be debug, info, warn or error, not %q", a.logLevel)
		}
		return nil
	}
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return usagef("%v (see `%s --help`)", err, cmd.CommandPath())
	})
	root.AddCommand(
		a.initCommand(),
		a.configCommand(),
		a.runCommand(),
		a.doctorCommand(),
		a.crawlCommand(),
		a.sendCommand(),
		a.repliesCommand(),
		a.leadsCommand(),
		a.suppressCommand(),
		a.previewCommand(),
		a.statsCommand(),
		a.resumeCommand(),
		a.demoCommand(),
		a.backupCommand(),
		a.versionCommand(),
	)
	return root
}

// fileNameFlag carries the name of a file whose bytes travel as standard input to the
// daemon, so messages name the file the user gave.
const fileNameFlag = "forwarded-file-name"

// isCobraUsage recognises the usage errors cobra itself returns (unknown commands).
func isCobraUsage(err error) bool {
	msg := err.Error()
	return strings.HasPrefix(msg, "unknown command") || strings.HasPrefix(msg, "unknown flag") ||
		strings.HasPrefix(msg, "unknown shorthand flag")
}

// exactArgs is cobra.ExactArgs with a usage error that says what is expected.
func exactArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return usagef("%s needs %s (see `%s --help`)", cmd.CommandPath(), what, cmd.CommandPath())
		}
		return nil
	}
}

// rangeArgs accepts between min and max arguments.
func rangeArgs(min, max int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) < min || len(args) > max {
			return usagef("%s takes %s (see `%s --help`)", cmd.CommandPath(), what, cmd.CommandPath())
		}
		return nil
	}
}

// newLogger builds the run's logger: JSON when not on a terminal (or when asked), text
// otherwise.
func newLogger(w io.Writer, format, level string, terminal bool) *slog.Logger {
	var lvl slog.Level
	_ = lvl.UnmarshalText([]byte(level)) // checked by the root command; info when empty
	opts := &slog.HandlerOptions{Level: lvl}
	if format == "json" || (format == "auto" && !terminal) {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
