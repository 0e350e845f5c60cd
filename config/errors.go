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

// Error lists the problems one per line.
func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
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
