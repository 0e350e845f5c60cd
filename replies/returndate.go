package replies

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// monthNames maps month names and abbreviations in the languages we read to months.
var monthNames = func() map[string]time.Month {
	m := map[string]time.Month{}
	names := [][]string{
		{"january", "jan", "januar", "janvier", "enero", "janeiro", "gennaio", "januari", "jänner"},
		{"february", "feb", "februar", "février", "fevrier", "febrero", "fevereiro", "febbraio", "februari"},
		{"march", "mar", "märz", "maerz", "mars", "marzo", "março", "marco", "maart"},
		{"april", "apr", "avril", "abril", "aprile"},
		{"may", "mai", "mayo", "maio", "maggio", "mei"},
		{"june", "jun", "juni", "juin", "junio", "junho", "giugno"},
		{"july", "jul", "juli", "juillet", "julio", "julho", "luglio"},
		{"august", "aug", "août", "aout", "agosto", "augustus"},
		{"september", "sep", "sept", "septembre", "septiembre", "setiembre", "setembro", "settembre"},
		{"october", "oct", "oktober", "octobre", "octubre", "outubro", "ottobre", "okt"},
		{"november", "nov", "novembre", "noviembre", "novembro"},
		{"december", "dec", "dezember", "décembre", "decembre", "diciembre", "dezembro", "dicembre", "dez"},
	}
	for i, ns := range names {
		for _, n := range ns {
			m[n] = time.Month(i + 1)
		}
	}
	return m
}()

var (
	monthAlt = func() string {
		var ns []string
		for n := range monthNames {
			ns = append(ns, regexp.QuoteMeta(n))
		}
		sort.Slice(ns, func(i, j int) bool { return len(ns[i]) > len(ns[j]) || len(ns[i]) == len(ns[j]) && ns[i] < ns[j] })
		return strings.Join(ns, "|")
	}()
	isoDateRe     = regexp.MustCompile(`\b(20\d\d)-(\d{1,2})-(\d{1,2})\b`)
	numDateRe     = regexp.MustCompile(`(?:^|[^\d./])(\d{1,2})([./])(\d{1,2})(?:[./](\d{4}|\d{2}))?(?:[^\d./]|\.(?:\D|$)|$)`)
	dayMonthRe    = regexp.MustCompile(`(?i)\b(\d{1,2})(?:st|nd|rd|th|er|º|°|\.)?\s+(?:de\s+|of\s+)?(` + monthAlt + `)\b\.?(?:,?\s+(?:de\s+)?(\d{4}))?`)
	monthDayRe    = regexp.MustCompile(`(?i)\b(` + monthAlt + `)\b\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(\d{4}))?`)
	untilWordsRe  = regexp.MustCompile(`(?i)(until|till|through|thru|bis|jusqu'au|jusqu’au|hasta|até|fino al|fino a|tot en met|t/m|tot)\s*(?:and including\s+|einschließlich\s+|inclusive\s+)?(?:\w+,?\s+){0,2}$`)
	englishHintRe = regexp.MustCompile(`(?i)\b(the|i am|i'm|until|back|will)\b`)
)

// returnDate finds the day an out-of-office text says its author is back: the latest date
// it names between the message's date and a year later. A date introduced by "until"
// (and its translations) is the last day away, so the day after is returned. Zero when
// the text names no such date.
func returnDate(text string, sent time.Time) time.Time {
	if sent.IsZero() || text == "" {
		return time.Time{}
	}
	if len(text) > 8192 {
		text = text[:8192]
	}
	loc := sent.Location()
	english := englishHintRe.MatchString(text)
	type found struct {
		t   time.Time
		end int
		pos int
	}
	var dates []found
	add := func(y, m, d, pos, end int) {
		if m < 1 || m > 12 || d < 1 || d > 31 {
			return
		}
		horizon := sent.AddDate(1, 0, 0)
		if y == 0 {
			// Without a year, the next such day, if it is within half a year.
			y = sent.Year()
			if time.Date(y, time.Month(m), d, 0, 0, 0, 0, loc).Before(sent.AddDate(0, 0, -1)) {
				y++
			}
			horizon = sent.AddDate(0, 6, 0)
		} else if y < 100 {
			y += 2000
		}
		t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, loc)
		if t.Month() != time.Month(m) || t.Before(sent.AddDate(0, 0, -1)) || t.After(horizon) {
			return
		}
		dates = append(dates, found{t: t, pos: pos, end: end})
	}
	low := strings.ToLower(text)
	for _, m := range isoDateRe.FindAllStringSubmatchIndex(low, 20) {
		add(atoi(low[m[2]:m[3]]), atoi(low[m[4]:m[5]]), atoi(low[m[6]:m[7]]), m[0], m[1])
	}
	for _, m := range numDateRe.FindAllStringSubmatchIndex(low, 20) {
		a, sep, b := atoi(low[m[2]:m[3]]), low[m[4]:m[5]], atoi(low[m[6]:m[7]])
		y := 0
		if m[8] >= 0 {
			y = atoi(low[m[8]:m[9]])
		} else if sep == "/" && !english {
			continue // "3/4" without a year is too often not a date
		}
		d, mo := a, b
		if sep == "/" && english && b <= 12 || a <= 12 && b > 12 {
			d, mo = b, a
		}
		add(y, mo, d, m[2], m[1])
	}
	for _, m := range dayMonthRe.FindAllStringSubmatchIndex(low, 20) {
		y := 0
		if m[6] >= 0 {
			y = atoi(low[m[6]:m[7]])
		}
		add(y, int(monthNames[low[m[4]:m[5]]]), atoi(low[m[2]:m[3]]), m[0], m[1])
	}
	for _, m := range monthDayRe.FindAllStringSubmatchIndex(low, 20) {
		y := 0
		if m[6] >= 0 {
			y = atoi(low[m[6]:m[7]])
		}
		add(y, int(monthNames[low[m[2]:m[3]]]), atoi(low[m[4]:m[5]]), m[0], m[1])
	}
	if len(dates) == 0 {
		return time.Time{}
	}
	best := dates[0]
	for _, f := range dates[1:] {
		if f.t.After(best.t) {
			best = f
		}
	}
	start := max(0, best.pos-40)
	if untilWordsRe.MatchString(low[start:best.pos]) {
		return best.t.AddDate(0, 0, 1)
	}
	return best.t
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
