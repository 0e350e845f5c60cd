package cli

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/clientele/clientele/lead"
	"github.com/clientele/clientele/store"
	"github.com/spf13/cobra"
)

// exportRecord is one lead as `leads export` writes it: the lead's own fields plus its
// campaigns, as the SPEC lists them.
type exportRecord struct {
	ID          lead.ID           `json:"id"`
	Name        string            `json:"name"`
	Email       string            `json:"email"`
	Emails      []string          `json:"emails"`
	Phone       string            `json:"phone"`
	Website     string            `json:"website"`
	Address     string            `json:"address"`
	City        string            `json:"city"`
	Country     string            `json:"country"`
	Category    string            `json:"category"`
	Source      string            `json:"source"`
	SourceURL   string            `json:"source_url"`
	EmailSource string            `json:"email_source"`
	Status      lead.Status       `json:"status"`
	Outcome     lead.Outcome      `json:"outcome"`
	CreatedAt   time.Time         `json:"created_at"`
	UpdatedAt   time.Time         `json:"updated_at"`
	RoleEmail   bool              `json:"role_email"`
	Extra       map[string]string `json:"extra"`
	Site        *lead.Site        `json:"site"`
	Campaigns   []lead.Summary    `json:"campaigns"`
}

func newExportRecord(db *store.DB, l *lead.Lead) (exportRecord, error) {
	ens, err := db.EnrollmentsOf(l.ID)
	if err != nil {
		return exportRecord{}, err
	}
	camps := make([]lead.Summary, 0, len(ens))
	for _, e := range ens {
		camps = append(camps, e.Summarize())
	}
	emails := l.Emails
	if emails == nil {
		emails = []string{}
	}
	extra := l.Extra
	if extra == nil {
		extra = map[string]string{}
	}
	return exportRecord{
		ID: l.ID, Name: l.Name, Email: l.Email, Emails: emails, Phone: l.Phone,
		Website: l.Website, Address: l.Address, City: l.City, Country: l.Country, Category: l.Category,
		Source: l.Source, SourceURL: l.SourceURL, EmailSource: l.EmailSource, Status: l.Status, Outcome: l.Outcome, CreatedAt: l.CreatedAt.UTC(), UpdatedAt: l.UpdatedAt.UTC(),
		RoleEmail: l.RoleEmail, Extra: extra, Site: l.Site, Campaigns: camps,
	}, nil
}

// csvColumns are the columns of `leads export --format csv`, in order; `leads import` reads
// the same names. Lists and objects are written as JSON inside the cell, except emails,
// which is "a@x; b@y" so it reads well in a spreadsheet.
var csvColumns = []string{"id", "name", "email", "emails", "phone", "website", "address", "city",
	"country", "category", "source", "source_url", "email_source", "status", "outcome",
	"created_at", "updated_at", "role_email", "extra", "site", "campaigns"}

func (r exportRecord) csvRow() ([]string, error) {
	extra, err := jsonCell(r.Extra, len(r.Extra) == 0)
	if err != nil {
		return nil, err
	}
	site, err := jsonCell(r.Site, r.Site == nil)
	if err != nil {
		return nil, err
	}
	camps, err := jsonCell(r.Campaigns, len(r.Campaigns) == 0)
	if err != nil {
		return nil, err
	}
	row := []string{
		fmt.Sprint(r.ID), r.Name, r.Email, strings.Join(r.Emails, "; "), r.Phone, r.Website,
		r.Address, r.City, r.Country, r.Category, r.Source, r.SourceURL, r.EmailSource,
		string(r.Status), string(r.Outcome),
		r.CreatedAt.Format(time.RFC3339Nano), r.UpdatedAt.Format(time.RFC3339Nano),
		fmt.Sprint(r.RoleEmail), extra, site, camps,
	}
	for i, v := range row {
		row[i] = csvEscape(v)
	}
	return row, nil
}

// formulaStarts are the first characters that make a spreadsheet read a cell as a formula
// (=, +, -, @) or, with tab and carriage return, let one slip past a check (OWASP's CSV
// injection list). Crawled text starts with them at will ("=HYPERLINK(...)", "+cmd|...").
const formulaStarts = "=+-@\t\r"

// csvEscape writes a cell so no spreadsheet reads it as a formula: a value starting with
// one of formulaStarts gets a leading ', as spreadsheets themselves do. A value that really
// starts with ' followed by such a character or another ' gets one too, so csvUnescape
// gives back exactly what was exported; any other value is written as it is.
func csvEscape(v string) string {
	if needsQuoteMark(v) || csvUnescape(v) != v {
		return "'" + v
	}
	return v
}

// csvUnescape is the inverse of csvEscape, for leads import.
func csvUnescape(v string) string {
	if len(v) > 1 && v[0] == '\'' && (needsQuoteMark(v[1:]) || v[1] == '\'') {
		return v[1:]
	}
	return v
}

// needsQuoteMark reports whether a value starts with a formula character.
func needsQuoteMark(v string) bool {
	return v != "" && strings.IndexByte(formulaStarts, v[0]) >= 0
}

func jsonCell(v any, empty bool) (string, error) {
	if empty {
		return "", nil
	}
	b, err := json.Marshal(v)
	return string(b), err
}

func (a *App) leadsExportCommand() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "export [--format json|csv]",
		Short: "Write every lead to standard output as JSON or CSV",
		Long: `export writes every lead, with its campaigns, to standard output: one JSON array
(--format json, the default) or CSV with a header row (--format csv). The CSV columns are
the ones leads import reads, so export followed by import loses nothing.`,
		Args: exactArgs(0, "no arguments (redirect the output to a file)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "json" && format != "csv" {
				return usagef("--format must be json or csv, not %q", format)
			}
			db, err := a.store(cmd.Context())
			if err != nil {
				return err
			}
			bw := bufio.NewWriterSize(a.env.Stdout, 256*1024)
			if format == "csv" {
				err = exportCSV(db, bw)
			} else {
				err = exportJSON(db, bw)
			}
			if err != nil {
				return err
			}
			return bw.Flush()
		},
	}
	cmd.Flags().StringVar(&format, "format", "json", "json or csv")
	return cmd
}

// exportJSON streams one JSON array, a lead per line, without holding every lead in memory.
func exportJSON(db *store.DB, w io.Writer) error {
	if _, err := io.WriteString(w, "["); err != nil {
		return err
	}
	first := true
	err := db.ForEachLead(func(l *lead.Lead) error {
		r, err := newExportRecord(db, l)
		if err != nil {
			return err
		}
		b, err := json.Marshal(r)
		if err != nil {
			return err
		}
		sep := ",\n"
		if first {
			sep, first = "\n", false
		}
		if _, err := io.WriteString(w, sep); err != nil {
			return err
		}
		_, err = w.Write(b)
		return err
	})
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, "\n]\n")
	return err
}

func exportCSV(db *store.DB, w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvColumns); err != nil {
		return err
	}
	err := db.ForEachLead(func(l *lead.Lead) error {
		r, err := newExportRecord(db, l)
		if err != nil {
			return err
		}
		row, err := r.csvRow()
		if err != nil {
			return err
		}
		return cw.Write(row)
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}
