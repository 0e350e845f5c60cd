package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/clientele/clientele/app"
	"github.com/clientele/clientele/doctor"
	"github.com/spf13/cobra"
)

// doctorTimeout bounds a whole doctor run, the send test's wait included, whatever the
// servers do.
const doctorTimeout = 10 * time.Minute

func (a *App) doctorCommand() *cobra.Command {
	var mailbox string
	var sendTest bool
	cmd := &cobra.Command{
		Use:   "doctor [--mailbox NAME] [--send-test]",
		Short: "Check each mailbox before sending: logins, MX, SPF, DMARC, the public URL",
		Long: `doctor checks what decides whether your mail arrives, before anything is sent: each
mailbox's SMTP and IMAP servers are reachable and accept the login, the From domain publishes
MX, SPF and DMARC records that vouch for the server that sends, and http.public_url (where the
unsubscribe links point) is reachable over https.

--send-test also sends one message from each mailbox to its own address, finds it over IMAP
(in every folder, junk included, without marking anything read) and reports its
Authentication-Results (spf, dkim, dmarc) and the folder it landed in.

It prints one line per check (ok, warn or FAIL) with the fix, and exits with status 1 when
any check fails. The daemon runs the same checks (without the test message) when it starts.`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := a.config()
			if err != nil {
				return err
			}
			if mailbox != "" {
				found := false
				for _, m := range cfg.Mailboxes {
					found = found || m.Name == mailbox
				}
				if !found {
					return usagef("no mailbox named %q in the config", mailbox)
				}
			}
			ctx, cancel := context.WithTimeout(cmd.Context(), doctorTimeout)
			defer cancel()
			res := app.Doctor(ctx, cfg, a.env.Resolver, a.env.Now, doctor.Options{Mailbox: mailbox, SendTest: sendTest})
			if err := res.Report.Write(a.env.Stdout); err != nil {
				return err
			}
			if res.Report.Failed() {
				return fmt.Errorf("%s failed: see the fixes above", plural(res.Report.Count(doctor.Fail), "check"))
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&mailbox, "mailbox", "", "check only the mailbox with this name")
	cmd.Flags().BoolVar(&sendTest, "send-test", false, "send a message to each mailbox's own address and read it back")
	return cmd
}
