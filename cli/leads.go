package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/clientele/clientele/lead"
	"github.com/clientele/clientele/store"
	"github.com/spf13/cobra"
)

func (a *App) leadsCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "leads",
		Short: "List, show, export, import, forget and mark leads, and settle steps of unknown outcome",
		Args:  exactArgs(0, "a subcommand: list, show, export, import, forget, mark or settle"),
		RunE:  func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	cmd.AddCommand(a.leadsListCommand(), a.leadsShowCommand(), a.leadsExportCommand(),
		a.leadsImportCommand(), a.leadsForgetCommand(), a.leadsSettleCommand(), a.leadsMarkCommand())
	return cmd
}

// leadFilter selects leads for `leads list`; empty fields match anything.
type leadFilter struct {
	status, category, city, source string
}

func (f leadFilter) match(l *lead.Lead) bool {
	return (f.status == "" || string(l.Status) == f.status) &&
		(f.category == "" || strings.EqualFold(l.Category, f.category)) &&
		(f.city == "" || strings.EqualFold(l.City, f.city)) &&
		(f.source == "" || l.Source == f.source)
}

func (a *App) leadsListCommand() *cobra.Command {
	var f leadFilter
	var asJSON bool
	var limit int
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List leads as a table, optionally filtered",
		Args:  exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if f.status != "" && !lead.Status(f.status).Valid() {
				return usagef("--status %q is not a status; use one of %s", f.status, statusNames())
			}
			db, err := a.store(cmd.Context())
			if err != nil {
				return err
			}
			var rows []*lead.Lead
			errStop := errors.New("limit reached")
			visit := func(l *lead.Lead) error {
				if !f.match(l) {
					return nil
				}
				rows = append(rows, l)
				if limit > 0 && len(rows) >= limit {
					return errStop
				}
				return nil
			}
			if f.status != "" {
				err = db.LeadsWithStatus(lead.Status(f.status), visit)
			} else {
				err = db.ForEachLead(visit)
			}
			if err != nil && !errors.Is(err, errStop) {
				return err
			}
			if asJSON {
				return writeJSONLeads(a, db, rows)
			}
			tw := tabwriter.NewWriter(a.env.Stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tSTATUS\tNAME\tEMAIL\tCITY\tCATEGORY")
			for _, l := range rows {
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", l.ID, l.Status, cell(l.Name, 40), cell(l.Email, 40), cell(l.City, 20), cell(l.Category, 20))
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			fmt.Fprintf(a.env.Stderr, "%s\n", plural(len(rows), "lead"))
			return nil
		},
	}
	cmd.Flags().StringVar(&f.status, "status", "", "only leads with this status ("+statusNames()+")")
	cmd.Flags().StringVar(&f.category, "category", "", "only leads in this category")
	cmd.Flags().StringVar(&f.city, "city", "", "only leads in this city")
	cmd.Flags().StringVar(&f.source, "source", "", "only leads found by this crawl source")
	cmd.Flags().IntVar(&limit, "limit", 0, "show at most this many (0: all)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print a JSON array with the export fields instead of a table")
	return cmd
}

func statusNames() string {
	names := make([]string, len(lead.Statuses))
	for i, s := range lead.Statuses {
		names[i] = string(s)
	}
	return strings.Join(names, ", ")
}

// cell makes a value fit one table cell: one line, at most max characters, "-" when empty.
func cell(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return "-"
	}
	if r := []rune(s); len(r) > max {
		return string(r[:max-1]) + "…"
	}
	return s
}

func (a *App) leadsShowCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "show ID|EMAIL",
		Short: "Show one lead: its data, sequences, messages sent and replies",
		Args:  exactArgs(1, "a lead id or email address"),
		RunE: func(cmd *cobra.Command, args []string) error {
			db, err := a.store(cmd.Context())
			if err != nil {
				return err
			}
			l, err := db.FindLead(args[0])
			if errors.Is(err, store.ErrNotFound) {
				return fmt.Errorf("no lead %q", args[0])
			}
			if errors.Is(err, store.ErrInvalid) {
				return usagef("%q is neither a lead id nor an email address", args[0])
			}
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSONLeads(a, db, []*lead.Lead{l})
			}
			return a.printLead(db, l)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the lead's export fields as JSON")
	return cmd
}

func (a *App) printLead(db *store.DB, l *lead.Lead) error {
	w := tabwriter.NewWriter(a.env.Stdout, 0, 0, 2, ' ', 0)
	row := func(k, v string) {
		if v != "" {
			fmt.Fprintf(w, "%s\t%s\n", k, v)
		}
	}
	row("id", fmt.Sprint(l.ID))
	row("name", l.Name)
	email := l.Email
	if l.RoleEmail {
		email += " (role address)"
	}
	row("email", email)
	if len(l.Emails) > 1 {
		row("all emails", strings.Join(l.Emails, ", "))
	}
	row("phone", l.Phone)
	row("website", l.Website)
	row("address", l.Address)
	row("city", l.City)
	row("country", l.Country)
	row("category", l.Category)
	row("source", l.Source)
	row("source_url", l.SourceURL)
	row("email_source", l.EmailSource)
	row("status", string(l.Status))
	row("outcome", string(l.Outcome))
	row("created", l.CreatedAt.Local().Format(time.DateTime))
	for _, k := range slices.Sorted(maps.Keys(l.Extra)) {
		row(k, l.Extra[k])
	}
	if s := l.Site; s != nil {
		row("site", describeSite(s))
	}
	if err := w.Flush(); err != nil {
		return err
	}
	ens, err := db.EnrollmentsOf(l.ID)
	if err != nil {
		return err
	}
	if len(ens) > 0 {
		fmt.Fprintln(a.env.Stdout, "\nSequences")
		for _, e := range ens {
			line := fmt.Sprintf("  %s: %s, %d sent", e.Campaign, e.State, e.Step)
			if v := strings.Join(slices.DeleteFunc(slices.Clone(e.Variants), func(s string) bool { return s == "" }), ", "); v != "" {
				line += ", variant " + v
			}
			if !e.NextAt.IsZero() && e.State == lead.StateActive {
				next := e.NextAt.Local()
				if loc, err := time.LoadLocation(e.Zone); e.Zone != "" && err == nil {
					next = e.NextAt.In(loc) // the recipient's own time
				}
				line += ", next " + next.Format("2006-01-02 15:04 MST")
				if e.HeldNow() {
					line += " (back from an out-of-office then)"
				}
			}
			if e.Reason != "" {
				line += " (" + e.Reason + ")"
			}
			fmt.Fprintln(a.env.Stdout, line)
		}
	}
	sent, err := db.SentOf(l.ID)
	if err != nil {
		return err
	}
	if len(sent) > 0 {
		fmt.Fprintln(a.env.Stdout, "\nMessages")
		for _, m := range sent {
			at := m.SentAt
			if at.IsZero() {
				at = m.StartedAt
			}
			fmt.Fprintf(a.env.Stdout, "  %s  %s step %d  %s  %q  %s\n", at.Local().Format(time.DateTime), m.Campaign, m.Step, m.State, m.Subject, m.MessageID)
		}
	}
	events, err := db.EventsOf(l.ID)
	if err != nil {
		return err
	}
	if len(events) > 0 {
		fmt.Fprintln(a.env.Stdout, "\nEvents")
		for _, e := range events {
			kind := string(e.Kind)
			if e.Kind == lead.KindBounce {
				kind += map[bool]string{true: " (hard)", false: " (soft)"}[e.Hard]
			}
			fmt.Fprintf(a.env.Stdout, "  %s  %s  %q  %s\n", e.Time.Local().Format(time.DateTime), kind, e.Subject, cell(e.Snippet, 60))
		}
	}
	return nil
}

func describeSite(s *lead.Site) string {
	var parts []string
	parts = append(parts, map[bool]string{true: "https", false: "no https"}[s.HTTPS])
	parts = append(parts, map[bool]string{true: "mobile-friendly", false: "no mobile viewport"}[s.MobileViewport])
	if s.CopyrightYear > 0 {
		parts = append(parts, fmt.Sprintf("© %d", s.CopyrightYear))
	}
	if s.Generator != "" {
		parts = append(parts, s.Generator)
	}
	if s.PageBytes > 0 {
		parts = append(parts, fmt.Sprintf("%d KB", s.PageBytes/1024))
	}
	if s.LoadTime > 0 {
		parts = append(parts, s.LoadTime.Round(time.Millisecond).String())
	}
	return strings.Join(parts, ", ")
}

func (a *App) leadsForgetCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "forget EMAIL",
		Short: "Erase a person's data and keep only a do-not-contact entry",
		Long: `forget erases everything stored about the person with this address (the lead, its
sequences, messages and replies) and keeps only a suppression entry, so they are never
contacted again.`,
		Args: exactArgs(1, "an email address"),
		RunE: func(cmd *cobra.Command, args []string) error {
			email := lead.NormalizeEmail(args[0])
			if email == "" {
				return usagef("%q is not an email address", args[0])
			}
			db, err := a.store(cmd.Context())
			if err != nil {
				return err
			}
			err = db.ForgetLead(email)
			switch {
			case errors.Is(err, store.ErrNotFound):
				fmt.Fprintf(a.env.Stdout, "no lead had %s; it is on the do-not-contact list now\n", email)
				return nil
			case err != nil:
				return err
			}
			fmt.Fprintf(a.env.Stdout, "erased everything about %s; only a do-not-contact entry remains\n", email)
			return nil
		},
	}
}

// writeJSONLeads prints leads as one JSON array of export records.
func writeJSONLeads(a *App, db *store.DB, ls []*lead.Lead) error {
	recs := make([]exportRecord, 0, len(ls))
	for _, l := range ls {
		r, err := newExportRecord(db, l)
		if err != nil {
			return err
		}
		recs = append(recs, r)
	}
	enc := json.NewEncoder(a.env.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(recs)
}
