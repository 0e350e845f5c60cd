package cli

import (
	"fmt"

	"github.com/spf13/cobra"
)

func (a *App) resumeCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "resume mailbox|campaign NAME",
		Short: "Lift the pause a mailbox or campaign put on itself",
		Long: `A mailbox whose server keeps failing, and a campaign whose hard-bounce rate passes its
bounce_shield (2% by default), pause themselves and say why (in stats, on the status page
and in the log). Once you have fixed the cause, resume lifts the pause; the failure and
bounce counts start again.
A campaign paused in the config (paused: true) is resumed by editing the config.`,
		Args: exactArgs(0, "a subcommand: mailbox or campaign"),
		RunE: func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	for _, kind := range []string{"mailbox", "campaign"} {
		cmd.AddCommand(&cobra.Command{
			Use:   kind + " NAME",
			Short: "Lift the automatic pause of a " + kind,
			Args:  exactArgs(1, "the "+kind+"'s name"),
			RunE: func(cmd *cobra.Command, args []string) error {
				svc, err := a.services(cmd.Context())
				if err != nil {
					return err
				}
				if kind == "mailbox" {
					if !hasMailbox(svc, args[0]) {
						return usagef("no mailbox named %q in the config", args[0])
					}
					err = svc.ResumeMailbox(args[0])
				} else {
					if !hasCampaign(svc, args[0]) {
						return usagef("no campaign named %q in the config", args[0])
					}
					err = svc.ResumeCampaign(args[0])
				}
				if err != nil {
					return err
				}
				fmt.Fprintf(a.env.Stdout, "%s %s resumed\n", kind, args[0])
				return nil
			},
		})
	}
	return cmd
}
