package fetch

import (
	"regexp"
	"strings"
)

// rules are the Allow and Disallow lines of the robots.txt group that applies to the
// crawler, matched the way RFC 9309 and Google specify: the longest matching pattern
// wins, Allow on a tie; "*" matches any run of characters, a final "$" the end of the
// path. (The robotstxt package matches wildcard patterns unanchored and weighs them by
// the length of their regular expression, which can let an Allow win that should lose;
// its answer is kept as a second check, so a path must pass both.)
type rules []rule

type rule struct {
	allow   bool
	length  int
	prefix  string         // a pattern without wildcards
	pattern *regexp.Regexp // a pattern with them
}

// parseRules reads the group of robots.txt that applies to userAgent: the group of the
// longest user-agent name the lower-cased User-Agent starts with, else "*"; groups of
// one name count as one.
func parseRules(body []byte, userAgent string) rules {
	ua := strings.ToLower(userAgent)
	groups := map[string]rules{}
	var current []string
	inRules := false
	for _, line := range strings.Split(string(body), "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		k, v = strings.ToLower(strings.TrimSpace(k)), strings.TrimSpace(v)
		switch k {
		case "user-agent":
			if inRules {
				current, inRules = nil, false
			}
			current = append(current, strings.ToLower(v))
		case "allow", "disallow":
			inRules = true
			if v == "" || len(groups) > 1000 {
				continue
			}
			r, ok := newRule(k == "allow", v)
			if !ok {
				continue
			}
			for _, a := range current {
				groups[a] = append(groups[a], r)
			}
		default:
			inRules = inRules || k == "crawl-delay"
		}
	}
	best, rs := "", groups["*"]
	for a, g := range groups {
		if a != "*" && a != "" && strings.HasPrefix(ua, a) && len(a) > len(best) {
			best, rs = a, g
		}
	}
	return rs
}

func newRule(allow bool, p string) (rule, bool) {
	if !strings.HasPrefix(p, "/") && !strings.HasPrefix(p, "*") {
		p = "/" + p
	}
	r := rule{allow: allow, length: len(p)}
	if !strings.ContainsAny(p, "*$") {
		r.prefix = p
		return r, true
	}
	anchored := strings.HasSuffix(p, "$")
	p = strings.TrimSuffix(p, "$")
	var re strings.Builder
	re.WriteString("^")
	for i, part := range strings.Split(p, "*") {
		if i > 0 {
			re.WriteString(".*")
		}
		re.WriteString(regexp.QuoteMeta(part))
	}
	if anchored {
		re.WriteString("$")
	}
	c, err := regexp.Compile(re.String())
	if err != nil {
		return r, false
	}
	r.pattern = c
	return r, true
}

// allowed reports whether the rules let the crawler fetch path (with its query).
func (rs rules) allowed(path string) bool {
	allow, length := true, -1
	for _, r := range rs {
		var m bool
		if r.pattern != nil {
			m = r.pattern.MatchString(path)
		} else {
			m = strings.HasPrefix(path, r.prefix)
		}
		if m && (r.length > length || r.length == length && r.allow) {
			allow, length = r.allow, r.length
		}
	}
	return allow
}
