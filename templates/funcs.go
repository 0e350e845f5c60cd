package templates

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"net/url"
	"reflect"
	"strings"
	"text/template"
	"time"

	"golang.org/x/text/cases"
	"golang.org/x/text/language"

	"github.com/clientele/clientele/lead"
)

// Seeder is implemented by template data that wants spintax choices to be stable: the same
// seed (one per lead) always picks the same alternatives, so a preview shows exactly what
// is sent and a follow-up never contradicts the first message.
type Seeder interface{ SpinSeed() uint64 }

// Clock is implemented by template data that carries the time of rendering, so the year
// function does not read the machine's clock and tests can fix it.
type Clock interface{ Now() time.Time }

// Funcs returns the functions every clientele template may call. A new map is built on each
// call, so callers may add their own functions without affecting anyone else.
//
//	fallback a b ...   the first argument that is not empty ({{fallback .Lead.FirstName "there"}}); alias default
//	lower, upper, trim the usual string changes; title capitalises each word
//	firstname NAME     a first name guessed from a person's name, "" for a business name
//	spin $ A B ...     one alternative, chosen per lead (what spintax turns into)
//	year $             the current year (from the data's Now() when it has one)
//	concat A B ...     the arguments printed one after the other
//	join SEP LIST      the items of LIST separated by SEP
//	contains SUB S, hasPrefix PRE S, hasSuffix SUF S, replace OLD NEW S
//	domain URL         the host of a website without "www." ("https://www.acme.pt/x" → "acme.pt")
//	add A B, sub A B   whole-number arithmetic ({{sub (year $) .Lead.Site.CopyrightYear}})
//	bytes N            a size in words people read ("1.4 MB")
//	seconds D          a duration in seconds with one decimal ("2.3")
func Funcs() template.FuncMap {
	return template.FuncMap{
		"fallback":  fallback,
		"default":   fallback,
		"lower":     func(v any) string { return strings.ToLower(str(v)) },
		"upper":     func(v any) string { return strings.ToUpper(str(v)) },
		"trim":      func(v any) string { return strings.TrimSpace(str(v)) },
		"title":     title,
		"firstname": firstname,
		"spin":      spin,
		"year":      year,
		"concat":    concat,
		"join":      join,
		"contains":  func(sub, s any) bool { return strings.Contains(str(s), str(sub)) },
		"hasPrefix": func(pre, s any) bool { return strings.HasPrefix(str(s), str(pre)) },
		"hasSuffix": func(suf, s any) bool { return strings.HasSuffix(str(s), str(suf)) },
		"replace":   func(old, new, s any) string { return strings.ReplaceAll(str(s), str(old), str(new)) },
		"domain":    domain,
		"add":       func(a, b int) int { return a + b },
		"sub":       func(a, b int) int { return a - b },
		"bytes":     humanBytes,
		"seconds":   func(d time.Duration) string { return fmt.Sprintf("%.1f", d.Seconds()) },
	}
}

// str prints a value the way a template action would, with nil as "".
func str(v any) string {
	if v == nil {
		return ""
	}
	if s, ok := v.(string); ok {
		return s
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer && rv.IsNil() {
		return ""
	}
	return fmt.Sprint(v)
}

// Empty reports whether a value counts as missing: nil, a blank string, a zero number, a
// nil pointer, an empty list or map, a zero struct (an unset time). fallback skips such
// values, and the sender refuses to print one without a fallback. false is a value.
func Empty(v any) bool {
	if v == nil {
		return true
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.String:
		return strings.TrimSpace(rv.String()) == ""
	case reflect.Slice, reflect.Map, reflect.Array:
		return rv.Len() == 0
	case reflect.Bool:
		return false
	}
	return rv.IsZero()
}

func fallback(vals ...any) any {
	for _, v := range vals {
		if !Empty(v) {
			return v
		}
	}
	return ""
}

func title(v any) string {
	return cases.Title(language.Und, cases.NoLower).String(str(v))
}

// firstname guesses a first name from a name and the email address that confirms it
// ("Maria Silva", "maria@..." → "Maria"), or from a first.last address alone; without
// confirmation it gives "", as lead.GuessFirstName does.
func firstname(name any, email ...any) string {
	e := ""
	if len(email) > 0 {
		e = str(email[0])
	}
	return lead.GuessFirstName(str(name), e)
}

// spin picks one of alts. With data that has a SpinSeed the choice is a hash of the seed and
// the alternatives, so it is stable for one lead and independent between groups; without one
// it is the first alternative, so a template still renders predictably.
func spin(data any, alts ...string) string {
	if len(alts) == 0 {
		return ""
	}
	s, ok := data.(Seeder)
	if !ok {
		return alts[0]
	}
	h := fnv.New64a()
	var seed [8]byte
	binary.BigEndian.PutUint64(seed[:], s.SpinSeed())
	h.Write(seed[:])
	for _, a := range alts {
		h.Write([]byte(a))
		h.Write([]byte{0})
	}
	return alts[h.Sum64()%uint64(len(alts))]
}

// year returns the year of the data's clock, or of the machine's when it has none.
func year(data any) int {
	if c, ok := data.(Clock); ok {
		return c.Now().Year()
	}
	return time.Now().Year()
}

func concat(vals ...any) string {
	var b strings.Builder
	for _, v := range vals {
		b.WriteString(str(v))
	}
	return b.String()
}

func join(sep string, list any) string {
	rv := reflect.ValueOf(list)
	if Empty(list) {
		return ""
	}
	if rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array {
		return str(list)
	}
	parts := make([]string, 0, rv.Len())
	for i := 0; i < rv.Len(); i++ {
		parts = append(parts, str(rv.Index(i).Interface()))
	}
	return strings.Join(parts, sep)
}

func domain(v any) string {
	s := strings.TrimSpace(str(v))
	if s == "" {
		return ""
	}
	if !strings.Contains(s, "://") {
		s = "http://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
}

func humanBytes(n int) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", (n+512)>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
