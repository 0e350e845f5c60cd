// Package extract reads businesses and facts out of one fetched HTML page: schema.org
// JSON-LD and microdata, microformats (hCard, h-card), listings held in embedded page
// state (__NEXT_DATA__, window.__INITIAL_STATE__ …) and in inline script arrays, the
// repeated cards of a listing, blocks around mailto: links, the configured CSS
// selectors, links that look like a contact page, redirecting directory links, and the
// facts about a site that make a message personal. One business read by several readers
// is one Business; a page on the directory's own site is its DetailURL, never its Website.
//
// Every reader is a pure function of a parsed page; none fetches anything, so each can be
// fuzzed. It knows nothing of crawling order, storage or leads beyond lead.Site.
package extract

import (
	"net/url"
	"slices"
	"strings"

	"github.com/clientele/clientele/crawler/emails"
	"github.com/clientele/clientele/lead"
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
	// From names the reader that found it, as `crawl --try` shows it: "jsonld",
	// "microdata", "microformat", "pagestate", "cards" or "selectors".
	From string

	// sites are a card's candidate websites, best first, until the listing's shared
	// links are known.
	sites []string
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
	fill(&b.DetailURL, o.DetailURL)
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

// NameKey is the form of a name used to match one business across readers of a page
// (lead.NameKey, the store's too).
func NameKey(name string) string { return lead.NameKey(name) }

// MergeSame combines the businesses of one page that several readers (or one reader
// twice) found, keeping the first one's order and name. Two entries are one business when
// they link to the same detail page; when their names match and neither their phones nor
// their detail pages differ (a chain shows one name with many branches); or when their
// phones match and no third name gives that number (a card names the person, the JSON-LD
// the firm; two people of one firm).
func MergeSame(lists ...[]Business) []Business {
	var all []Business
	for _, l := range lists {
		all = append(all, l...)
	}
	dk := detailKeys(all)
	// A number given by many entries is a switchboard or the directory's, not a key.
	phones := map[string]int{}
	seen := map[string]bool{}
	for _, b := range all {
		if k := phoneKey(b.Phone); k != "" && !seen[k+"\x00"+NameKey(b.Name)] {
			seen[k+"\x00"+NameKey(b.Name)] = true
			phones[k]++
		}
	}
	var out []Business
	keys := make([]string, 0, len(all)) // detail key of each entry of out
	for _, b := range all {
		d := dk[b.DetailURL]
		nk, pk := NameKey(b.Name), phoneKey(b.Phone)
		match := -1
		for i := range out {
			if d != "" && keys[i] == d {
				match = i
				break
			}
		}
		for i := 0; match < 0 && i < len(out); i++ {
			o := &out[i]
			op := phoneKey(o.Phone)
			if nk != "" && NameKey(o.Name) == nk && (pk == "" || op == "" || pk == op) && (d == "" || keys[i] == "" || d == keys[i]) {
				match = i
			}
		}
		for i := 0; match < 0 && pk != "" && phones[pk] <= 2 && i < len(out); i++ {
			if phoneKey(out[i].Phone) == pk {
				match = i
			}
		}
		if nk == "" && match < 0 && b.Website != "" {
			for i := range out {
				if out[i].Website == b.Website {
					match = i
					break
				}
			}
		}
		if match >= 0 {
			out[match].Merge(b)
			if keys[match] == "" {
				keys[match] = d
			}
			continue
		}
		out = append(out, b)
		keys = append(keys, d)
	}
	return out
}

// detailKeys maps each detail URL to the key it is compared by: host and path, tracking
// parameters aside, unless several pages of the listing differ only in their query
// (detail.php?id=1, ?id=2), which is then kept.
func detailKeys(bs []Business) map[string]string {
	byPath := map[string]map[string]bool{}
	strip := func(raw string) string {
		u, err := url.Parse(raw)
		if err != nil {
			return raw
		}
		return strings.TrimPrefix(strings.ToLower(u.Host), "www.") + strings.TrimSuffix(u.EscapedPath(), "/")
	}
	for _, b := range bs {
		if b.DetailURL == "" {
			continue
		}
		k := strip(b.DetailURL)
		if byPath[k] == nil {
			byPath[k] = map[string]bool{}
		}
		byPath[k][b.DetailURL] = true
	}
	out := map[string]string{"": ""}
	for _, b := range bs {
		if b.DetailURL == "" {
			continue
		}
		k := strip(b.DetailURL)
		if len(byPath[k]) > 2 {
			k = b.DetailURL
		}
		out[b.DetailURL] = k
	}
	return out
}

// phoneKey is the form of a phone number compared across readers: its last nine digits,
// so "+1 213-328-2848" and "(213) 328 2848" match; "" for fewer than six digits.
func phoneKey(p string) string {
	var d []byte
	for i := 0; i < len(p); i++ {
		if p[i] >= '0' && p[i] <= '9' {
			d = append(d, p[i])
		}
	}
	if len(d) < 6 {
		return ""
	}
	if len(d) > 9 {
		d = d[len(d)-9:]
	}
	return string(d)
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
