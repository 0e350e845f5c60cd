package config

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// unknownKeyMessage explains an unknown key with the valid ones and, for a near miss, the
// key the user most likely meant.
func unknownKeyMessage(key string, valid []string) string {
	msg := "is not a known key"
	if best := nearest(key, valid); best != "" {
		msg += fmt.Sprintf(" (did you mean %s?)", best)
	}
	return msg + "; valid keys here: " + strings.Join(valid, ", ")
}

// nearest returns the candidate closest to s when it is close enough to be a typo: same
// letters in another case or with - for _, or at most a third of the letters changed.
func nearest(s string, candidates []string) string {
	norm := func(x string) string { return strings.ReplaceAll(strings.ToLower(x), "-", "_") }
	best, bestDist := "", 1<<30
	for _, c := range candidates {
		if norm(c) == norm(s) {
			return c
		}
		if dist := editDistance(norm(s), c); dist < bestDist {
			best, bestDist = c, dist
		}
	}
	limit := len(s) / 3
	if limit < 1 {
		limit = 1
	}
	if bestDist <= limit && bestDist <= 3 {
		return best
	}
	return ""
}

// editDistance is the optimal-string-alignment distance between a and b, by bytes: the
// Levenshtein distance where swapping two neighbours ("prot" for "port") also costs one.
func editDistance(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

// durationWords reads what people write instead of a duration: "3 days", "90 seconds",
// "1 week", "4 mins".
var durationWords = regexp.MustCompile(`^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]+)\s*$`)

// durationUnits maps unit words to the suffix a duration uses, and a multiplier for weeks.
var durationUnits = map[string]struct {
	suffix string
	mult   float64
}{
	"ms": {"ms", 1}, "millisecond": {"ms", 1}, "milliseconds": {"ms", 1},
	"s": {"s", 1}, "sec": {"s", 1}, "secs": {"s", 1}, "second": {"s", 1}, "seconds": {"s", 1},
	"m": {"m", 1}, "min": {"m", 1}, "mins": {"m", 1}, "minute": {"m", 1}, "minutes": {"m", 1},
	"h": {"h", 1}, "hr": {"h", 1}, "hrs": {"h", 1}, "hour": {"h", 1}, "hours": {"h", 1},
	"d": {"d", 1}, "day": {"d", 1}, "days": {"d", 1},
	"w": {"d", 7}, "wk": {"d", 7}, "wks": {"d", 7}, "week": {"d", 7}, "weeks": {"d", 7},
}

// durationMessage explains a value that is not a duration, suggesting the right spelling
// when the intent is clear ("3 days" → 3d).
func durationMessage(s string) string {
	if m := durationWords.FindStringSubmatch(s); m != nil {
		if u, ok := durationUnits[strings.ToLower(m[2])]; ok {
			n, _ := strconv.ParseFloat(m[1], 64)
			return fmt.Sprintf("%q is not a duration; write %s%s", s, strconv.FormatFloat(n*u.mult, 'f', -1, 64), u.suffix)
		}
	}
	if _, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil {
		return fmt.Sprintf("%q is not a duration; add a unit, like %ss, %sm, %sh or %sd", s, strings.TrimSpace(s), strings.TrimSpace(s), strings.TrimSpace(s), strings.TrimSpace(s))
	}
	return fmt.Sprintf("%q is not a duration; write it like 90s, 4m, 1h30m or 3d", s)
}
