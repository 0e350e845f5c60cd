package cli

import (
	"fmt"
	"sort"
	"strings"

	"github.com/clientele/clientele/replies"
	"github.com/spf13/cobra"
)

func (a *App) repliesCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "replies",
		Short: "Read replies from the mailboxes, or classify saved messages",
		Args:  exactArgs(0, "a subcommand: poll or classify"),
		RunE:  func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "poll",
		Short: "One pass over every mailbox's IMAP folders",
		Long: `poll reads new messages in each mailbox's folders, tells replies from auto-replies,
bounces, complaints and unsubscribe requests, and stops or suppresses accordingly. It never
marks your mail as read.`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, err := a.services(cmd.Context())
			if err != nil {
				return err
			}
			sum, err := svc.PollReplies(cmd.Context())
			fmt.Fprintln(a.env.Stdout, describePoll(sum))
			return err
		},
	}, &cobra.Command{
		Use:   "classify FILE...",
		Short: "Classify saved messages (RFC 5322 files); one JSON object per line; needs no config",
		Long: `classify reads saved messages (RFC 5322 files, as mail programs save them) and prints
one JSON object per file:

  {"file": "...", "kind": "...", "hard": false, "status": "5.1.1", "recipients": ["..."], "in_reply_to": "<...>"}

kind is reply, auto_reply, bounce, complaint, unsubscribe, delivered or other; hard is true for
a permanent failure; status is the RFC 3463 code where one is given; recipients are the failed
addresses of a bounce; in_reply_to is the Message-ID the message answers or reports on.`,
		Args: rangeArgs(1, 1<<30, "one or more message files"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return replies.ClassifyFiles(a.env.Stdout, args)
		},
	})
	return cmd
}

// describePoll summarises a poll in one line: "2 folders, 5 new messages: 3 reply, 1 bounce, ...".
func describePoll(s replies.Summary) string {
	var kinds []string
	for k, n := range s.Kinds {
		kinds = append(kinds, fmt.Sprintf("%d %s", n, k))
	}
	sort.Strings(kinds)
	line := fmt.Sprintf("%s, %s", plural(s.Folders, "folder"), plural(s.Fetched, "new message"))
	if len(kinds) > 0 {
		line += ": " + strings.Join(kinds, ", ")
	}
	line += fmt.Sprintf("; %d concerned a lead", s.Matched)
	if s.Failed > 0 {
		line += fmt.Sprintf("; %s could not be read (see the log)", plural(s.Failed, "folder"))
	}
	return line
}
