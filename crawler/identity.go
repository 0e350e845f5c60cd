package crawler

// One business, one lead: which URLs a page gives for a business are its own website, its
// page on the directory or a page many businesses share; what identifies a website; and
// how the pieces readers find on a page are joined into, or split into, businesses.

import (
	"net/url"
	"slices"
	"strings"
	"unicode"

	"github.com/clientele/clientele/crawler/extract"
	"github.com/clientele/clientele/lead"
)

// keep reports whether what a page says of a business is worth a lead: a name with any
// way to reach it or find it (phone, email, website, address, its detail page), or an
// email or website without a name. A name alone is page furniture more often than not.
func keep(l *lead.Lead, detail string) bool {
	if len(l.Emails) > 0 || l.Website != "" || l.Phone != "" {
		return true
	}
	return l.Name != "" && (l.Address != "" || detail != "")
}

// websiteOf sorts the URLs a page gives for a business: its own website, its page on the
// directory (detail), or a page shared by many businesses (profile: maps, social
// networks, review and booking sites, shorteners), which is never a website.
func (r *run) websiteOf(b extract.Business, page *url.URL, shared map[string]bool) (website, detail, profile string) {
	if b.Website != "" {
		w := b.Website
		if strings.HasPrefix(strings.ToLower(w), "www.") {
			w = "http://" + w
		}
		if u, err := page.Parse(w); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
			u.Fragment = ""
			switch {
			case r.onDirectory(u, page):
				if target, ok := extract.RedirectTarget(u); ok {
					website = target
				} else if extract.LooksLikeRedirect(u) {
					website = u.String() // followed when the site is visited
				} else {
					detail = u.String()
				}
			case lead.SharedHost(u.String()):
				profile = u.String()
			default:
				website = u.String()
			}
		}
	}
	if website != "" && !r.isDirectory(hostOf(website)) && (lead.SharedHost(website) || shared[hostPath(website)]) {
		profile, website = website, ""
	}
	if website == "" {
		// The main URL was the directory's own page: sameAs may name the real site.
		for _, raw := range b.Links {
			if u, err := url.Parse(raw); err == nil && (u.Scheme == "http" || u.Scheme == "https") &&
				!r.onDirectory(u, page) && !lead.SharedHost(raw) {
				website = u.String()
				break
			}
		}
	}
	if detail == "" && b.DetailURL != "" {
		if u, err := page.Parse(b.DetailURL); err == nil && (u.Scheme == "http" || u.Scheme == "https") && r.onDirectory(u, page) {
			u.Fragment = ""
			detail = u.String()
		}
	}
	return website, detail, profile
}

// onDirectory reports whether u is a page of the directory being read: on the page's own
// site or registrable domain, or on a host of the source's directory.
func (r *run) onDirectory(u, page *url.URL) bool {
	return extract.SameSite(u.Hostname(), page.Hostname()) ||
		lead.RegistrableDomain(u.Hostname()) == lead.RegistrableDomain(page.Hostname()) ||
		r.isDirectory(u.Hostname())
}

// joinLeads joins what a business's detail page shows (d) into the lead its card made
// (card): the card's values stay, the detail page fills what the card lacked.
func joinLeads(card, d *lead.Lead) *lead.Lead {
	fill := func(dst *string, src string) {
		if *dst == "" {
			*dst = src
		}
	}
	fill(&card.Name, d.Name)
	fill(&card.Phone, d.Phone)
	fill(&card.Website, d.Website)
	fill(&card.Address, d.Address)
	fill(&card.City, d.City)
	for k, v := range d.Extra {
		if card.Extra == nil {
			card.Extra = map[string]string{}
		}
		if card.Extra[k] == "" {
			card.Extra[k] = v
		}
	}
	for _, e := range d.Emails {
		if !slices.Contains(card.Emails, e) {
			card.Emails = append(card.Emails, e)
		}
	}
	return card
}

// cardMatch finds the business of a detail page that a card described: the one of the
// same name, else one whose name contains the other ("Tile Co" and "Tile Co Ltd"), else
// the page's only business; -1 when none fits.
func cardMatch(bs []extract.Business, name string) int {
	k := extract.NameKey(name)
	if k != "" {
		for i, b := range bs {
			if extract.NameKey(b.Name) == k {
				return i
			}
		}
		for i, b := range bs {
			if bk := extract.NameKey(b.Name); bk != "" && (strings.Contains(bk, k) || strings.Contains(k, bk)) {
				return i
			}
		}
	}
	if len(bs) == 1 {
		return 0
	}
	return -1
}

// foldNameless joins, on a page about one business, the nameless pieces other readers
// found (an address block, a contact line) into the one business the page names.
func foldNameless(bs []extract.Business) []extract.Business {
	named := -1
	for i, b := range bs {
		if b.Name != "" {
			if named >= 0 {
				return bs
			}
			named = i
		}
	}
	if named < 0 || len(bs) == 1 {
		return bs
	}
	for i, b := range bs {
		if i != named {
			bs[named].Merge(b)
		}
	}
	return bs[named : named+1]
}

// sharedLinks finds the outside pages that several businesses of one page name as their
// website (a maps or directions link on every card, a booking platform, a tracking
// redirect): a page shared by businesses of different names is none of theirs. Pages are
// compared by host and path, since such links often differ only in their query. Branches
// of one chain (the same name, numbered or not) may share their home page.
func (r *run) sharedLinks(bs []extract.Business, page *url.URL) map[string]bool {
	names := map[string]map[string]bool{}
	for _, b := range bs {
		if b.Website == "" || b.Name == "" {
			continue
		}
		w, _, _ := r.websiteOf(b, page, nil)
		if w == "" || r.isDirectory(hostOf(w)) {
			continue
		}
		k := hostPath(w)
		if names[k] == nil {
			names[k] = map[string]bool{}
		}
		// A home page names a business; two of one name (a chain's branches) may share it.
		// A deeper page shared by two names is nobody's own.
		name := extract.NameKey(b.Name)
		if u, err := url.Parse(w); err == nil && strings.Trim(u.Path, "/") == "" && u.RawQuery == "" {
			name = letters(b.Name)
		}
		names[k][name] = true
	}
	shared := map[string]bool{}
	for k, n := range names {
		if len(n) > 1 {
			shared[k] = true
		}
	}
	return shared
}

// hostPath is a URL's host (without "www.") and path (without a trailing slash).
func hostPath(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.") + strings.TrimSuffix(u.EscapedPath(), "/")
}

// letters is a name's letters only, lower-cased: "18. Tile Co" and "Tile Co 2" agree.
func letters(name string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(name) {
		if unicode.IsLetter(c) {
			b.WriteRune(c)
		}
	}
	return b.String()
}

// splitNameless splits what a reader took for one business without a name but shows the
// addresses of several (a paragraph listing others, a footer of partners): with addresses
// on more than two domains it is no one business, and each address is kept on its own.
func splitNameless(bs []extract.Business) []extract.Business {
	var out []extract.Business
	for _, b := range bs {
		if b.Name != "" || len(emailDomains(b.Emails)) <= 2 {
			out = append(out, b)
			continue
		}
		for _, e := range b.Emails {
			out = append(out, extract.Business{Emails: []string{e}, From: b.From})
		}
	}
	return out
}

// emailDomains is the set of registrable domains of addresses, free-mail ones apart (a
// business often writes from one).
func emailDomains(addrs []string) map[string]bool {
	ds := map[string]bool{}
	for _, a := range addrs {
		if !lead.IsFreeMail(a) {
			ds[lead.RegistrableDomain(lead.EmailDomain(a))] = true
		}
	}
	return ds
}

// namesDirectory reports whether a name is the directory's own ("Fixture Directory" on
// fixturedirectory.example), by its letters against the directory's domains.
func (r *run) namesDirectory(name string) bool {
	n := letters(name)
	if len(n) < 4 {
		return false
	}
	r.dmu.RLock()
	defer r.dmu.RUnlock()
	for d := range r.dirDoms {
		label := d
		if i := strings.IndexByte(d, '.'); i > 0 {
			label = d[:i]
		}
		if l := letters(label); len(l) >= 4 && (strings.Contains(n, l) || strings.Contains(l, n)) {
			return true
		}
	}
	return false
}
