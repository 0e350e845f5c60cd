package cli

import (
	"fmt"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/clientele/clientele/config"
	"github.com/clientele/clientele/outreach"
	"github.com/spf13/cobra"
)

// Version is the release version, set at build time with
// -ldflags "-X github.com/clientele/clientele/cli.Version=v1.2.3".
var Version = "dev"

func (a *App) initCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "init [DIR]",
		Short: "Write a commented starter clientele.yaml and its templates",
		Long: `init writes a starter clientele.yaml and the templates it uses into DIR (default: the
current folder). The starter config has safe defaults: 40 messages a day per mailbox, at
least 4 minutes (plus up to 3 minutes at random) between two messages, weekdays 09:00-17:00.
Existing files are never overwritten.`,
		Args: rangeArgs(0, 1, "at most one folder"),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := "."
			if len(args) == 1 {
				dir = args[0]
			}
			written, err := config.Starter(dir)
			if err != nil {
				return err
			}
			for _, p := range written {
				fmt.Fprintln(a.env.Stdout, "wrote", p)
			}
			cfgPath := filepath.Join(dir, "clientele.yaml")
			fmt.Fprintf(a.env.Stdout, `
Next:
  1. edit %[1]s: your mailbox (from, smtp, imap), the directories to crawl, your postal address;
     put passwords in the environment, as password: "${SMTP_PASSWORD}";
  2. check it:          clientele --config %[1]s config check
  3. find prospects:    clientele --config %[1]s crawl
  4. see what would go: clientele --config %[1]s send --dry-run
  5. unpause the campaign (paused: false) and start the daemon: clientele --config %[1]s run
`, cfgPath)
			return nil
		},
	}
}

func (a *App) configCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Check the config file",
		Args:  exactArgs(0, "a subcommand: check"),
		RunE:  func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "check",
		Short: "Validate the config and its templates; each problem names file:line:col and the key",
		Long: `check reads the config file, expands ${ENV} variables, and validates every key and every
template. All problems are listed at once, each with its file:line:col and key path.
Secrets are never printed. Exit status 0 when valid, 2 when not.`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := a.config()
			if err != nil {
				return err
			}
			// Parsing proves the syntax; running each template on a sample lead finds the
			// fields that do not exist, before a send does.
			if err := outreach.New(cfg, nil, a.logger()).CheckTemplates(); err != nil {
				return usagef("%v", err)
			}
			fmt.Fprintf(a.env.Stdout, "%s is valid: %s\n", a.configFile(), describeConfig(cfg))
			return nil
		},
	})
	return cmd
}

// describeConfig summarises a config in one line, without secrets.
func describeConfig(cfg *config.Config) string {
	steps := 0
	for _, c := range cfg.Campaigns {
		steps += len(c.Steps)
	}
	parts := []string{
		plural(len(cfg.Crawl.Sources), "source"),
		plural(len(cfg.Mailboxes), "mailbox"),
		plural(len(cfg.Campaigns), "campaign") + " (" + plural(steps, "step") + ")",
		"database " + cfg.Database,
	}
	return strings.Join(parts, ", ")
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	switch {
	case strings.HasSuffix(word, "s"), strings.HasSuffix(word, "x"), strings.HasSuffix(word, "ch"), strings.HasSuffix(word, "sh"):
		word += "es"
	case len(word) > 1 && strings.HasSuffix(word, "y") && !strings.ContainsAny(word[len(word)-2:len(word)-1], "aeiou"):
		word = word[:len(word)-1] + "ies"
	default:
		word += "s"
	}
	return fmt.Sprintf("%d %s", n, word)
}

func (a *App) versionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version of clientele",
		Args:  exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			v := Version
			if info, ok := debug.ReadBuildInfo(); ok && v == "dev" {
				if info.Main.Version != "" && info.Main.Version != "(devel)" {
					v = info.Main.Version
				}
				for _, s := range info.Settings {
					if s.Key == "vcs.revision" && len(s.Value) >= 12 {
						v += " (" + s.Value[:12] + ")"
					}
				}
			}
			fmt.Fprintf(a.env.Stdout, "clientele %s\n", v)
			return nil
		},
	}
}
