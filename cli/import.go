package cli

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/clientele/clientele/country"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/clientele/clientele/lead"
	"github.com/clientele/clientele/store"
	"github.com/spf13/cobra"
)

// importBatch is how many rows go into one store transaction: big enough that 100,000 rows
// take seconds, small enough that memory stays flat.
const importBatch = 1000

// maxReportedRows bounds the per-row messages; the summary still counts every skipped row.
const maxReportedRows = 200

func (a *App) leadsImportCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "import FILE",
		Short: "Add leads from a CSV file whose header row names export fields",
		Long: `import reads a CSV file (UTF-8, comma-separated) whose first row names export fields:
id, name, email, emails, phone, website, address, city, country, category, source,
source_url, email_source, status, outcome, created_at, updated_at, role_email, extra, site,
campaigns. A cell that starts with ' followed by =, +, -, @, a tab or a carriage return (or
another ') loses that ', as export writes it so no spreadsheet runs a formula. Rows over
1 MiB, or with a field over its limit (64 KiB; a few KiB for short fields such as name and
email), are reported and skipped. Other columns are kept as extra
data on each lead (available to templates as .Lead.Extra.column). id and campaigns are
ignored: ids are given by the database and sequences by the campaigns.

Rows that name a lead already stored (same email; same name and phone; same name and
address; or the same own website with the same name) are merged into it. Bad rows are reported with their line numbers and skipped; the
rest is imported. FILE may be - for standard input.`,
		Args: exactArgs(1, "a CSV file"),
		RunE: func(cmd *cobra.Command, args []string) error {
			in := a.env.Stdin
			if args[0] != "-" {
				f, err := os.Open(args[0])
				if err != nil {
					return usagef("cannot read %s: %v", args[0], errors.Unwrap(err))
				}
				defer f.Close()
				in = f
			}
			a.file = &fileArg{path: args[0]}
			db, err := a.store(cmd.Context())
			if err != nil {
				return err
			}
			name := args[0]
			if name == "-" && a.fileName != "" {
				name = a.fileName
			}
			return importCSV(db, in, name, a.env.Stdout, a.env.Stderr, a.env.Now)
		},
	}
}

// importSummary counts what an import did.
type importSummary struct {
	rows, created, merged, skipped int
	forgotten                      int // rows of people who asked to be forgotten
}

// columnSetter stores one cell into a lead, or says why the cell is wrong.
type columnSetter func(l *lead.Lead, v string) error

var importColumns = map[string]columnSetter{
	"id":           func(*lead.Lead, string) error { return nil },
	"campaigns":    func(*lead.Lead, string) error { return nil },
	"name":         func(l *lead.Lead, v string) error { l.Name = v; return nil },
	"phone":        func(l *lead.Lead, v string) error { l.Phone = v; return nil },
	"website":      func(l *lead.Lead, v string) error { l.Website = v; return nil },
	"address":      func(l *lead.Lead, v string) error { l.Address = v; return nil },
	"city":         func(l *lead.Lead, v string) error { l.City = v; return nil },
	"category":     func(l *lead.Lead, v string) error { l.Category = v; return nil },
	"source":       func(l *lead.Lead, v string) error { l.Source = v; return nil },
	"source_url":   func(l *lead.Lead, v string) error { l.SourceURL = v; return nil },
	"email_source": func(l *lead.Lead, v string) error { l.EmailSource = v; return nil },
	"country": func(l *lead.Lead, v string) error {
		code := country.Code(v)
		if v != "" && code == "" {
			return fmt.Errorf("country %q is not an ISO 3166-1 alpha-2 code like PT", v)
		}
		l.Country = code
		return nil
	},
	"outcome": func(l *lead.Lead, v string) error {
		if o := lead.Outcome(v); o.Valid() { // as export writes it: "" for none
			l.Outcome = o
			return nil
		}
		return fmt.Errorf("outcome %q is not one of interested, not_interested, meeting, won, lost", v)
	},
	"email": func(l *lead.Lead, v string) error {
		if v == "" {
			return nil
		}
		e := lead.NormalizeEmail(v)
		if e == "" {
			return fmt.Errorf("email %q is not an email address", v)
		}
		l.Email = e
		return nil
	},
	"emails": func(l *lead.Lead, v string) error {
		for _, part := range strings.FieldsFunc(v, func(r rune) bool { return r == ';' || r == ',' || r == ' ' }) {
			e := lead.NormalizeEmail(part)
			if e == "" {
				return fmt.Errorf("emails: %q is not an email address", part)
			}
			l.Emails = append(l.Emails, e)
		}
		return nil
	},
	"status": func(l *lead.Lead, v string) error {
		if v == "" {
			return nil
		}
		if !lead.Status(v).Valid() {
			return fmt.Errorf("status %q is not one of %s", v, statusNames())
		}
		l.Status = lead.Status(v)
		return nil
	},
	"created_at": func(l *lead.Lead, v string) error { return parseTimeCell("created_at", v, &l.CreatedAt) },
	"updated_at": func(l *lead.Lead, v string) error { return parseTimeCell("updated_at", v, &l.UpdatedAt) },
	"role_email": func(l *lead.Lead, v string) error {
		if v == "" {
			return nil
		}
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("role_email %q must be true or false", v)
		}
		l.RoleEmail = b
		return nil
	},
	"extra": func(l *lead.Lead, v string) error {
		if v == "" {
			return nil
		}
		var m map[string]string
		if err := json.Unmarshal([]byte(v), &m); err != nil {
			return fmt.Errorf(`extra must be a JSON object of texts like {"country":"PT"}`)
		}
		if l.Extra == nil {
			l.Extra = map[string]string{}
		}
		for k, x := range m {
			l.Extra[k] = x
		}
		return nil
	},
	"site": func(l *lead.Lead, v string) error {
		if v == "" {
			return nil
		}
		var s lead.Site
		if err := json.Unmarshal([]byte(v), &s); err != nil {
			return fmt.Errorf("site must be a JSON object as export writes it")
		}
		l.Site = &s
		return nil
	},
}

func parseTimeCell(name, v string, dst *time.Time) error {
	if v == "" {
		return nil
	}
	for _, layout := range []string{time.RFC3339Nano, time.DateTime, time.DateOnly} {
		if t, err := time.Parse(layout, v); err == nil {
			*dst = t
			return nil
		}
	}
	return fmt.Errorf("%s %q is not a date; write 2026-01-31 or 2026-01-31T09:00:00Z", name, v)
}

// importCSV reads leads from r and stores them in batches. Bad rows (malformed, too long,
// a field over its limit, a value that is wrong) are reported on errw with their line and
// skipped; a missing or unusable header row is a usage error and nothing is stored. It
// holds one row and one batch at a time, never the whole file.
func importCSV(db *store.DB, r io.Reader, name string, out, errw io.Writer, now func() time.Time) error {
	rr := newRowReader(r, maxRowBytes)
	header, _, err := rr.next()
	if err == io.EOF {
		return usagef("%s is empty; the first row must name the columns (name,email,website,...)", name)
	}
	var perr *csv.ParseError
	if errors.As(err, &perr) {
		err = perr.Err
	}
	if err != nil {
		return usagef("%s: the header row cannot be read: %v", name, err)
	}
	cols, extraCols, err := importHeader(header, name)
	if err != nil {
		return err
	}
	if len(extraCols) > 0 {
		fmt.Fprintf(errw, "%s: columns kept as extra data: %s\n", name, strings.Join(extraCols, ", "))
	}
	var sum importSummary
	batch := make([]*lead.Lead, 0, importBatch)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		res, err := db.UpsertLeads(batch)
		if err != nil {
			return fmt.Errorf("import: store rows: %w (rows before this batch are stored)", err)
		}
		sum.created += res.Created
		sum.merged += res.Merged
		sum.forgotten += res.Skipped
		clear(batch)
		batch = batch[:0]
		return nil
	}
	skip := func(line int, why string) {
		sum.skipped++
		if sum.skipped <= maxReportedRows {
			fmt.Fprintf(errw, "%s:%d: skipped: %s\n", name, line, why)
		} else if sum.skipped == maxReportedRows+1 {
			fmt.Fprintf(errw, "%s: more rows skipped; the summary counts them\n", name)
		}
	}
	for {
		rec, line, err := rr.next()
		if err == io.EOF {
			break
		}
		if errors.As(err, &perr) {
			sum.rows++
			skip(line, perr.Err.Error())
			continue
		}
		if errors.Is(err, errRowTooLong) {
			sum.rows++
			skip(line, err.Error())
			continue
		}
		if err != nil {
			return fmt.Errorf("import: read %s: %w", name, err)
		}
		sum.rows++
		if len(rec) != len(header) {
			skip(line, fmt.Sprintf("has %d fields, the header row has %d", len(rec), len(header)))
			continue
		}
		l, why := importRow(rec, cols, now)
		if why != "" {
			skip(line, why)
			continue
		}
		batch = append(batch, l)
		if len(batch) == importBatch {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := flush(); err != nil {
		return err
	}
	fmt.Fprintf(out, "read %s: %s, %d merged into existing leads, %s skipped\n",
		plural(sum.rows, "row"), plural(sum.created, "new lead"), sum.merged, plural(sum.skipped+sum.forgotten, "row"))
	if sum.forgotten > 0 {
		fmt.Fprintf(out, "%s not stored: the person asked to be forgotten (leads forget)\n", plural(sum.forgotten, "row"))
	}
	return nil
}

// importColumn is one column of the file being imported: its name, how long its values
// may be, and where they go.
type importColumn struct {
	name  string
	limit int
	set   columnSetter
}

// importHeader maps the header row to columns; unknown columns become extra data.
func importHeader(header []string, name string) ([]importColumn, []string, error) {
	cols := make([]importColumn, len(header))
	var extras []string
	known := 0
	seen := map[string]bool{}
	for i, h := range header {
		if !utf8.ValidString(h) {
			return nil, nil, usagef("%s: the header row is not UTF-8 text; save the file as UTF-8 CSV", name)
		}
		if len(h) > 256 {
			return nil, nil, usagef("%s: column %d of the header row is a name of %d bytes; name columns in a few words", name, i+1, len(h))
		}
		col := strings.ToLower(lead.CleanText(strings.Clone(h)))
		if col == "" {
			return nil, nil, usagef("%s: column %d of the header row has no name", name, i+1)
		}
		if seen[col] {
			return nil, nil, usagef("%s: column %q appears twice in the header row", name, col)
		}
		seen[col] = true
		limit := maxFieldBytes
		if n, ok := importFieldLimits[col]; ok {
			limit = n
		}
		cols[i] = importColumn{name: col, limit: limit}
		if s, ok := importColumns[col]; ok {
			cols[i].set = s
			if col == "name" || col == "email" || col == "emails" || col == "website" {
				known++
			}
			continue
		}
		extras = append(extras, col)
		cols[i].set = func(l *lead.Lead, v string) error {
			if v != "" {
				if l.Extra == nil {
					l.Extra = map[string]string{}
				}
				l.Extra[col] = v
			}
			return nil
		}
	}
	if known == 0 {
		return nil, nil, usagef("%s: the header row must name at least one of name, email, emails, website (it has: %s)",
			name, strings.Join(header, ","))
	}
	return cols, extras, nil
}

// importRow turns one record into a lead, or says why the row is skipped. Values are
// copied out of the record, so a kept lead holds its own text and not the whole row.
func importRow(rec []string, cols []importColumn, now func() time.Time) (*lead.Lead, string) {
	l := &lead.Lead{}
	for i, v := range rec {
		if !utf8.ValidString(v) {
			return nil, fmt.Sprintf("column %d is not UTF-8 text; save the file as UTF-8 CSV", i+1)
		}
		if len(v) > cols[i].limit {
			return nil, fmt.Sprintf("%s is %d bytes long; at most %d are read", cols[i].name, len(v), cols[i].limit)
		}
		if err := cols[i].set(l, csvUnescape(strings.Clone(strings.TrimSpace(v)))); err != nil {
			return nil, err.Error()
		}
	}
	if l.Email == "" && len(l.Emails) > 0 {
		l.Email = l.Emails[0]
	}
	if l.Email != "" {
		l.Emails = prependUnique(l.Email, l.Emails)
	}
	if l.Name == "" && l.Email == "" && l.Website == "" {
		return nil, "no name, email or website"
	}
	if l.Source == "" {
		l.Source = lead.SourceImport
	}
	if l.CreatedAt.IsZero() {
		l.CreatedAt = now()
	}
	return l, ""
}

func prependUnique(first string, rest []string) []string {
	out := []string{first}
	for _, e := range rest {
		if e != first {
			out = append(out, e)
		}
	}
	return out
}
