// Package extract reads businesses and facts out of one fetched HTML page: schema.org
// JSON-LD and microdata, microformats (hCard, h-card), listings held in embedded page
// state (__NEXT_DATA__, window.__INITIAL_STATE__ …), repeated blocks around mailto: links,
// the configured CSS selectors, links that look like a contact page, redirecting
// directory links, and the facts about a site that make a message personal.
//
// Every reader is a pure function of a parsed page; none fetches anything, so each can be
// fuzzed. It knows nothing of crawling order, storage or leads beyond lead.Site.
package extract

import (
	"net/url"
	"slices"
	"strings"
	"unicode"

	"github.com/clientele/clientele/crawler/emails"
)

// Business is one business as a page describes it. Fields are as found (trimmed); Website
// may still be a directory's redirect link or a page on the directory itself, which the
// crawler resolves.
type Business struct {
	Name    string
	Emails  []string
	Phone   string
	Website string
	Address string
	City    string
	// Links are other addresses the page gives for the business (schema.org sameAs):
	// profiles, and sometimes its own website when the main URL is the directory's page.
	Links []string
	// DetailURL is the business's own page on the directory (same site) where a card links
	// to one; the crawler follows it when the card lacks an email or website.
	DetailURL string
	// From names the reader that found it ("jsonld", "microdata", …), for logs and tests.
	From string
}

// HasContact reports whether the business carries anything to reach it by.
func (b *Business) HasContact() bool {
	return len(b.Emails) > 0 || b.Website != "" || b.Phone != ""
}

// Merge fills b's empty fields from o and adds o's emails.
func (b *Business) Merge(o Business) {
	fill := func(dst *string, src string) {
		if *dst == "" {
			*dst = src
		}
	}
	fill(&b.Name, o.Name)
	fill(&b.Phone, o.Phone)
	fill(&b.Website, o.Website)
	fill(&b.Address, o.Address)
	fill(&b.City, o.City)
	for _, e := range o.Emails {
		if !slices.Contains(b.Emails, e) {
			b.Emails = append(b.Emails, e)
		}
	}
	for _, l := range o.Links {
		if !slices.Contains(b.Links, l) {
			b.Links = append(b.Links, l)
		}
	}
}

// NameKey is the form of a name used to match one business across readers of a page.
func NameKey(name string) string {
	var sb strings.Builder
	for _, r := range strings.ToLower(name) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			sb.WriteRune(r)
		}
	}
	return sb.String()
}

// MergeByName combines businesses of one page that several readers found, matching by
// name (or, without names, by website), keeping the first reader's order.
func MergeByName(lists ...[]Business) []Business {
	var out []Business
	idx := map[string]int{}
	for _, l := range lists {
		for _, b := range l {
			k := NameKey(b.Name)
			if k == "" {
				k = "w:" + b.Website
			}
			if i, ok := idx[k]; ok && k != "w:" {
				out[i].Merge(b)
				continue
			}
			idx[k] = len(out)
			out = append(out, b)
		}
	}
	return out
}

// cleanText collapses white space and trims.
func cleanText(s string) string { return strings.Join(strings.Fields(s), " ") }

// resolve makes href absolute against base; it returns "" for what cannot be a page link.
func resolve(base *url.URL, href string) string {
	href = strings.TrimSpace(href)
	if href == "" || strings.HasPrefix(href, "#") {
		return ""
	}
	u, err := url.Parse(href)
	if err != nil {
		return ""
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return ""
	}
	u.Fragment = ""
	return u.String()
}

// cleanPhone trims a phone number as shown or taken from a tel: link.
func cleanPhone(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(strings.TrimPrefix(s, "tel:"), "TEL:")
	if u, err := url.PathUnescape(s); err == nil {
		s = u
	}
	s = cleanText(s)
	digits := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			digits++
		}
	}
	if digits < 5 || len(s) > 40 {
		return ""
	}
	return s
}

// checkEmail validates an address taken from a field or a mailto: link, returning "" when
// it is not one worth keeping.
func checkEmail(v string) string {
	v = strings.TrimSpace(v)
	if len(v) >= 7 && strings.EqualFold(v[:7], "mailto:") {
		v = strings.TrimSpace(v[7:])
	}
	if i := strings.IndexByte(v, '?'); i >= 0 {
		v = v[:i]
	}
	if u, err := url.PathUnescape(v); err == nil {
		v = u
	}
	a, _ := emails.Check(strings.TrimSpace(v))
	return a
}

// findEmails runs the email finder over a fragment of HTML.
func findEmails(h string) []string { return emails.Find([]byte(h)) }
