package crawler

import (
	"bytes"
	"context"
	"net/url"
	"slices"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
	"github.com/clientele/clientele/crawler/emails"
	"github.com/clientele/clientele/crawler/extract"
	"github.com/clientele/clientele/lead"
)

// directoryPage reads one listing or detail page of a directory: its businesses become
// leads (or site visits), its pagination, detail and same-host links become tasks.
func (r *run) directoryPage(ctx context.Context, t *task) {
	p, ok, _ := r.get(ctx, t)
	if !ok {
		return
	}
	if !p.IsHTML() {
		r.store(nil, t.url)
		return
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(p.Body))
	if err != nil {
		r.store(nil, t.url)
		return
	}
	base := p.URL
	bs := extract.Businesses(doc, base, r.src.Item, r.src.Fields)
	bs = r.withoutDirectoryOnly(bs)
	if len(bs) == 0 && r.src.Item == "" && !r.isStart(t.url) {
		if b, ok := extract.Single(doc, base); ok {
			bs = append(bs, b)
		}
	}
	noSelectors := r.src.Item == "" && r.src.NextPage == "" && r.src.DetailLinks == "" && r.src.Fields.Name == ""
	if len(bs) == 1 && (t.kind == kindDetail || r.src.Item == "") {
		// A page about one business: every address and phone on it is that business's,
		// except the directory's own.
		for _, e := range emails.Find(p.Body) {
			if !r.isDirectory(lead.EmailDomain(e)) && !slices.Contains(bs[0].Emails, e) {
				bs[0].Emails = append(bs[0].Emails, e)
			}
		}
		if bs[0].Phone == "" {
			if ph := extract.Phones(doc); len(ph) == 1 {
				bs[0].Phone = ph[0]
			}
		}
	}
	fresh := 0
	for _, b := range bs {
		if r.business(ctx, b, base) {
			fresh++
		}
	}
	links := extract.Links(doc, base)
	if r.src.DetailLinks != "" {
		for _, u := range selected(doc, base, r.src.DetailLinks) {
			if r.enqueue(&task{kind: kindDetail, url: u}) {
				fresh++ // an unseen business, described on its own page
			}
		}
	}
	// Pagination stops on a page that brings nothing new (calendar and infinite-scroll
	// traps); without selectors, two such pages in a row end a path.
	if r.src.NextPage != "" && fresh > 0 {
		for _, u := range selected(doc, base, r.src.NextPage) {
			r.enqueue(&task{kind: kindListing, url: u})
		}
	}
	if noSelectors {
		r.credit(pathShape(base), t.from, fresh)
		r.followSameHost(t, base, links, fresh, r.repeated(doc))
	}
	r.store(nil, t.url)
}

// business turns one business read on a directory page into a lead, a detail page task
// or a visit of its website. It reports whether the business was new to this crawl.
func (r *run) business(ctx context.Context, b extract.Business, base *url.URL) bool {
	l := &lead.Lead{
		Name: b.Name, Phone: b.Phone, Address: b.Address, City: b.City,
		Category: r.src.Category, Source: r.src.Name,
	}
	for _, e := range b.Emails {
		if !r.isDirectory(lead.EmailDomain(e)) {
			l.Emails = append(l.Emails, e)
		}
	}
	detail := ""
	if b.Website != "" {
		w := b.Website
		if strings.HasPrefix(strings.ToLower(w), "www.") {
			w = "http://" + w
		}
		if u, err := base.Parse(w); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
			switch {
			case !extract.SameSite(u.Hostname(), base.Hostname()) && !r.isDirectory(u.Hostname()):
				l.Website = u.String()
			default:
				if target, ok := extract.RedirectTarget(u); ok {
					l.Website = target
				} else if extract.LooksLikeRedirect(u) {
					l.Website = u.String() // followed when the site is visited
				} else {
					detail = u.String()
				}
			}
		}
	}
	if l.Website == "" {
		// The main URL was the directory's own page: sameAs may name the real site.
		for _, raw := range b.Links {
			if u, err := url.Parse(raw); err == nil && (u.Scheme == "http" || u.Scheme == "https") &&
				!r.isDirectory(u.Hostname()) && !notOwnSite(raw) {
				l.Website = u.String()
				break
			}
		}
	}
	if l.Website != "" && notOwnSite(l.Website) {
		if l.Extra == nil {
			l.Extra = map[string]string{}
		}
		l.Extra["profile"] = l.Website
		l.Website = ""
	}
	if len(l.Emails) == 0 && l.Website == "" && l.Phone == "" && detail == "" {
		return false // a name alone (or only the directory's own address) is no business to keep
	}
	known := r.seen(l, detail)
	if detail != "" {
		r.enqueue(&task{kind: kindDetail, url: detail})
	}
	if l.Name == "" && len(l.Emails) == 0 && l.Website == "" {
		return !known
	}
	if l.Website != "" && r.src.Follow() {
		if r.queueSite(ctx, l) {
			return !known
		}
	}
	if l.Website != "" && r.isDirectory(hostOf(l.Website)) {
		l.Website = "" // its site visit is planned already, or not wanted
	}
	if len(l.Emails) > 0 || l.Phone != "" || l.Website != "" {
		r.finish(ctx, l, "", nil)
	}
	return !known
}

// notOwnSite reports links to platforms (social networks, maps, marketplaces) that are a
// business's profile, not a website it owns: following them would merge unrelated
// businesses by domain.
func notOwnSite(raw string) bool {
	d := lead.RegistrableDomain(raw)
	if d == "" {
		return true
	}
	name := d[:strings.IndexByte(d, '.')]
	switch name {
	case "facebook", "fb", "instagram", "twitter", "x", "linkedin", "youtube", "youtu", "tiktok",
		"pinterest", "yelp", "google", "goo", "tripadvisor", "wa", "whatsapp", "t", "telegram",
		"booking", "airbnb", "foursquare", "vk", "xing", "threads", "bit", "linktr", "apple",
		"trustpilot", "houzz", "thumbtack", "nextdoor", "glassdoor", "wikipedia", "bing", "yandex":
		return true
	}
	return false
}

// selected returns the absolute links of the elements a CSS selector matches.
func selected(doc *goquery.Document, base *url.URL, css string) []string {
	m, err := cascadia.Compile(css)
	if err != nil {
		return nil
	}
	var out []string
	doc.FindMatcher(m).Each(func(_ int, s *goquery.Selection) {
		h, ok := s.Attr("href")
		if !ok {
			h, ok = s.Find("a[href]").First().Attr("href")
		}
		if !ok {
			return
		}
		if u, err := base.Parse(strings.TrimSpace(h)); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
			u.Fragment = ""
			out = append(out, u.String())
		}
	})
	return out
}

// isStart reports whether raw is one of the source's start URLs.
func (r *run) isStart(raw string) bool { return slices.Contains(r.src.StartURLs, raw) }

// withoutDirectoryOnly drops what a page says about the directory itself: entries whose
// only addresses are on the directory's domain and that name no website but the
// directory's (its own Organization block, its imprint).
func (r *run) withoutDirectoryOnly(bs []extract.Business) []extract.Business {
	out := bs[:0]
	for _, b := range bs {
		own := 0
		for _, e := range b.Emails {
			if r.isDirectory(lead.EmailDomain(e)) {
				own++
			}
		}
		ownSite := b.Website == ""
		if u, err := url.Parse(b.Website); err == nil && r.isDirectory(u.Hostname()) && strings.Trim(u.Path, "/") == "" {
			ownSite = true
		}
		if own > 0 && own == len(b.Emails) && ownSite {
			continue
		}
		out = append(out, b)
	}
	return out
}

// followSameHost queues a page's same-host links when the crawl runs without selectors.
// A page is productive when it brought a new business or, showing text not seen on
// another page, links to unseen pages of another shape than its own (a listing linking
// to business pages); two unproductive pages in a row end a path, which stops calendars,
// session traps and endless "next" chains whose pages only lead to more pages like
// themselves. Session parameters are dropped from links, so one page is one URL.
func (r *run) followSameHost(t *task, base *url.URL, links []extract.Link, fresh int, repeated bool) {
	var next []string
	productive := fresh > 0
	own := pathShape(base)
	for _, l := range links {
		u, err := url.Parse(l.URL)
		if err != nil || u.Host != base.Host || !extract.IsPageURL(u) || extract.LooksLikeRedirect(u) {
			continue
		}
		if _, isTarget := extract.RedirectTarget(u); isTarget {
			continue
		}
		link := withoutSession(u)
		r.mu.Lock()
		known := r.queued[link] || r.hopeless(pathShape(u))
		r.mu.Unlock()
		if known || slices.Contains(next, link) {
			continue
		}
		next = append(next, link)
		if pathShape(u) != own && !repeated {
			productive = true
		}
	}
	barren := 0
	if !productive {
		barren = t.barren + 1
	}
	if barren >= 2 {
		return
	}
	for _, u := range next {
		r.enqueue(&task{kind: kindListing, url: u, barren: barren, from: own})
	}
}

// pathShape is a URL's path with every run of digits replaced and its query keys sorted:
// "/kalender/2026-01" and "/kalender/2026-02" have one shape, "/firma/12" another.
func pathShape(u *url.URL) string {
	var b strings.Builder
	digits := false
	for _, c := range u.Path {
		if c >= '0' && c <= '9' {
			if !digits {
				b.WriteByte('#')
			}
			digits = true
			continue
		}
		digits = false
		b.WriteRune(c)
	}
	keys := make([]string, 0, len(u.Query()))
	for k := range u.Query() {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return b.String() + "?" + strings.Join(keys, "&")
}
