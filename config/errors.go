package config

import (
	"sort"
	"strconv"
	"strings"
)

// Error is one problem in a config file, at a place the user can find: file, line and
// column (1-based; 0 when unknown) and the key path, like campaigns[0].steps[1].after.
type Error struct {
	File      string
	Line, Col int
	Path      string
	Msg       string
}

// Error formats the problem as `file:line:col: path: message`, the form editors and
// terminals turn into a link.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(e.Line))
		if e.Col > 0 {
			b.WriteByte(':')
			b.WriteString(strconv.Itoa(e.Col))
		}
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Errors is every problem found in one config, sorted by line then column. Load and Parse
// return it (as a value) when the file is invalid: use errors.As with a *Errors target.
type Errors []*Error

// MaxListed is how many problems are listed one by one. A file with a million broken
// entries would otherwise print a million lines; the first few dozen say what is wrong.
const MaxListed = 50

// Listed returns the problems to show one by one (at most MaxListed, in file order) and
// how many more there are.
func (es Errors) Listed() (shown Errors, more int) {
	if len(es) <= MaxListed {
		return es, 0
	}
	return es[:MaxListed], len(es) - MaxListed
}

// MoreLine is the line that ends a list cut after MaxListed problems.
func MoreLine(more int) string {
	if more == 1 {
		return "… and 1 more error"
	}
	return "… and " + strconv.Itoa(more) + " more errors"
}

// Error lists the problems one per line, at most MaxListed of them, then how many more.
func (es Errors) Error() string {
	shown, more := es.Listed()
	lines := make([]string, 0, len(shown)+1)
	for _, e := range shown {
		lines = append(lines, e.Error())
	}
	if more > 0 {
		lines = append(lines, MoreLine(more))
	}
	return strings.Join(lines, "\n")
}

// sortErrors orders errs by position, keeping the order of discovery for equal places, and
// drops repeats (an alias used twice can break the same way twice).
func sortErrors(errs Errors) Errors {
	sort.SliceStable(errs, func(i, j int) bool {
		if errs[i].Line != errs[j].Line {
			return errs[i].Line < errs[j].Line
		}
		return errs[i].Col < errs[j].Col
	})
	out := errs[:0]
	seen := map[Error]bool{}
	for _, e := range errs {
		if !seen[*e] {
			seen[*e] = true
			out = append(out, e)
		}
	}
	return out
}
