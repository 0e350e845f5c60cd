package cli

import (
	"fmt"
	"strings"
	"time"

	"github.com/clientele/clientele/app"
	"github.com/clientele/clientele/config"
	"github.com/clientele/clientele/crawler"
	"github.com/spf13/cobra"
)

func (a *App) crawlCommand() *cobra.Command {
	var source, try string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "crawl [--source NAME] [--try URL [--json]]",
		Short: "Crawl the directories of the config now",
		Long: `crawl visits the configured directory sources, follows each business to its own
website, finds a working email address there and stores the leads. It honours robots.txt and
the per-host delays. Several sources are crawled side by side, and host_delay holds for
every host across all of them. A progress bar on a terminal, plain log lines otherwise. An
interrupted crawl continues where it stopped the next time.

--try URL fetches that one page as a crawl would (robots.txt, the private-network guard,
the --source's selectors when named) and stores nothing: it prints each business it reads
(name, email, phone, website, address and the reader that found it, "via") and the links
a crawl would follow from it; --json prints one JSON object per business. When it reads no
business it says why and exits with status 1. It never opens the database, so it works
while the daemon runs.`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if try != "" {
				return a.crawlTry(cmd, try, source, asJSON)
			}
			if asJSON {
				return usagef("--json goes with --try URL")
			}
			svc, err := a.services(cmd.Context())
			if err != nil {
				return err
			}
			if source != "" && !hasSource(svc.Config.Crawl.Sources, source) {
				return usagef("no source named %q in the config", source)
			}
			view := crawler.NewProgressView(a.env.Stderr, a.env.IsTerminal, a.logger(), 30*time.Second)
			sum, err := svc.Crawl(cmd.Context(), source, crawler.WithProgress(&crawler.Progress{}, view.Update))
			view.Finish()
			fmt.Fprintf(a.env.Stdout, "crawled %s: %s, %s found, %d with an email; %s, %d merged into existing ones; %s, %s refused by robots.txt, %s skipped (seen recently) in %s\n",
				plural(sum.Sources, "source"), plural(int(sum.Pages), "page"), plural(int(sum.Businesses), "business"),
				sum.WithEmail, plural(sum.LeadsCreated, "new lead"), sum.LeadsMerged, plural(int(sum.Errors), "failed fetch"),
				plural(int(sum.RobotsBlocked), "page"), plural(int(sum.SkippedRecent), "site"), sum.Duration.Round(time.Second))
			if err == nil && sum.Pages == 0 && sum.Errors > 0 {
				return fmt.Errorf("no page could be fetched: see the log above")
			}
			return err
		},
	}
	cmd.Flags().StringVar(&source, "source", "", "crawl only the source with this name")
	cmd.Flags().StringVar(&try, "try", "", "read this one page as a crawl would and store nothing")
	cmd.Flags().BoolVar(&asJSON, "json", false, "with --try: one JSON object per business")
	return cmd
}

func (a *App) sendCommand() *cobra.Command {
	var campaign string
	var dryRun bool
	cmd := &cobra.Command{
		Use:   "send [--campaign NAME] [--dry-run]",
		Short: "Send what is due now, within limits and windows",
		Long: `send runs one send pass: every step that is due goes out, within each mailbox's daily
limit and pacing and each campaign's window; leads not yet in a sequence are enrolled as the
limits allow. --dry-run prints a line per message that would go out (campaign, step,
recipient, subject) and records nothing.`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, err := a.services(cmd.Context())
			if err != nil {
				return err
			}
			if campaign != "" && !hasCampaign(svc, campaign) {
				return usagef("no campaign named %q in the config", campaign)
			}
			sum, err := svc.Send(cmd.Context(), campaign, dryRun, a.env.Stdout)
			verb := "sent"
			if dryRun {
				verb = "would send"
			}
			line := fmt.Sprintf("%s %s; %d enrolled, %d deferred, %d bounced, %d could not be sent, %d of unknown outcome",
				verb, plural(sum.Sent, "message"), sum.Enrolled, sum.Deferred, sum.Bounced, sum.Failed, sum.Unknown)
			if len(sum.Paused) > 0 {
				line += "; paused: " + strings.Join(sum.Paused, "; ")
			}
			fmt.Fprintln(a.env.Stderr, line)
			if dryRun {
				writeDryRunHeld(a.env.Stderr, svc, campaign)
			}
			if sum.Sent == 0 {
				for _, why := range svc.Engine.Blockers(a.env.Now()) {
					fmt.Fprintln(a.env.Stderr, "  "+why)
				}
			}
			if err == nil && !dryRun && sum.Sent == 0 && sum.Deferred > 0 {
				return fmt.Errorf("nothing could be sent: %s deferred (the log above says why), to be retried later", plural(sum.Deferred, "step"))
			}
			return err
		},
	}
	cmd.Flags().StringVar(&campaign, "campaign", "", "send only this campaign")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "print what would go out and record nothing")
	return cmd
}

func (a *App) previewCommand() *cobra.Command {
	var campaign, ref, variant string
	var step int
	cmd := &cobra.Command{
		Use:   "preview --campaign NAME --lead ID|EMAIL [--step N] [--variant A]",
		Short: "Print the exact message a lead would get, headers included",
		Long: `preview prints the exact message a step of a campaign would send to a lead, headers
included, as it would go to the SMTP server. Nothing is sent or recorded. Without --step it
shows the lead's next step. A step with variants (A, B, …) is shown in each of them, the
lead's own marked; --variant shows one.`,
		Args: exactArgs(0, "no arguments besides its flags"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if campaign == "" || ref == "" {
				return usagef("preview needs --campaign NAME and --lead ID|EMAIL")
			}
			if step < 0 {
				return usagef("--step counts from 1")
			}
			svc, err := a.services(cmd.Context())
			if err != nil {
				return err
			}
			if !hasCampaign(svc, campaign) {
				return usagef("no campaign named %q in the config", campaign)
			}
			if n := stepCount(svc, campaign); step > n {
				return usagef("campaign %s has %s; --step %d does not exist", campaign, plural(n, "step"), step)
			}
			return svc.Engine.PreviewVariant(campaign, ref, step, strings.ToUpper(strings.TrimSpace(variant)), a.env.Stdout)
		},
	}
	cmd.Flags().StringVar(&campaign, "campaign", "", "campaign name (required)")
	cmd.Flags().StringVar(&ref, "lead", "", "lead id or email (required)")
	cmd.Flags().IntVar(&step, "step", 0, "step number, from 1 (default: the lead's next step)")
	cmd.Flags().StringVar(&variant, "variant", "", "one variant of the step (A, B, …; default: each)")
	return cmd
}

func (a *App) statsCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "stats",
		Short: "Per campaign and step: enrolled, sent, replied, bounced, unsubscribed, rates",
		Long: `stats counts, per campaign and step, the leads enrolled and the messages sent, replied
to, bounced and unsubscribed, with their rates; then the steps of unknown outcome (the
process stopped while handing them to the mail server) that wait for you to settle them;
then, per campaign, the leads that compliance.consent_required and corporate_only hold back,
and what compliance.forget_after is due to forget next.`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, err := a.services(cmd.Context())
			if err != nil {
				return err
			}
			if err := svc.Engine.Stats(a.env.Stdout); err != nil {
				return err
			}
			sum, err := svc.Compliance()
			if err != nil {
				return err
			}
			writeHeldBack(a.env.Stdout, svc, sum)
			writeRetention(a.env.Stdout, svc, sum)
			return nil
		},
	}
}

func hasSource(sources []config.Source, name string) bool {
	for _, s := range sources {
		if s.Name == name {
			return true
		}
	}
	return false
}

func hasCampaign(svc *app.Services, name string) bool {
	for _, c := range svc.Config.Campaigns {
		if c.Name == name {
			return true
		}
	}
	return false
}

func hasMailbox(svc *app.Services, name string) bool {
	for _, m := range svc.Config.Mailboxes {
		if m.Name == name {
			return true
		}
	}
	return false
}

func stepCount(svc *app.Services, campaign string) int {
	for _, c := range svc.Config.Campaigns {
		if c.Name == campaign {
			return len(c.Steps)
		}
	}
	return 0
}
