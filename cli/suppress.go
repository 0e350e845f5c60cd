package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/clientele/clientele/lead"
	"github.com/clientele/clientele/store"
	"github.com/spf13/cobra"
)

func (a *App) suppressCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "suppress",
		Short: "The do-not-contact list: addresses and whole @domains",
		Long: `suppress manages the global do-not-contact list. An address (ana@example.com) or a
whole domain (@example.com, which also covers its subdomains) on the list is never emailed,
by any campaign. Unsubscribes, hard bounces, complaints and forgotten leads are added
automatically.`,
		Args: exactArgs(0, "a subcommand: add, remove or list"),
		RunE: func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	var reason string
	add := &cobra.Command{
		Use:   "add EMAIL|@DOMAIN...",
		Short: "Never email these addresses or domains",
		Args:  rangeArgs(1, 1<<30, "one or more addresses or @domains"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.eachSuppression(cmd, args, func(db *store.DB, v string) (string, error) {
				return "suppressed " + v, db.Suppress(v, reason)
			})
		},
	}
	add.Flags().StringVar(&reason, "reason", "manual", "why, for your own records")
	remove := &cobra.Command{
		Use:   "remove EMAIL|@DOMAIN...",
		Short: "Take addresses or domains off the list",
		Args:  rangeArgs(1, 1<<30, "one or more addresses or @domains"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.eachSuppression(cmd, args, func(db *store.DB, v string) (string, error) {
				ok, err := db.Unsuppress(v)
				if !ok {
					return v + " was not on the list", err
				}
				return "removed " + v, err
			})
		},
	}
	var asJSON bool
	list := &cobra.Command{
		Use:   "list",
		Short: "Print the do-not-contact list",
		Args:  exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			db, err := a.store(cmd.Context())
			if err != nil {
				return err
			}
			entries, err := db.Suppressions()
			if err != nil {
				return err
			}
			if asJSON {
				if entries == nil {
					entries = []lead.Suppression{}
				}
				enc := json.NewEncoder(a.env.Stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(entries)
			}
			tw := tabwriter.NewWriter(a.env.Stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "VALUE\tREASON\tSINCE")
			for _, e := range entries {
				fmt.Fprintf(tw, "%s\t%s\t%s\n", e.Value, e.Reason, e.Time.Local().Format(time.DateTime))
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			fmt.Fprintln(a.env.Stderr, plural(len(entries), "entry"))
			return nil
		},
	}
	list.Flags().BoolVar(&asJSON, "json", false, "print JSON instead of a table")
	cmd.AddCommand(add, remove, list)
	return cmd
}

// eachSuppression applies change to every argument, after checking them all, and prints
// what it did.
func (a *App) eachSuppression(cmd *cobra.Command, args []string, change func(*store.DB, string) (string, error)) error {
	values, err := suppressionValues(args)
	if err != nil {
		return err
	}
	db, err := a.store(cmd.Context())
	if err != nil {
		return err
	}
	for _, v := range values {
		msg, err := change(db, v)
		if err != nil {
			return err
		}
		fmt.Fprintln(a.env.Stdout, msg)
	}
	return nil
}

// suppressionValues normalises the command's arguments, refusing the whole command if any
// is neither an address nor an @domain, so nothing is half-applied.
func suppressionValues(args []string) ([]string, error) {
	out := make([]string, 0, len(args))
	for _, arg := range args {
		v := lead.NormalizeSuppression(arg)
		if v == "" {
			return nil, usagef("%q is neither an email address nor an @domain", arg)
		}
		out = append(out, v)
	}
	return out, nil
}

func (a *App) backupCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "backup FILE",
		Short: "Write a consistent copy of the database, even while the daemon runs",
		Long: `backup writes a consistent copy of the database to FILE (- for standard output), taken
in one read transaction, so it is safe while the daemon runs. The copy is a normal clientele
database: point database: at it to restore.`,
		Args: exactArgs(1, "the file to write"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if args[0] != "-" {
				dbPath, err := a.databasePath()
				if err != nil {
					return err
				}
				if samePath(args[0], dbPath) {
					return usagef("%s is the database itself; write the backup to another file", args[0])
				}
			}
			a.file = &fileArg{path: args[0], output: true}
			db, err := a.store(cmd.Context())
			if err != nil {
				return err
			}
			if args[0] == "-" {
				_, err := db.Backup(a.env.Stdout)
				return err
			}
			n, err := db.BackupFile(args[0])
			if err != nil {
				return err
			}
			fmt.Fprintf(a.env.Stderr, "wrote %s (%d bytes)\n", args[0], n)
			return nil
		},
	}
}

// samePath reports whether a and b name the same file, existing or not.
func samePath(a, b string) bool {
	if fa, err := os.Stat(a); err == nil {
		if fb, err := os.Stat(b); err == nil {
			return os.SameFile(fa, fb)
		}
	}
	absA, errA := filepath.Abs(a)
	absB, errB := filepath.Abs(b)
	return errA == nil && errB == nil && absA == absB
}
