package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/clientele/clientele/lead"
	"github.com/clientele/clientele/store"
	"github.com/spf13/cobra"
)

// outcomeNames are the values `leads mark` accepts, "none" clearing the outcome.
var outcomeNames = func() string {
	var names []string
	for _, o := range lead.Outcomes {
		names = append(names, string(o))
	}
	return strings.Join(names, ", ") + " or none"
}()

func (a *App) leadsMarkCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "mark ID|EMAIL OUTCOME",
		Short: "Record where a conversation went: " + outcomeNames,
		Long: `mark records where the conversation with a lead went: interested, not_interested,
meeting, won or lost; none clears it. not_interested and lost also stop the lead's
sequences. The outcome shows in stats, in the dashboard and in the lead's timeline.`,
		Args: exactArgs(2, "a lead id or email address, and an outcome ("+outcomeNames+")"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o, ok := lead.ParseOutcome(args[1])
			if !ok {
				return usagef("%q is not an outcome; use one of %s", args[1], outcomeNames)
			}
			svc, err := a.services(cmd.Context())
			if err != nil {
				return err
			}
			l, n, err := svc.MarkOutcome(args[0], o)
			switch {
			case errors.Is(err, store.ErrNotFound):
				return fmt.Errorf("no lead %q", args[0])
			case errors.Is(err, store.ErrInvalid):
				return usagef("%q is neither a lead id nor an email address", args[0])
			case err != nil:
				return err
			}
			if o == lead.OutcomeNone {
				fmt.Fprintf(a.env.Stdout, "lead %d (%s): outcome cleared\n", l.ID, l.Email)
			} else {
				fmt.Fprintf(a.env.Stdout, "lead %d (%s): %s\n", l.ID, l.Email, o)
			}
			if n > 0 {
				fmt.Fprintf(a.env.Stdout, "stopped %s\n", plural(n, "sequence"))
			}
			return nil
		},
	}
}
