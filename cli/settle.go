package cli

import (
	"errors"
	"fmt"

	"github.com/clientele/clientele/outreach"
	"github.com/spf13/cobra"
)

func (a *App) leadsSettleCommand() *cobra.Command {
	var campaign string
	var sent, notSent bool
	cmd := &cobra.Command{
		Use:   "settle ID|EMAIL --campaign NAME --sent|--not-sent",
		Short: "Decide a step of unknown outcome: it went out, or it did not",
		Long: `When clientele stops while handing a message to the mail server, nobody knows whether it
went out: the step is "unknown" (leads show and stats list them) and is never resent on its
own. Where the mailbox has IMAP, replies poll looks for it in the Sent folder. Otherwise look
in your mail program and tell clientele: --sent moves the sequence on; --not-sent makes the
step due again, so it goes out once.`,
		Args: exactArgs(1, "a lead id or email address"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if campaign == "" || sent == notSent {
				return usagef("settle needs --campaign NAME and exactly one of --sent or --not-sent")
			}
			svc, err := a.services(cmd.Context())
			if err != nil {
				return err
			}
			if !hasCampaign(svc, campaign) {
				return usagef("no campaign named %q in the config", campaign)
			}
			err = svc.Engine.SettleStep(cmd.Context(), args[0], campaign, sent)
			if errors.Is(err, outreach.ErrNoUnknownStep) {
				return fmt.Errorf("%s has no step of unknown outcome in campaign %s", args[0], campaign)
			}
			if err != nil {
				return err
			}
			if sent {
				fmt.Fprintf(a.env.Stdout, "recorded as sent; the sequence of %s goes on\n", args[0])
			} else {
				fmt.Fprintf(a.env.Stdout, "recorded as not sent; the step is due again for %s\n", args[0])
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&campaign, "campaign", "", "the campaign of the step (required)")
	cmd.Flags().BoolVar(&sent, "sent", false, "the message did go out")
	cmd.Flags().BoolVar(&notSent, "not-sent", false, "the message did not go out")
	return cmd
}
