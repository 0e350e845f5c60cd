package crawler

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clientele/clientele/config"
	"github.com/clientele/clientele/crawler/extract"
	"github.com/clientele/clientele/lead"
)

// pagesWeb serves fixed pages by host and path (any host name reaches it through lookup),
// with redirects, and counts the requests each page got.
type pagesWeb struct {
	srv  *httptest.Server
	port string

	mu        sync.Mutex
	pages     map[string]string // host+path → HTML
	redirects map[string]string // host+path → target
	hits      map[string]int
}

func newPagesWeb(t *testing.T) *pagesWeb {
	w := &pagesWeb{pages: map[string]string{}, redirects: map[string]string{}, hits: map[string]int{}}
	w.srv = httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		host, _, _ := net.SplitHostPort(r.Host)
		key := host + r.URL.Path
		w.mu.Lock()
		w.hits[key]++
		page, ok := w.pages[key]
		target, moved := w.redirects[key]
		w.mu.Unlock()
		switch {
		case r.URL.Path == "/robots.txt":
			rw.Write([]byte("User-agent: *\nAllow: /\n"))
		case moved:
			http.Redirect(rw, r, target, http.StatusMovedPermanently)
		case ok:
			rw.Header().Set("Content-Type", "text/html; charset=utf-8")
			rw.Write([]byte(page))
		default:
			http.NotFound(rw, r)
		}
	}))
	t.Cleanup(w.srv.Close)
	_, w.port, _ = net.SplitHostPort(w.srv.Listener.Addr().String())
	return w
}

// url is the address of path on host, on the test server's port.
func (w *pagesWeb) url(host, path string) string { return "http://" + host + ":" + w.port + path }

func (w *pagesWeb) page(host, path, html string) {
	w.mu.Lock()
	w.pages[host+path] = strings.ReplaceAll(html, "PORT", w.port)
	w.mu.Unlock()
}

func (w *pagesWeb) lookup(context.Context, string) ([]netip.Addr, error) {
	return []netip.Addr{netip.MustParseAddr("127.0.0.1")}, nil
}

// crawl runs a crawl of one source without selectors over start and returns the leads
// stored, by name.
func (w *pagesWeb) crawl(t *testing.T, follow bool, maxPages int, start ...string) (map[string]*lead.Lead, Summary) {
	t.Helper()
	all, sum := w.crawlAll(t, follow, maxPages, start...)
	out := map[string]*lead.Lead{}
	for _, l := range all {
		if _, dup := out[l.Name]; dup {
			t.Errorf("two leads named %q", l.Name)
		}
		out[l.Name] = l
	}
	return out, sum
}

// crawlAll is crawl returning every lead stored, in the store's order.
func (w *pagesWeb) crawlAll(t *testing.T, follow bool, maxPages int, start ...string) ([]*lead.Lead, Summary) {
	t.Helper()
	db := openStore(t)
	cfg := config.Crawl{
		UserAgent: "clientele-test/1", Parallelism: 4, MaxSitePages: 2, AllowPrivateNetworks: true,
		Sources: []config.Source{{Name: "dir", StartURLs: start, MaxPages: maxPages, FollowWebsites: &follow}},
	}
	c := New(cfg, db, slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn})),
		WithLookup(w.lookup), WithRetryBackoff(time.Millisecond))
	sum, err := c.Run(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	var all []*lead.Lead
	if err := db.ForEachLead(func(l *lead.Lead) error { all = append(all, l); return nil }); err != nil {
		t.Fatal(err)
	}
	return all, sum
}

func jsonLD(name, phone, url, email string) string {
	s := fmt.Sprintf(`{"@context":"https://schema.org","@type":"LocalBusiness","name":%q,"telephone":%q,"url":%q`, name, phone, url)
	if email != "" {
		s += fmt.Sprintf(`,"email":%q`, email)
	}
	return `<script type="application/ld+json">` + s + `}</script>`
}

// A listing whose JSON-LD gives, as each business's url, its page on the directory (on
// another host of the directory than the start URL, which redirects): 30 businesses, 30
// leads, each joined with what its detail page shows.
func TestDirectoryURLIsNoWebsite(t *testing.T) {
	w := newPagesWeb(t)
	w.mu.Lock()
	w.redirects["dir-old.test/search"] = w.url("www.dir-new.test", "/search")
	w.mu.Unlock()
	var sb strings.Builder
	sb.WriteString("<html><body><h1>Plumbers</h1>")
	for i := range 30 {
		detail := w.url("biz.dir-new.test", fmt.Sprintf("/p/%d", i))
		sb.WriteString(jsonLD(fmt.Sprintf("Fixture Plumbing %d", i), fmt.Sprintf("+44 113 555 %04d", i), detail, ""))
		w.page("biz.dir-new.test", fmt.Sprintf("/p/%d", i), `<html><body>`+
			jsonLD(fmt.Sprintf("Fixture Plumbing %d", i), "", detail, fmt.Sprintf("office%d@fixture-plumbing-%d.co.uk", i, i))+
			`<h1>Fixture Plumbing</h1><p>Contact us</p></body></html>`)
	}
	sb.WriteString("</body></html>")
	w.page("www.dir-new.test", "/search", sb.String())
	leads, sum := w.crawl(t, true, 100, w.url("dir-old.test", "/search"))
	if len(leads) != 30 || sum.Businesses != 30 {
		t.Fatalf("%d leads (%d businesses counted), want 30: %v", len(leads), sum.Businesses, keys(leads))
	}
	for name, l := range leads {
		if l.Website != "" {
			t.Errorf("%s: website %q, the directory's own page", name, l.Website)
		}
		if len(l.Emails) != 1 || l.Phone == "" {
			t.Errorf("%s: emails %v phone %q: card and detail page not joined", name, l.Emails, l.Phone)
		}
		if l.SourceURL != w.url("www.dir-new.test", "/search") {
			t.Errorf("%s: source_url %q", name, l.SourceURL)
		}
		if !strings.HasPrefix(l.EmailSource, w.url("biz.dir-new.test", "/p/")) {
			t.Errorf("%s: email_source %q, want its detail page", name, l.EmailSource)
		}
		if len(l.Extra) != 0 {
			t.Errorf("%s: extra %v", name, l.Extra)
		}
	}
}

// Every card links to one directions page of a maps service nobody lists: a page shared
// by sixteen businesses is none's website, and each card stays a lead of its own, without
// an email.
func TestSharedLinkMergesNothing(t *testing.T) {
	w := newPagesWeb(t)
	var sb strings.Builder
	sb.WriteString("<html><body><h1>Electricians</h1>")
	for i := range 16 {
		fmt.Fprintf(&sb, `<div itemscope itemtype="https://schema.org/Electrician"><h2 itemprop="name">Volt Fixture %d</h2>`+
			`<span itemprop="telephone">+49 30 5550 %04d</span>`+
			`<a itemprop="url" href="https://maps.mapservice.test/route?to=Street+%d">Route</a></div>`, i, i, i)
	}
	sb.WriteString("</body></html>")
	w.page("list.dir.test", "/electricians", sb.String())
	leads, sum := w.crawl(t, true, 10, w.url("list.dir.test", "/electricians"))
	if len(leads) != 16 || sum.Businesses != 16 {
		t.Fatalf("%d leads (%d businesses counted), want 16: %v", len(leads), sum.Businesses, keys(leads))
	}
	for name, l := range leads {
		if l.Website != "" || l.Email != "" || l.Phone == "" {
			t.Errorf("%s: website %q email %q phone %q", name, l.Website, l.Email, l.Phone)
		}
		if l.Extra["profile"] == "" {
			t.Errorf("%s: the shared link is not kept as a profile", name)
		}
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	for k, n := range w.hits {
		if strings.HasPrefix(k, "maps.") {
			t.Errorf("fetched the shared page %s %d times", k, n)
		}
	}
}

// A card with a name and a phone and nothing else is a lead, with email "".
func TestNamePhoneOnlyIsKept(t *testing.T) {
	w := newPagesWeb(t)
	var sb strings.Builder
	sb.WriteString("<html><body><h1>Bakers</h1>")
	for i := range 49 {
		fmt.Fprintf(&sb, `<div itemscope itemtype="https://schema.org/Bakery"><h2 itemprop="name">Crumb Fixture %d</h2>`+
			`<span itemprop="telephone">+31 20 555 %04d</span><span itemprop="address">Broodstraat %d</span></div>`, i, i, i)
	}
	sb.WriteString("</body></html>")
	w.page("gids.dir.test", "/bakers", sb.String())
	leads, _ := w.crawl(t, true, 10, w.url("gids.dir.test", "/bakers"))
	if len(leads) != 49 {
		t.Fatalf("%d leads, want 49", len(leads))
	}
	for name, l := range leads {
		if l.Email != "" || len(l.Emails) != 0 || l.Phone == "" || l.EmailSource != "" {
			t.Errorf("%s: %+v", name, l)
		}
	}
}

// A card shows name and phone and links to its detail page, which shows the address, an
// email and the website: one lead with all of it; the website's contact page adds another
// address, and the lead's email_source is the page of the address it uses.
func TestCardAndDetailPageJoin(t *testing.T) {
	w := newPagesWeb(t)
	var sb strings.Builder
	sb.WriteString("<html><body><h1>Roofers</h1>")
	for i := range 3 {
		fmt.Fprintf(&sb, `<div itemscope itemtype="https://schema.org/RoofingContractor"><h2 itemprop="name">Tile Fixture %d</h2>`+
			`<span itemprop="telephone">+351 21 555 %04d</span><a itemprop="url" href="/firm/%d">More</a></div>`, i, i, i)
		w.page("www.roof-dir.test", fmt.Sprintf("/firm/%d", i), fmt.Sprintf(`<html><body>`+
			`<script type="application/ld+json">{"@context":"https://schema.org","@type":"RoofingContractor","name":"Tile Fixture %d Lda","address":"Rua das Telhas %d","url":"http://tile%d.pt:PORT/"}</script>`+
			`<h1>Tile Fixture %d Lda</h1><p>Escreva-nos: geral@tile%d.pt</p></body></html>`, i, i, i, i, i))
		w.page(fmt.Sprintf("tile%d.pt", i), "/", fmt.Sprintf(`<html><body><h1>Tile %d</h1><a href="/contactos">Contactos</a></body></html>`, i))
		w.page(fmt.Sprintf("tile%d.pt", i), "/contactos", fmt.Sprintf(`<html><body><p>Ana Costa: ana.costa@tile%d.pt</p></body></html>`, i))
	}
	sb.WriteString("</body></html>")
	w.page("www.roof-dir.test", "/roofers", sb.String())
	list := w.url("www.roof-dir.test", "/roofers")
	leads, _ := w.crawl(t, true, 10, list)
	if len(leads) != 3 {
		t.Fatalf("%d leads, want 3: %v", len(leads), keys(leads))
	}
	for i := range 3 {
		name := fmt.Sprintf("Tile Fixture %d", i)
		l := leads[name]
		if l == nil {
			t.Errorf("no lead %q: %v", name, keys(leads))
			continue
		}
		if l.Phone == "" || l.Address == "" || l.Website != w.url(fmt.Sprintf("tile%d.pt", i), "/") {
			t.Errorf("%s: phone %q address %q website %q", name, l.Phone, l.Address, l.Website)
		}
		// Each address keeps the page it was found on, whichever one is picked.
		from := map[string]string{
			fmt.Sprintf("geral@tile%d.pt", i):     w.url("www.roof-dir.test", fmt.Sprintf("/firm/%d", i)),
			fmt.Sprintf("ana.costa@tile%d.pt", i): w.url(fmt.Sprintf("tile%d.pt", i), "/contactos"),
		}
		if len(l.Emails) != 2 || from[l.Email] == "" {
			t.Errorf("%s: email %q emails %v, want one of %v", name, l.Email, l.Emails, keys(from))
		} else if l.EmailSource != from[l.Email] {
			t.Errorf("%s: email_source of %s is %q, want %q", name, l.Email, l.EmailSource, from[l.Email])
		}
		if l.SourceURL != list {
			t.Errorf("%s: source_url %q", name, l.SourceURL)
		}
	}
}

// A detail page that cannot be read (max_pages reached) leaves the card's lead as the
// card showed it.
func TestCardKeptWithoutDetailPage(t *testing.T) {
	w := newPagesWeb(t)
	w.page("www.roof-dir.test", "/roofers", `<html><body>
<div itemscope itemtype="https://schema.org/RoofingContractor"><h2 itemprop="name">Slate Fixture</h2><span itemprop="telephone">+351 21 555 0101</span><a itemprop="url" href="/firm/a">More</a></div>
<div itemscope itemtype="https://schema.org/RoofingContractor"><h2 itemprop="name">Beam Fixture</h2><span itemprop="telephone">+351 21 555 0102</span><a itemprop="url" href="/firm/missing">More</a></div>
</body></html>`)
	leads, _ := w.crawl(t, false, 1, w.url("www.roof-dir.test", "/roofers"))
	if len(leads) != 2 || leads["Slate Fixture"] == nil || leads["Beam Fixture"] == nil {
		t.Fatalf("leads %v", keys(leads))
	}
	leads, _ = w.crawl(t, false, 10, w.url("www.roof-dir.test", "/roofers"))
	if len(leads) != 2 || leads["Beam Fixture"] == nil || leads["Beam Fixture"].Phone == "" {
		t.Fatalf("a detail page answering 404 lost the card: %v", keys(leads))
	}
}

func TestSharedLinks(t *testing.T) {
	r := &run{dirDoms: map[string]bool{"dir.test": true}}
	page, _ := url.Parse("https://www.dir.test/list")
	bs := []extract.Business{
		{Name: "Alpha Tiles", Website: "https://maps.example.org/route?to=1"},
		{Name: "Beta Roofs", Website: "https://maps.example.org/route?to=2"},
		{Name: "12. Crust Pizza", Website: "https://crust.example.com/"},
		{Name: "14. Crust Pizza", Website: "http://www.crust.example.com"},
		{Name: "Delta Bakery", Website: "https://delta.example.com/"},
		{Name: "Echo Bakery", Website: "https://www.dir.test/go?u=1"},
		{Name: "Foxtrot Bakery", Website: "https://www.dir.test/go?u=2"},
	}
	got := r.sharedLinks(bs, page)
	want := map[string]bool{"maps.example.org/route": true}
	if len(got) != len(want) || !got["maps.example.org/route"] {
		t.Errorf("shared %v, want %v", got, want)
	}
}

// Two businesses whose sites are hosts of one site builder's domain each get their own
// site visit, and the address each site shows (on a domain of its own, not the builder's)
// is the one it is written to.
func TestSiteBuilderHostsAreSitesOfTheirOwn(t *testing.T) {
	w := newPagesWeb(t)
	w.page("www.trade-dir.test", "/list", `<html><body>
<div itemscope itemtype="https://schema.org/LocalBusiness"><h2 itemprop="name">Alpha Tiles</h2><span itemprop="telephone">+44 113 555 0201</span><a itemprop="url" href="http://alpha-tiles.business.site:PORT/">Site</a></div>
<div itemscope itemtype="https://schema.org/LocalBusiness"><h2 itemprop="name">Beta Roofs</h2><span itemprop="telephone">+44 113 555 0202</span><a itemprop="url" href="http://beta-roofs.business.site:PORT/">Site</a></div>
</body></html>`)
	w.page("alpha-tiles.business.site", "/", `<html><body><p>Write to alpha@alpha-tiles.co.uk</p></body></html>`)
	w.page("beta-roofs.business.site", "/", `<html><body><p>Write to beta@beta-roofs.co.uk</p></body></html>`)
	_, sum := w.crawl(t, true, 10, w.url("www.trade-dir.test", "/list"))
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.hits["alpha-tiles.business.site/"] != 1 || w.hits["beta-roofs.business.site/"] != 1 {
		t.Errorf("site visits %v", w.hits)
	}
	if sum.Businesses != 2 || sum.WithEmail != 2 {
		t.Errorf("summary %+v", sum)
	}
}

// A listing page whose structured data describes one business but whose text shows the
// addresses of many others in one paragraph: they are neither that business's nor one
// business's. A nameless paragraph is no business of its own either, so only the named one
// is a lead.
func TestListingEmailsAreNotOneBusinesss(t *testing.T) {
	w := newPagesWeb(t)
	var sb strings.Builder
	sb.WriteString(`<html><body>` + jsonLD("Featured Fixture Ltd", "+44 113 555 0300", "", "") + `<h1>Cleaners</h1><p>Also in Leeds:`)
	for i := range 12 {
		fmt.Fprintf(&sb, ` cleaner no. %d (desk%d@spotless-%d.co.uk),`, i, i, i)
	}
	sb.WriteString(` and more.</p></body></html>`)
	w.page("www.clean-dir.test", "/leeds", sb.String())
	w.page("www.clean-dir.test", "/", `<html><body><a href="/leeds">Leeds</a></body></html>`)
	all, _ := w.crawlAll(t, false, 10, w.url("www.clean-dir.test", "/"))
	if len(all) != 1 {
		t.Errorf("%d leads, want 1", len(all))
	}
	for _, l := range all {
		if l.Name == "Featured Fixture Ltd" && len(l.Emails) > 0 || len(l.Emails) > 1 {
			t.Errorf("%q has the addresses %v", l.Name, l.Emails)
		}
	}
}

// A card's DetailURL is followed when the card lacks an email or a website, and its lead
// waits for that page; a card that has both, or a link off the directory, is not followed.
func TestCardDetailURLFollowed(t *testing.T) {
	w := newPagesWeb(t)
	db := openStore(t)
	src := config.Source{Name: "dir", StartURLs: []string{w.url("www.card-dir.test", "/list")}, MaxPages: 10}
	c := New(config.Crawl{UserAgent: "clientele-test/1", AllowPrivateNetworks: true, Sources: []config.Source{src}}, db, nil, WithLookup(w.lookup))
	ctx := context.Background()
	fetcher := c.newFetcher(ctx, nil)
	sched := newScheduler(fetcher.Gate())
	r, err := c.newRun(ctx, src, fetcher, sched, nil)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := url.Parse(src.StartURLs[0])
	list := &task{kind: kindListing, url: page.String()}
	cards := []extract.Business{
		{Name: "Kiln Fixture", Phone: "+351 21 555 0400", DetailURL: "/firm/kiln", From: "cards"},
		{Name: "Glaze Fixture", Emails: []string{"ola@glaze-fixture.pt"}, Website: "https://glaze-fixture.pt/", DetailURL: "/firm/glaze", From: "cards"},
		{Name: "Clay Fixture", Phone: "+351 21 555 0402", DetailURL: "https://elsewhere.example/clay", From: "cards"},
	}
	for _, b := range cards {
		r.business(ctx, b, page, list, nil, nil)
	}
	var details []*task
	for _, q := range sched.queues {
		for _, tk := range q {
			if tk.kind == kindDetail {
				details = append(details, tk)
			}
		}
	}
	if len(details) != 1 || details[0].url != w.url("www.card-dir.test", "/firm/kiln") || details[0].lead == nil ||
		details[0].lead.Name != "Kiln Fixture" || details[0].ref != page.String() {
		t.Fatalf("detail tasks %+v", details)
	}
}

// The directory's own entry (its name, its home page, its hotline) is no lead.
func TestDirectoryOwnEntryIsNoLead(t *testing.T) {
	w := newPagesWeb(t)
	w.page("www.own-dir.test", "/painters", `<html><body>`+
		`<script type="application/ld+json">{"@context":"https://schema.org","@type":"Organization","name":"Fixture Directory","url":"/","telephone":"+44 800 555 0000"}</script>`+
		jsonLD("Brush Fixture", "+44 113 555 0501", "", "")+jsonLD("Roller Fixture", "+44 113 555 0502", "", "")+
		`<h1>Painters</h1></body></html>`)
	leads, _ := w.crawl(t, false, 5, w.url("www.own-dir.test", "/painters"))
	if len(leads) != 2 || leads["Fixture Directory"] != nil {
		t.Errorf("leads %v", keys(leads))
	}
}

// A business the directory shows with its own relay address and a phone is a lead (its
// email ""), while the directory's imprint with its address and hotline is none.
func TestRelayAddressKeepsTheBusiness(t *testing.T) {
	w := newPagesWeb(t)
	w.page("www.relaydirectory.co.uk", "/florists", `<html><body>`+
		jsonLD("Petal Fixture", "+44 113 555 0601", "", "msg-601@relaydirectory.co.uk")+
		jsonLD("Stem Fixture", "+44 113 555 0602", "", "msg-602@relaydirectory.co.uk")+
		`<script type="application/ld+json">{"@context":"https://schema.org","@type":"Organization","name":"Relay Directory Ltd","telephone":"+44 800 555 0000","email":"info@relaydirectory.co.uk"}</script>`+
		`<h1>Florists</h1></body></html>`)
	leads, _ := w.crawl(t, false, 5, w.url("www.relaydirectory.co.uk", "/florists"))
	if len(leads) != 2 || leads["Petal Fixture"] == nil || leads["Stem Fixture"] == nil {
		t.Fatalf("leads %v", keys(leads))
	}
	for n, l := range leads {
		if l.Email != "" || len(l.Emails) != 0 || l.Phone == "" {
			t.Errorf("%s: %+v", n, l)
		}
	}
}
