package cli

import "github.com/spf13/cobra"

func (a *App) crawlCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "crawl",
		Short: "Crawl the directories of the config now",
		Long: `crawl visits the configured directory sources, follows each business to its own
website, finds a working email address there and stores the leads. It honours robots.txt and
the per-host delays. A progress bar on a terminal, plain log lines otherwise.`,
		Args: exactArgs(0, "no arguments"),
		RunE: notBuilt("crawl"),
	}
	cmd.Flags().String("source", "", "crawl only the source with this name")
	return cmd
}

func (a *App) sendCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "send",
		Short: "Send what is due now, within limits and windows",
		Long: `send runs one send pass: every step that is due goes out, within each mailbox's daily
limit and pacing and each campaign's window. --dry-run prints a line per message that would
go out (campaign, step, recipient, subject) and records nothing.`,
		Args: exactArgs(0, "no arguments"),
		RunE: notBuilt("send"),
	}
	cmd.Flags().String("campaign", "", "send only this campaign")
	cmd.Flags().Bool("dry-run", false, "print what would go out and record nothing")
	return cmd
}

func (a *App) previewCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "preview --campaign NAME --lead ID|EMAIL [--step N]",
		Short: "Print the exact message a lead would get, headers included",
		Args:  exactArgs(0, "no arguments besides its flags"),
		RunE:  notBuilt("preview"),
	}
	cmd.Flags().String("campaign", "", "campaign name (required)")
	cmd.Flags().String("lead", "", "lead id or email (required)")
	cmd.Flags().Int("step", 1, "step number, from 1")
	return cmd
}

func (a *App) statsCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "stats",
		Short: "Per campaign and step: enrolled, sent, replied, bounced, unsubscribed, rates",
		Args:  exactArgs(0, "no arguments"),
		RunE:  notBuilt("stats"),
	}
}

func (a *App) demoCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "The whole pipeline on a bundled sample directory against an embedded mail server",
		Args:  exactArgs(0, "no arguments"),
		RunE:  notBuilt("demo"),
	}
	cmd.Flags().String("keep", "", "keep the demo's config, database and mail in this folder")
	return cmd
}
