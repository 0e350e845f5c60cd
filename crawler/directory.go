package crawler

import (
	"bytes"
	"context"
	"net/url"
	"slices"
	"strings"
	"unicode"

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
			case notOwnSite(u.String()):
				profile = u.String()
			default:
				website = u.String()
			}
		}
	}
	if website != "" && !r.isDirectory(hostOf(website)) && (notOwnSite(website) || shared[hostPath(website)]) {
		profile, website = website, ""
	}
	if website == "" {
		// The main URL was the directory's own page: sameAs may name the real site.
		for _, raw := range b.Links {
			if u, err := url.Parse(raw); err == nil && (u.Scheme == "http" || u.Scheme == "https") &&
				!r.onDirectory(u, page) && !notOwnSite(raw) {
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

// notOwnSite reports links to pages shared by many businesses (maps and directions,
// social networks, review and booking sites, link shorteners, site builders' shared
// hosts): a business's profile, not a website it owns. Taking one for a website would
// merge unrelated businesses by domain.
// This list moves to package lead (lead.SharedHost), the one home of the rule.
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
		"trustpilot", "houzz", "thumbtack", "nextdoor", "glassdoor", "wikipedia", "bing", "yandex",
		// maps and directions
		"openstreetmap", "osm", "waze", "here", "mapquest", "mapy", "2gis", "googleusercontent",
		// link shorteners and link pages
		"tinyurl", "ow", "buff", "is", "rebrand", "cutt", "shorturl", "rb", "lnkd", "linkin", "beacons",
		// review, booking and ordering platforms
		"opentable", "treatwell", "fresha", "doctolib", "calendly", "thefork", "ubereats", "deliveroo",
		"doordash", "grubhub", "justeat", "lieferando", "expedia", "hotels", "agoda", "trivago",
		"provenexpert", "reviews", "feefo", "angi", "homeadvisor", "bark", "checkatrade",
		// social and messaging
		"tumblr", "snapchat", "reddit", "discord", "messenger", "m", "vimeo", "flickr", "behance",
		"dribbble", "medium", "wechat", "line", "viber", "ok", "weibo":
		return true
	}
	// Site builders whose sites differ by path on one shared host.
	switch d {
	case "linktree.com", "about.me", "jimdo.com", "wix.com":
		return true
	}
	return false
}

// builderDomains are site builders' domains that give each customer a host of their own
// (name.business.site) without being in the public suffix list: a site there is known by
// its whole host, not the builder's domain every customer shares. (Moves to package lead
// with notOwnSite.)
var builderDomains = map[string]bool{
	"business.site": true, "jimdosite.com": true, "jimdofree.com": true, "webnode.page": true,
	"squarespace.com": true, "wordpress.com": true, "weebly.com": true, "godaddysites.com": true,
	"mystrikingly.com": true, "site123.me": true, "ueniweb.com": true, "ionos.site": true,
	"webador.com": true, "company.site": true, "hpage.com": true, "over-blog.com": true,
}

// siteKey is what identifies a business's website: its registrable domain, or its whole
// host on a site builder's shared domain.
func siteKey(raw string) string {
	d := lead.RegistrableDomain(raw)
	if builderDomains[d] {
		return strings.TrimPrefix(strings.ToLower(hostOf(raw)), "www.")
	}
	return d
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
		if u, err := page.Parse(b.Website); err == nil && b.Website != "" && r.onDirectory(u, page) && strings.Trim(u.Path, "/") == "" {
			ownSite, home = true, true
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
		if !emails.IsFreeMail(a) {
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
