// Package doctor checks, before anything is sent, what decides whether the user's mail
// arrives: the mailbox's servers accept the login, the From domain publishes MX, SPF and
// DMARC records that vouch for the server that sends, the public URL that carries the
// unsubscribe links is reachable over https, and a test message comes back with passing
// Authentication-Results. Each finding is one line with the fix in one sentence.
//
// It reads DNS through an injected resolver and reaches the mail servers through an
// interface it declares, so tests run against servers of their own; it knows nothing of
// leads or campaigns.
package doctor

import (
	"fmt"
	"io"
	"strings"
)

// Level is how serious a finding is.
type Level string

// The levels, as printed.
const (
	OK   Level = "ok"
	Warn Level = "warn"
	Fail Level = "FAIL"
)

// Finding is the result of one check.
type Finding struct {
	Mailbox string `json:"mailbox,omitempty"` // "" for checks of the whole config
	Check   string `json:"check"`             // "smtp", "imap", "mx", "spf", "dmarc", "from", "public_url", …
	Level   Level  `json:"level"`
	Detail  string `json:"detail"`        // what was found, quoting the server where it refused
	Fix     string `json:"fix,omitempty"` // what to do, in one sentence; "" when ok
}

// Report is every finding of one run, in the order the checks ran.
type Report []Finding

// Failed reports whether any check failed.
func (r Report) Failed() bool {
	for _, f := range r {
		if f.Level == Fail {
			return true
		}
	}
	return false
}

// Count returns how many findings have level l.
func (r Report) Count(l Level) int {
	n := 0
	for _, f := range r {
		if f.Level == l {
			n++
		}
	}
	return n
}

// Write prints one line per finding: level, mailbox, check, detail, then the fix.
func (r Report) Write(w io.Writer) error {
	for _, f := range r {
		who := f.Check
		if f.Mailbox != "" {
			who = f.Mailbox + " " + f.Check
		}
		line := fmt.Sprintf("%-4s  %s: %s", f.Level, who, oneLine(f.Detail))
		if f.Fix != "" {
			line += " — " + oneLine(f.Fix)
		}
		if _, err := fmt.Fprintln(w, line); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintf(w, "%d ok, %d warnings, %d failed\n", r.Count(OK), r.Count(Warn), r.Count(Fail))
	return err
}

// oneLine keeps a server's multi-line answer on the report's line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func ok(mailbox, check, detail string) Finding {
	return Finding{Mailbox: mailbox, Check: check, Level: OK, Detail: detail}
}

func warn(mailbox, check, detail, fix string) Finding {
	return Finding{Mailbox: mailbox, Check: check, Level: Warn, Detail: detail, Fix: fix}
}

func fail(mailbox, check, detail, fix string) Finding {
	return Finding{Mailbox: mailbox, Check: check, Level: Fail, Detail: detail, Fix: fix}
}
