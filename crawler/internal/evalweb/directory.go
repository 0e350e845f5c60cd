package evalweb

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Directory is one business directory of the web, written in one style.
type Directory struct {
	Host    string
	Style   string
	Country string
	// ShowsEmails is true when its listings show addresses.
	ShowsEmails bool
	robots      string
	listed      []*Business
}

const perPage = 20

func newDirectories() []*Directory {
	return []*Directory{
		{Host: "www.yelpish.com", Style: "cards", Country: "us",
			robots: "User-agent: *\nDisallow: /*sort=\nDisallow: /account\nDisallow: /biz/*/photos$\nAllow: /biz/\n"},
		{Host: "www.gelbeseiten-like.de", Style: "microdata", Country: "de", ShowsEmails: true,
			robots: "User-agent: *\nDisallow: /suche\nDisallow: /*.pdf$\nAllow: /suche/branchen$\nDisallow: /kalender/2027\n"},
		{Host: "www.pagesjaunes-like.fr", Style: "jsonld", Country: "fr", ShowsEmails: true,
			robots: "User-agent: *\nDisallow: /pros/\n\nUser-agent: clientele\nAllow: /pros/\nDisallow: /pros/*/avis\nDisallow: /annuaire/*?tri=\n"},
		{Host: "www.paginasamarelas-like.pt", Style: "table", Country: "pt", ShowsEmails: true,
			robots: "User-agent: *\nDisallow: /pesquisa/*&ordem=\nDisallow: /conta/\n"},
		{Host: "www.yell-like.co.uk", Style: "hcard", Country: "uk", ShowsEmails: true,
			robots: "User-agent: *\nCrawl-delay: 0.01\nDisallow: /ucs/*&sort=\nDisallow: /members\nAllow: /members/public-list$\n"},
		{Host: "www.goudengids-like.nl", Style: "deflist", Country: "nlfiit", ShowsEmails: true,
			robots: "User-agent: *\nDisallow: /zoeken/*?sessie=\nDisallow: /beheer/\n"},
	}
}

func (d *Directory) firstPage() string {
	switch d.Style {
	case "cards":
		return "/search?cat=all&page=1"
	case "microdata":
		return "/branchen/handwerk"
	case "jsonld":
		return "/annuaire/artisans"
	case "table":
		return "/pesquisa/empresas?pagina=1"
	case "hcard":
		return "/ucs/UcsSearchAction.do?keywords=trades&pageNum=1"
	default:
		return "/zoeken/bedrijven"
	}
}

func (d *Directory) pages() int { return (len(d.listed) + perPage - 1) / perPage }

// pageURL is the path of listing page n (1-based).
func (d *Directory) pageURL(n int) string {
	switch d.Style {
	case "cards":
		return fmt.Sprintf("/search?cat=all&page=%d", n)
	case "microdata":
		if n == 1 {
			return "/branchen/handwerk"
		}
		return fmt.Sprintf("/branchen/handwerk/seite-%d", n)
	case "jsonld":
		if n == 1 {
			return "/annuaire/artisans"
		}
		return fmt.Sprintf("/annuaire/artisans?page=%d", n)
	case "table":
		return fmt.Sprintf("/pesquisa/empresas?pagina=%d", n)
	case "hcard":
		return fmt.Sprintf("/ucs/UcsSearchAction.do?keywords=trades&pageNum=%d", n)
	default:
		if n == 1 {
			return "/zoeken/bedrijven"
		}
		return fmt.Sprintf("/zoeken/bedrijven?page=%d", n)
	}
}

// pageOf returns the listing page number a request asks for, 0 when it is no listing.
func (d *Directory) pageOf(req *http.Request) int {
	q := req.URL.Query()
	p := req.URL.Path
	num := func(s string) int {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > d.pages() {
			return 0
		}
		return n
	}
	switch d.Style {
	case "cards":
		if p == "/search" {
			return num(q.Get("page"))
		}
	case "microdata":
		if p == "/branchen/handwerk" {
			return 1
		}
		if s, ok := strings.CutPrefix(p, "/branchen/handwerk/seite-"); ok {
			return num(s)
		}
	case "jsonld":
		if p == "/annuaire/artisans" {
			if q.Get("page") == "" {
				return 1
			}
			return num(q.Get("page"))
		}
	case "table":
		if p == "/pesquisa/empresas" {
			return num(q.Get("pagina"))
		}
	case "hcard":
		if p == "/ucs/UcsSearchAction.do" {
			return num(q.Get("pageNum"))
		}
	default:
		if p == "/zoeken/bedrijven" {
			if q.Get("page") == "" {
				return 1
			}
			return num(q.Get("page"))
		}
	}
	return 0
}

func (w *Web) serveDirectory(rw http.ResponseWriter, req *http.Request, d *Directory, seq int) {
	p := req.URL.Path
	if n := d.pageOf(req); n > 0 {
		if n == 2 && w.failOnce(rw, d.Host+req.URL.String()) {
			return
		}
		writeHTML(rw, w.listingPage(d, n, seq))
		return
	}
	// Outbound links: the directory counts the click and redirects.
	if id, ok := redirectID(p, req.URL.Query()); ok && id < len(w.Businesses) && w.Businesses[id].Host != "" {
		b := w.Businesses[id]
		host := b.Host
		if b.site.wwwRedirect {
			host = b.Alias
		}
		http.Redirect(rw, req, w.URL(host, "/"), http.StatusFound)
		return
	}
	if u := req.URL.Query().Get("url"); p == "/go.php" && u != "" {
		http.Redirect(rw, req, u, http.StatusFound)
		return
	}
	if u := req.URL.Query().Get("u"); p == "/out" && u != "" {
		http.Redirect(rw, req, u, http.StatusFound)
		return
	}
	if b := w.detailOf(d, p); b != nil {
		writeHTML(rw, w.detailPage(d, b))
		return
	}
	// Traps: a calendar without end, whose months link to their days, and pages whose
	// every link carries a fresh session.
	if month := req.URL.Query().Get("month"); p == "/kalender" {
		y, m := 2026, 1
		fmt.Sscanf(month, "%d-%d", &y, &m)
		m = (m+11)%12 + 1
		ny, nm := y, m+1
		if nm > 12 {
			ny, nm = y+1, 1
		}
		var days strings.Builder
		for day := 1; day <= 28; day++ {
			fmt.Fprintf(&days, `<a href="/kalender/%d-%02d-%02d">%d</a> `, y, m, day, day)
		}
		writeHTML(rw, fmt.Sprintf(`<html><head><title>Events %s %d</title></head><body><h1>Events in %s %d</h1><p>No events this month.</p><div class="days">%s</div><a href="%s?month=%d-%02d">Next month ›</a> <a href="%s?month=%d-%02d">‹ Previous</a>%s</body></html>`,
			monthNames[m-1], y, monthNames[m-1], y, days.String(), p, ny, nm, p, y, m-1, w.dirFooter(d)))
		return
	}
	if day, ok := strings.CutPrefix(p, "/kalender/"); ok {
		y, m, dd := 2026, 1, 1
		fmt.Sscanf(day, "%d-%d-%d", &y, &m, &dd)
		m = (m+11)%12 + 1
		writeHTML(rw, fmt.Sprintf(`<html><body><h1>Events on %d %s %d</h1><p>None.</p><a href="/kalender/%d-%02d-%02d">Next day</a> <a href="/kalender?month=%d-%02d">Month</a>%s</body></html>`,
			dd, monthNames[m-1], y, y, m, dd+1, y, m, w.dirFooter(d)))
		return
	}
	if strings.HasPrefix(p, "/session") {
		writeHTML(rw, fmt.Sprintf(`<html><body><h1>Welcome back</h1><a href="/session?sid=%x">Continue</a> <a href="/session/prefs?sid=%x">Preferences</a>%s</body></html>`,
			seq*7919, seq*104729, w.dirFooter(d)))
		return
	}
	http.NotFound(rw, req)
}

var monthNames = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}

func redirectID(p string, q url.Values) (int, bool) {
	if s, ok := strings.CutPrefix(p, "/redirect/"); ok {
		n, err := strconv.Atoi(s)
		return n, err == nil
	}
	return 0, false
}

func (w *Web) detailOf(d *Directory, p string) *Business {
	var s string
	switch d.Style {
	case "cards":
		s, _ = strings.CutPrefix(p, "/biz/")
		if i := strings.LastIndexByte(s, '-'); i >= 0 {
			s = s[i+1:]
		}
	case "jsonld":
		s, _ = strings.CutPrefix(p, "/pros/")
	default:
		return nil
	}
	id, err := strconv.Atoi(s)
	if err != nil || id < 0 || id >= len(w.Businesses) {
		return nil
	}
	b := w.Businesses[id]
	if !slices.Contains(b.Dirs, d.Host) {
		return nil
	}
	return b
}

// website is the link a directory gives to a business's site: the canonical host or its
// other spelling, which redirects.
func (w *Web) website(b *Business) string {
	if b.Host == "" {
		return ""
	}
	if b.site.wwwRedirect {
		return w.URL(b.Alias, "/")
	}
	return w.URL(b.Host, "/")
}

func (w *Web) dirFooter(d *Directory) string {
	dom := strings.TrimPrefix(d.Host, "www.")
	return fmt.Sprintf(`<footer><p>© 2026 %s · <a href="mailto:redaktion@%s">redaktion@%s</a> · <a href="/kalender">Kalender</a> · <a href="/session?sid=0">Mein Konto</a> · <a href="/beheer/">Admin</a></p></footer>`, dom, dom, dom)
}

func (w *Web) listingPage(d *Directory, n, seq int) string {
	lo, hi := (n-1)*perPage, min(n*perPage, len(d.listed))
	bs := d.listed[lo:hi]
	var sb strings.Builder
	head := ""
	if n < d.pages() && d.Style == "microdata" {
		head = fmt.Sprintf(`<link rel="next" href="%s">`, d.pageURL(n+1))
	}
	fmt.Fprintf(&sb, `<!DOCTYPE html><html><head><meta charset="utf-8"><title>%s – page %d</title>%s</head><body><header><a href="/">Home</a> <a href="/session?sid=%d">Login</a></header><main>`, d.Host, n, head, seq)
	switch d.Style {
	case "cards":
		for _, b := range bs {
			fmt.Fprintf(&sb, `<div class="container__09f24 css-1qn0b6x"><div class="businessName__09f24"><h3><a href="/biz/%s-%d">%s</a></h3></div><div class="rating">4.%d stars · %d reviews</div><p class="css-phone">%s</p><a href="/biz/%s-%d?sort=rating">Sort reviews</a></div>`,
				slug(b.Name, "-"), b.ID, html.EscapeString(b.Name), b.ID%10, b.ID%97, b.Phone, slug(b.Name, "-"), b.ID)
		}
	case "microdata":
		for _, b := range bs {
			w.microdataEntry(&sb, d, b)
		}
		fmt.Fprintf(&sb, `<a href="/branchen/handwerk.pdf">Liste als PDF</a>`)
	case "jsonld":
		w.jsonldListing(&sb, d, bs)
	case "table":
		w.tableListing(&sb, d, bs, n)
	case "hcard":
		for i, b := range bs {
			w.hcardEntry(&sb, d, b, i%3 == 0)
		}
	default:
		w.deflistListing(&sb, d, bs, n)
	}
	sb.WriteString(`</main><nav class="pagination">`)
	w.pagination(&sb, d, n)
	sb.WriteString(`</nav>`)
	sb.WriteString(w.dirFooter(d))
	sb.WriteString(`</body></html>`)
	return sb.String()
}

// pagination writes the listing's links to other pages in the directory's manner.
func (w *Web) pagination(sb *strings.Builder, d *Directory, n int) {
	last := d.pages()
	switch d.Style {
	case "cards", "deflist":
		for i := max(1, n-2); i <= min(last, n+2); i++ {
			fmt.Fprintf(sb, ` <a href="%s">%d</a>`, html.EscapeString(d.pageURL(i)), i)
		}
		if n < last {
			fmt.Fprintf(sb, ` <a class="next-link" href="%s">Next ›</a>`, html.EscapeString(d.pageURL(n+1)))
		}
	case "microdata":
		if n < last {
			fmt.Fprintf(sb, `<a rel="next" href="%s">Weiter</a>`, d.pageURL(n+1))
		}
	case "jsonld":
		for i := 1; i <= last; i++ {
			fmt.Fprintf(sb, ` <a href="%s">%d</a>`, d.pageURL(i), i)
		}
		fmt.Fprintf(sb, ` <a href="/annuaire/artisans?tri=note&page=%d">Trier par note</a>`, n)
	case "table":
		if n < last {
			fmt.Fprintf(sb, `<a href="%s">Próxima ›</a>`, d.pageURL(n+1))
		}
		fmt.Fprintf(sb, ` <a href="/pesquisa/empresas?pagina=%d&amp;ordem=nome">Ordenar</a>`, n)
	case "hcard":
		if n < last {
			fmt.Fprintf(sb, `<a rel="next" href="%s">Next ›</a>`, html.EscapeString(d.pageURL(n+1)))
		}
		fmt.Fprintf(sb, ` <a href="%s&amp;sort=az">A–Z</a> <a href="/members/public-list">Members</a>`, html.EscapeString(d.pageURL(n)))
	}
}

func (w *Web) detailPage(d *Directory, b *Business) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, `<!DOCTYPE html><html><head><meta charset="utf-8"><title>%s</title>`, html.EscapeString(b.Name))
	if d.Style == "jsonld" {
		obj := w.schemaObject(d, b)
		obj["@context"] = "https://schema.org"
		js, _ := json.Marshal(map[string]any{"@context": "https://schema.org", "@graph": []any{
			map[string]any{"@type": "WebPage", "name": b.Name + " – avis et coordonnées", "publisher": map[string]any{"@type": "Organization", "name": "PagesJaunes-like", "email": "contact@pagesjaunes-like.fr"}},
			obj,
		}})
		fmt.Fprintf(&sb, `<script type="application/ld+json">%s</script>`, js)
	}
	fmt.Fprintf(&sb, `</head><body><h1>%s</h1><p class="phone">%s</p><p>%s</p>`, html.EscapeString(b.Name), b.Phone, b.City)
	if d.Style == "cards" {
		if b.Host != "" {
			fmt.Fprintf(&sb, `<p>Business website <a href="/redirect/%d" rel="nofollow">%s</a></p>`, b.ID, b.Alias)
		}
		fmt.Fprintf(&sb, `<section class="reviews"><div class="review"><span class="user">%s W.</span> Great work, would hire again!</div></section><a href="/biz/%s-%d/photos">Photos</a>`,
			pick2(b.ID, countries["us"].firsts), slug(b.Name, "-"), b.ID)
	}
	if d.Style == "jsonld" {
		fmt.Fprintf(&sb, `<a href="/pros/%d/avis">Avis</a>`, b.ID)
	}
	sb.WriteString(w.dirFooter(d))
	sb.WriteString(`</body></html>`)
	return sb.String()
}

func pick2(i int, xs []string) string { return xs[i%len(xs)] }

func (w *Web) microdataEntry(sb *strings.Builder, d *Directory, b *Business) {
	fmt.Fprintf(sb, `<article class="mod-Treffer" itemscope itemtype="http://schema.org/LocalBusiness" itemref="kontakt-%d"><h2 class="mod-Treffer__name" itemprop="name">%s</h2>`, b.ID, html.EscapeString(b.Name))
	fmt.Fprintf(sb, `<address itemprop="address" itemscope itemtype="https://schema.org/PostalAddress"><span itemprop="streetAddress">Hauptstraße %d</span>, <span itemprop="postalCode">5%04d</span> <span itemprop="addressLocality">%s</span></address>`, 1+b.ID%120, b.ID, b.City)
	if b.Host != "" {
		fmt.Fprintf(sb, `<a itemprop="url" class="contains-icon-homepage" href="/go.php?url=%s">Webseite</a>`, url.QueryEscape(w.website(b)))
	}
	sb.WriteString(`</article>`)
	fmt.Fprintf(sb, `<div class="mod-Kontakt" id="kontakt-%d"><a itemprop="telephone" href="tel:%s">%s</a>`, b.ID, strings.ReplaceAll(b.Phone, " ", ""), b.Phone)
	for _, p := range b.dirEmailsByDir[d.Host] {
		fmt.Fprintf(sb, ` <a itemprop="email" href="mailto:%s">E-Mail</a>`, p.addr)
	}
	sb.WriteString(`</div>`)
}

func (w *Web) schemaObject(d *Directory, b *Business) map[string]any {
	obj := map[string]any{
		"@type": []string{"LocalBusiness", "HomeAndConstructionBusiness"}, "name": b.Name, "telephone": b.Phone,
		"address": map[string]any{"@type": "PostalAddress", "streetAddress": fmt.Sprintf("%d rue de la République", 1+b.ID%80), "postalCode": fmt.Sprintf("69%03d", b.ID%1000), "addressLocality": b.City},
	}
	if b.Host != "" {
		obj["url"] = w.website(b)
	}
	var es []string
	for _, p := range b.dirEmailsByDir[d.Host] {
		es = append(es, p.addr)
	}
	switch len(es) {
	case 0:
	case 1:
		obj["email"] = "mailto:" + es[0]
	default:
		obj["email"] = es
	}
	return obj
}

func (w *Web) jsonldListing(sb *strings.Builder, d *Directory, bs []*Business) {
	var items []any
	for i, b := range bs {
		items = append(items, map[string]any{"@type": "ListItem", "position": i + 1, "item": w.schemaObject(d, b)})
	}
	js, _ := json.Marshal(map[string]any{"@context": "https://schema.org", "@graph": []any{
		map[string]any{"@type": "WebSite", "name": "PagesJaunes-like", "url": w.URL(d.Host, "/")},
		map[string]any{"@type": "Organization", "name": "PagesJaunes-like SA", "email": "contact@pagesjaunes-like.fr", "telephone": "+33 1 00 00 00 00"},
		map[string]any{"@type": "ItemList", "itemListElement": items},
	}})
	fmt.Fprintf(sb, `<script type="application/ld+json">%s</script><ul class="bi-list">`, js)
	for _, b := range bs {
		fmt.Fprintf(sb, `<li class="bi"><a class="bi-denomination" href="/pros/%d">%s</a> <span>%s</span></li>`, b.ID, html.EscapeString(b.Name), b.City)
	}
	sb.WriteString(`</ul>`)
}

func (w *Web) tableListing(sb *strings.Builder, d *Directory, bs []*Business, n int) {
	if n%2 == 1 {
		// A client-rendered page: the listing lives only in the Next.js data.
		var rows []any
		for _, b := range bs {
			row := map[string]any{"id": b.ID, "companyName": b.Name, "phoneNumber": b.Phone, "city": b.City}
			if b.Host != "" {
				row["website"] = w.website(b)
			}
			var es []string
			for _, p := range b.dirEmailsByDir[d.Host] {
				es = append(es, p.addr)
			}
			if len(es) > 0 {
				row["emails"] = es
				row["email"] = es[0]
			}
			rows = append(rows, row)
		}
		js, _ := json.Marshal(map[string]any{"props": map[string]any{"pageProps": map[string]any{"listings": rows, "total": len(d.listed)}}, "page": "/pesquisa/[slug]", "buildId": "x1"})
		fmt.Fprintf(sb, `<div id="__next"><div class="loading">A carregar…</div></div><script id="__NEXT_DATA__" type="application/json">%s</script>`, js)
		return
	}
	sb.WriteString(`<table class="resultados"><tr><th>Nome</th><th>Telefone</th><th>Email</th><th>Website</th></tr>`)
	c := countries["pt"]
	for _, b := range bs {
		fmt.Fprintf(sb, `<tr><td class="nome"><strong>%s</strong></td><td><a href="tel:%s">%s</a></td><td>`, html.EscapeString(b.Name), strings.ReplaceAll(b.Phone, " ", ""), b.Phone)
		for _, p := range b.dirEmailsByDir[d.Host] {
			sb.WriteString(renderEmail(p.addr, p.how, c))
		}
		sb.WriteString(`</td><td>`)
		if b.Host != "" {
			fmt.Fprintf(sb, `<a href="%s" target="_blank">%s</a>`, w.website(b), b.Alias)
		}
		sb.WriteString(`</td></tr>`)
	}
	sb.WriteString(`</table>`)
}

func (w *Web) hcardEntry(sb *strings.Builder, d *Directory, b *Business, classic bool) {
	out := ""
	if b.Host != "" {
		out = "/out?u=" + url.QueryEscape(w.website(b))
	}
	if classic {
		fmt.Fprintf(sb, `<div class="vcard businessCapsule"><h2><span class="fn org">%s</span></h2><span class="tel">%s</span><div class="adr"><span class="street-address">%d High Street</span>, <span class="locality">%s</span></div>`, html.EscapeString(b.Name), b.Phone, 1+b.ID%200, b.City)
		for _, p := range b.dirEmailsByDir[d.Host] {
			fmt.Fprintf(sb, ` <a class="email" href="mailto:%s">Email</a>`, p.addr)
		}
		if out != "" {
			fmt.Fprintf(sb, ` <a class="url" href="%s">Website</a>`, html.EscapeString(out))
		}
		sb.WriteString(`</div>`)
		return
	}
	fmt.Fprintf(sb, `<div class="h-card businessCapsule"><h2 class="p-name">%s</h2><a class="p-tel" href="tel:%s">%s</a><div class="p-adr h-adr"><span class="p-street-address">%d High Street</span>, <span class="p-locality">%s</span></div>`, html.EscapeString(b.Name), strings.ReplaceAll(b.Phone, " ", ""), b.Phone, 1+b.ID%200, b.City)
	for _, p := range b.dirEmailsByDir[d.Host] {
		fmt.Fprintf(sb, ` <a class="u-email" href="mailto:%s">Email</a>`, p.addr)
	}
	if out != "" {
		fmt.Fprintf(sb, ` <a class="u-url" href="%s">Visit website</a>`, html.EscapeString(out))
	}
	sb.WriteString(`</div>`)
}

func (w *Web) deflistListing(sb *strings.Builder, d *Directory, bs []*Business, n int) {
	row := func(b *Business) map[string]any {
		m := map[string]any{"__typename": "Company", "id": b.ID, "name": b.Name, "phone": b.Phone, "city": b.City}
		if b.Host != "" {
			m["website"] = w.website(b)
		}
		for _, p := range b.dirEmailsByDir[d.Host] {
			if _, ok := m["email"]; !ok {
				m["email"] = p.addr
			} else {
				m["email"] = []string{m["email"].(string), p.addr}
			}
		}
		return m
	}
	switch n % 4 {
	case 1:
		sb.WriteString(`<div id="app"></div><script>window.__INITIAL_STATE__ = {"search":{"query":"bedrijven","results":[`)
		for i, b := range bs {
			if i > 0 {
				sb.WriteByte(',')
			}
			js, _ := json.Marshal(row(b))
			sb.Write(js)
		}
		sb.WriteString(`]},"user":{"name":"Gast","loggedIn":false}};window.__LOCALE__="nl";</script>`)
	case 2:
		var rs []any
		for _, b := range bs {
			rs = append(rs, row(b))
		}
		js, _ := json.Marshal(map[string]any{"layout": "default", "data": []any{map[string]any{"companies": rs}}, "serverRendered": true})
		fmt.Fprintf(sb, `<div id="__nuxt"></div><script>window.__NUXT__=%s;</script>`, js)
	case 3:
		m := map[string]any{"ROOT_QUERY": map[string]any{"__typename": "Query"}}
		for _, b := range bs {
			m[fmt.Sprintf("Company:%d", b.ID)] = row(b)
		}
		js, _ := json.Marshal(m)
		fmt.Fprintf(sb, `<div id="root"></div><script>window.__APOLLO_STATE__ = %s;</script>`, js)
	default:
		for _, b := range bs {
			c := countries[b.Country]
			fmt.Fprintf(sb, `<section class="entry"><h3>%s</h3><dl><dt>Telefoon</dt><dd>%s</dd><dt>Plaats</dt><dd>%s</dd>`, html.EscapeString(b.Name), b.Phone, b.City)
			for _, p := range b.dirEmailsByDir[d.Host] {
				fmt.Fprintf(sb, `<dt>E-mail</dt><dd>%s</dd>`, renderEmail(p.addr, p.how, c))
			}
			if b.Host != "" {
				fmt.Fprintf(sb, `<dt>Website</dt><dd><a href="%s">%s</a></dd>`, w.website(b), b.Alias)
			}
			sb.WriteString(`</dl></section>`)
		}
	}
}
