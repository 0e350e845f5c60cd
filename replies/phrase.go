package replies

import (
	"regexp"
	"regexp/syntax"
	"strings"
)

// A phrase is one pattern of a phrase table with the words that any match of it contains.
// Trying a pattern only on clauses that hold one of its keys keeps the tables cheap: most
// clauses of a reply contain none, and Go's regexp is slow on a large alternation.
type phrase struct {
	keys []string
	re   *regexp.Regexp
}

// phrases is a list of compiled patterns.
type phrases []phrase

// phraseTable is a phrase table with its keys indexed by their first two bytes, so that the
// phrases a text may contain are found in one pass over it.
type phraseTable struct {
	list  phrases
	index map[string][]keyRef
}

// keyRef is one key of the phrase list[phrase].
type keyRef struct {
	key    string
	phrase int
}

// compilePhrases compiles each pattern and derives its keys from the pattern itself (see
// requiredLiterals), so a table entry is written once, as a regular expression.
func compilePhrases(patterns []string) *phraseTable {
	t := &phraseTable{index: map[string][]keyRef{}}
	for i, p := range patterns {
		keys := requiredLiterals(p)
		t.list = append(t.list, phrase{keys: keys, re: regexp.MustCompile(p)})
		for _, k := range keys {
			t.index[k[:2]] = append(t.index[k[:2]], keyRef{key: k, phrase: i})
		}
	}
	return t
}

// within returns the phrases whose keys occur in text (and those without keys): the only
// ones that can match a part of it.
func (t *phraseTable) within(text string) phrases {
	hit := make([]bool, len(t.list))
	for i := 0; i+2 <= len(text); i++ {
		for _, k := range t.index[text[i:i+2]] {
			if !hit[k.phrase] && strings.HasPrefix(text[i:], k.key) {
				hit[k.phrase] = true
			}
		}
	}
	var out phrases
	for i, p := range t.list {
		if hit[i] || p.keys == nil {
			out = append(out, p)
		}
	}
	return out
}

// match reports whether one of the table's patterns matches s.
func (t *phraseTable) match(s string) bool {
	return t.list.match(s)
}

// match reports whether one of the patterns matches s.
func (ps phrases) match(s string) bool {
	for _, p := range ps {
		if p.keys != nil && !containsAny(s, p.keys) {
			continue
		}
		if p.re.MatchString(s) {
			return true
		}
	}
	return false
}

// maxKeys bounds the literal sets requiredLiterals builds.
const maxKeys = 400

// requiredLiterals returns strings one of which every match of the pattern contains: the
// finite set of literals of one part of the pattern that cannot be skipped, choosing the
// part whose shortest literal is longest. It returns nil (try the pattern on every clause)
// when no part qualifies.
func requiredLiterals(pattern string) []string {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return nil
	}
	parts := []*syntax.Regexp{re}
	if re.Op == syntax.OpConcat {
		parts = re.Sub
	}
	var best []string
	bestLen := 0
	for _, part := range parts {
		set := literalSet(part)
		if set == nil {
			continue
		}
		shortest := -1
		for _, s := range set {
			if shortest < 0 || len(s) < shortest {
				shortest = len(s)
			}
		}
		if shortest > bestLen {
			best, bestLen = set, shortest
		}
	}
	if bestLen < 2 {
		return nil
	}
	return minimalKeys(best)
}

// minimalKeys drops every key that contains another one: where the longer is, the shorter
// is too, so looking for the shorter is enough.
func minimalKeys(keys []string) []string {
	var out []string
	for i, k := range keys {
		redundant := false
		for j, o := range keys {
			if i != j && strings.Contains(k, o) && (k != o || j < i) {
				redundant = true
				break
			}
		}
		if !redundant {
			out = append(out, k)
		}
	}
	return out
}

// literalSet returns every string re can match when that is a small finite set of
// literals, else nil.
func literalSet(re *syntax.Regexp) []string {
	switch re.Op {
	case syntax.OpEmptyMatch:
		return []string{""}
	case syntax.OpLiteral:
		return []string{string(re.Rune)}
	case syntax.OpCharClass:
		var out []string
		for i := 0; i+1 < len(re.Rune); i += 2 {
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				if len(out) >= 8 {
					return nil
				}
				out = append(out, string(r))
			}
		}
		return out
	case syntax.OpCapture:
		return literalSet(re.Sub[0])
	case syntax.OpQuest:
		sub := literalSet(re.Sub[0])
		if sub == nil {
			return nil
		}
		return append(sub, "")
	case syntax.OpAlternate:
		var out []string
		for _, s := range re.Sub {
			sub := literalSet(s)
			if sub == nil || len(out)+len(sub) > maxKeys {
				return nil
			}
			out = append(out, sub...)
		}
		return out
	case syntax.OpConcat:
		out := []string{""}
		for _, s := range re.Sub {
			sub := literalSet(s)
			if sub == nil || len(out)*len(sub) > maxKeys {
				return nil
			}
			next := make([]string, 0, len(out)*len(sub))
			for _, a := range out {
				for _, b := range sub {
					next = append(next, a+b)
				}
			}
			out = next
		}
		return out
	}
	return nil
}
