package evalweb

import (
	"regexp"
	"strings"
)

// robotsAllow judges a request target ("/path?query") against a robots.txt the way RFC
// 9309 and Google describe it: the group of the longest user-agent name the crawler's
// product token starts with (else "*"), groups of one name merged; in it the rule with the
// longest pattern that matches wins, Allow on a tie; "*" matches any run of characters and
// a final "$" the end of the target. It is written apart from the crawler's own reading.
func robotsAllow(robots, userAgent, target string) bool {
	if robots == "" {
		return true
	}
	token := strings.ToLower(userAgent)
	if i := strings.IndexAny(token, "/ "); i >= 0 {
		token = token[:i]
	}
	type rule struct {
		allow   bool
		pattern string
	}
	groups := map[string][]rule{}
	var current []string
	inRules := false
	for _, line := range strings.Split(robots, "\n") {
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
			if v == "" {
				continue
			}
			for _, a := range current {
				groups[a] = append(groups[a], rule{k == "allow", v})
			}
		default:
			inRules = inRules || k == "crawl-delay"
		}
	}
	best, rules := "", groups["*"]
	for a, rs := range groups {
		if a != "*" && strings.HasPrefix(token, a) && len(a) > len(best) {
			best, rules = a, rs
		}
	}
	allow, length := true, -1
	for _, r := range rules {
		if !patternMatch(r.pattern, target) {
			continue
		}
		if l := len(r.pattern); l > length || l == length && r.allow {
			allow, length = r.allow, l
		}
	}
	return allow
}

func patternMatch(pattern, target string) bool {
	anchored := strings.HasSuffix(pattern, "$")
	pattern = strings.TrimSuffix(pattern, "$")
	var re strings.Builder
	re.WriteString("^")
	for i, part := range strings.Split(pattern, "*") {
		if i > 0 {
			re.WriteString(".*")
		}
		re.WriteString(regexp.QuoteMeta(part))
	}
	if anchored {
		re.WriteString("$")
	}
	return regexp.MustCompile(re.String()).MatchString(target)
}
