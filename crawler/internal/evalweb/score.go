package evalweb

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode"

	"github.com/clientele/clientele/lead"
)

// Score is how well a crawl did on the web.
type Score struct {
	Businesses, Found  int // listed businesses; those with a lead
	Expected, Recalled int // recoverable addresses; those found on the business's lead
	Reported, Correct  int // addresses on leads; those that are the business's own
	Leads, Duplicates  int // leads stored; businesses with more than one lead
	Requests           int
	RobotsViolations   int
	// Misses and Wrong describe failures, for a person to read.
	Misses, Wrong, Violations []string
}

// LeadRecall is the share of businesses that became a lead.
func (s Score) LeadRecall() float64 { return ratio(s.Found, s.Businesses) }

// EmailRecall is the share of recoverable addresses found on the right lead.
func (s Score) EmailRecall() float64 { return ratio(s.Recalled, s.Expected) }

// EmailPrecision is the share of addresses on leads that belong to that business.
func (s Score) EmailPrecision() float64 { return ratio(s.Correct, s.Reported) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

func (s Score) String() string {
	return fmt.Sprintf("businesses %d, leads %d (duplicates %d): lead recall %.2f%%, email recall %.2f%% (%d/%d), email precision %.2f%% (%d/%d), requests %d, robots violations %d",
		s.Businesses, s.Leads, s.Duplicates, 100*s.LeadRecall(), 100*s.EmailRecall(), s.Recalled, s.Expected,
		100*s.EmailPrecision(), s.Correct, s.Reported, s.Requests, s.RobotsViolations)
}

func nameKey(s string) string {
	var sb strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			sb.WriteRune(r)
		}
	}
	return sb.String()
}

// Score matches the leads to the businesses (by website domain, any address, or name)
// and measures recall, precision and robots violations.
func (w *Web) Score(leads []*lead.Lead) Score {
	s := Score{Businesses: len(w.Businesses), Leads: len(leads)}
	byDomain, byName, byEmail := map[string]*Business{}, map[string]*Business{}, map[string]*Business{}
	for _, b := range w.Businesses {
		if b.Host != "" {
			byDomain[b.domain()] = b
		}
		byName[nameKey(b.Name)] = b
		for _, e := range append(append([]string(nil), b.Emails...), b.Hidden...) {
			byEmail[e] = b
		}
	}
	found := map[*Business][]*lead.Lead{}
	for _, l := range leads {
		var b *Business
		if d := lead.RegistrableDomain(l.Website); d != "" {
			b = byDomain[d]
		}
		if b == nil {
			b = byName[nameKey(l.Name)]
		}
		for _, e := range l.Emails {
			if b == nil {
				b = byEmail[e]
			}
		}
		if b == nil {
			s.Wrong = append(s.Wrong, fmt.Sprintf("lead %q (%s) %v matches no business", l.Name, l.Website, l.Emails))
			s.Reported += len(l.Emails)
			continue
		}
		found[b] = append(found[b], l)
		for _, e := range l.Emails {
			s.Reported++
			if slices.Contains(b.Emails, e) || slices.Contains(b.Hidden, e) {
				s.Correct++
			} else {
				s.Wrong = append(s.Wrong, fmt.Sprintf("%q on lead of %q (#%d)", e, b.Name, b.ID))
			}
		}
	}
	for _, b := range w.Businesses {
		ls := found[b]
		if len(ls) == 0 {
			s.Misses = append(s.Misses, fmt.Sprintf("no lead for #%d %q (%s, dirs %v)", b.ID, b.Name, b.Host, b.Dirs))
		} else {
			s.Found++
		}
		if len(ls) > 1 {
			s.Duplicates++
			var d []string
			for _, l := range ls {
				d = append(d, fmt.Sprintf("%q %s %s %v", l.Name, l.Phone, l.Website, l.Emails))
			}
			s.Wrong = append(s.Wrong, fmt.Sprintf("#%d %q has %d leads: %s", b.ID, b.Name, len(ls), strings.Join(d, " | ")))
		}
		for _, e := range b.Emails {
			s.Expected++
			ok := false
			for _, l := range ls {
				ok = ok || slices.Contains(l.Emails, e)
			}
			if ok {
				s.Recalled++
			} else {
				s.Misses = append(s.Misses, fmt.Sprintf("address %s of #%d %q not found (%s)", e, b.ID, b.Name, w.howShown(b, e)))
			}
		}
	}
	for _, h := range w.Hits() {
		s.Requests++
		if h.Disallowed {
			s.RobotsViolations++
			s.Violations = append(s.Violations, h.Host+h.Path)
		}
	}
	sort.Strings(s.Misses)
	return s
}

// howShown says where and how an address was shown, for reading misses.
func (w *Web) howShown(b *Business, e string) string {
	var out []string
	for d, ps := range b.dirEmailsByDir {
		for _, p := range ps {
			if p.addr == e {
				out = append(out, d+" "+p.how)
			}
		}
	}
	if b.site != nil {
		for path, fs := range b.site.pages {
			for _, f := range fs {
				if strings.Contains(f, strings.SplitN(e, "@", 2)[0]) {
					out = append(out, path+" "+trim(f, 90))
				}
			}
		}
		if b.site.charset != "" {
			out = append(out, "charset "+b.site.charset)
		}
	}
	return strings.Join(out, "; ")
}

func trim(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// OnlyTime keeps the request counts of a score and marks its figures as not measured,
// for crawls of part of the web whose recall means nothing.
func (s Score) OnlyTime() Score {
	return Score{Businesses: 0, Requests: s.Requests, RobotsViolations: s.RobotsViolations, Violations: s.Violations}
}
