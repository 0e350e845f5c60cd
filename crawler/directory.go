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
	"github.com/clientele/clientele/crawler/fetch"
	"github.com/clientele/clientele/lead"
)

// directoryPage reads one listing or detail page of a directory: its businesses become
// leads (or site visits), its pagination, detail and same-host links become tasks.
func (r *run) directoryPage(ctx context.Context, t *task) {
	p, ok, retried := r.get(ctx, t)
	if !ok {
		if t.lead != nil && !retried && ctx.Err() == nil {
			r.finish(ctx, t.lead, "", nil) // the card's business, without its detail page
		}
		return
	}
	r.readDirectoryPage(ctx, t, p)
}

// readDirectoryPage reads one fetched listing or detail page (see directoryPage).
func (r *run) readDirectoryPage(ctx context.Context, t *task, p *fetch.Page) {
	if t.lead != nil && !p.IsHTML() {
		r.finish(ctx, t.lead, "", nil)
	}
	if !p.IsHTML() {
		r.store(nil, t.url)
		return
	}
	release, err := r.c.parses.enter(ctx, len(p.Body))
	if err != nil {
		return // the crawl is ending; the page is read again when it resumes
	}
	defer release()
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(p.Body))
	if err != nil {
		if t.lead != nil {
			r.finish(ctx, t.lead, "", nil)
		}
		r.store(nil, t.url)
		return
	}
	base := p.URL
	if t.host(); r.isDirectory(t.u.Hostname()) {
		r.addDirectoryHost(base.Hostname()) // where the directory's pages really come from
	}
	bs := extract.Businesses(doc, base, r.src.Item, r.src.Fields)
	bs = r.withoutDirectoryOnly(bs, base)
	if len(bs) == 0 && r.src.Item == "" && !r.isStart(t.url) {
		if b, ok := extract.Single(doc, base); ok {
			bs = append(bs, b)
		}
	}
	bs = splitNameless(bs)
	if t.kind == kindDetail {
		bs = foldNameless(bs)
	}
	noSelectors := r.src.Item == "" && r.src.NextPage == "" && r.src.DetailLinks == "" && r.src.Fields.Name == ""
	if len(bs) == 1 && (t.kind == kindDetail || r.src.Item == "") {
		// A page about one business: every address and phone on it is that business's,
		// except the directory's own. A listing whose readers saw one business but whose
		// text shows the addresses of many (on more than two domains) is no such page.
		var found []string
		for _, e := range emails.Find(p.Body) {
			if !r.isDirectory(lead.EmailDomain(e)) && !slices.Contains(bs[0].Emails, e) {
				found = append(found, e)
			}
		}
		if t.kind == kindDetail || len(emailDomains(found)) <= 2 {
			bs[0].Emails = append(bs[0].Emails, found...)
		}
		if bs[0].Phone == "" {
			if ph := extract.Phones(doc); len(ph) == 1 {
				bs[0].Phone = ph[0]
			}
		}
	}
	shared := r.sharedLinks(bs, base)
	fresh := 0
	card := t.lead // a detail page the card of a listing led to
	if card != nil {
		i := cardMatch(bs, card.Name)
		if i < 0 {
			r.finish(ctx, card, "", nil) // the page does not show the card's business
		} else {
			r.business(ctx, bs[i], base, t, card, shared)
			bs = slices.Delete(bs, i, i+1)
		}
	}
	for _, b := range bs {
		if r.business(ctx, b, base, t, nil, shared) {
			fresh++
		}
	}
	links := extract.Links(doc, base)
	if r.src.DetailLinks != "" {
		for _, u := range selected(doc, base, r.src.DetailLinks) {
			if r.enqueue(&task{kind: kindDetail, url: u, ref: base.String()}) {
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
// or a visit of its website. card, when not nil, is the lead a listing's card made of the
// business this detail page is about: what both pages show is joined into that one lead.
// It reports whether the business was new to this crawl.
func (r *run) business(ctx context.Context, b extract.Business, page *url.URL, t *task, card *lead.Lead, shared map[string]bool) bool {
	l := &lead.Lead{
		Name: b.Name, Phone: b.Phone, Address: b.Address, City: b.City,
		Category: r.src.Category, Source: r.src.Name, SourceURL: page.String(),
	}
	if t.kind == kindDetail && t.ref != "" {
		l.SourceURL = t.ref // the listing that linked to this page
	}
	var found []string
	for _, e := range b.Emails {
		if !r.isDirectory(lead.EmailDomain(e)) {
			found = append(found, e)
		}
	}
	noteEmails(l, page.String(), found...)
	website, detail, profile := r.websiteOf(b, page, shared)
	l.Website = website
	if profile != "" {
		if l.Extra == nil {
			l.Extra = map[string]string{}
		}
		l.Extra["profile"] = profile
	}
	if detail == page.String() {
		detail = "" // the page a business's data names is the one being read
	}
	if card != nil {
		l = joinLeads(card, l)
		detail = ""
	}
	if !keep(l, detail) {
		return false
	}
	if r.try != nil {
		r.try.add(b.From, l)
	}
	known := r.seen(l, detail, card == nil)
	if detail != "" {
		if len(l.Emails) == 0 || l.Website == "" {
			// Its own page on the directory may show what the card does not: the card's lead
			// waits for it, and the two become one lead.
			if r.enqueue(&task{kind: kindDetail, url: detail, lead: l, ref: l.SourceURL}) {
				return !known
			}
		}
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
	if keep(l, "") {
		r.finish(ctx, l, "", nil)
	}
	return !known
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
// directory's (its own Organization block, its imprint), and entries whose website is the
// directory's home page and that give no address of their own.
func (r *run) withoutDirectoryOnly(bs []extract.Business, page *url.URL) []extract.Business {
	out := bs[:0]
	for _, b := range bs {
		own := 0
		for _, e := range b.Emails {
			if r.isDirectory(lead.EmailDomain(e)) {
				own++
			}
		}
		ownSite, home := b.Website == "", false
		// Readers put a URL on the directory in DetailURL: its home page there is the
		// directory's own entry too.
		for _, raw := range []string{b.Website, b.DetailURL} {
			if u, err := page.Parse(raw); err == nil && raw != "" && r.onDirectory(u, page) && strings.Trim(u.Path, "/") == "" {
				ownSite, home = true, true
			}
		}
		if own > 0 && own == len(b.Emails) && ownSite && (b.Phone == "" || r.namesDirectory(b.Name)) {
			continue // a business shown with the directory's relay address and a phone stays
		}
		if home && own == len(b.Emails) {
			continue // the directory's own entry: its name and home page, perhaps its hotline
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
