package crawler

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clientele/clientele/config"
	"github.com/clientele/clientele/lead"
	"github.com/clientele/clientele/store"
)

// politeWeb serves directories of `pages` listing pages each, four businesses (name and
// phone) to a page and a rel=next link, on any host name; it records when each request
// arrived, per host, so a test can check the gaps against host_delay.
type politeWeb struct {
	srv   *httptest.Server
	port  string
	pages int

	mu   sync.Mutex
	hits map[string][]time.Time
}

func newPoliteWeb(tb testing.TB, pages int) *politeWeb {
	w := &politeWeb{pages: pages, hits: map[string][]time.Time{}}
	w.srv = httptest.NewServer(http.HandlerFunc(w.serve))
	tb.Cleanup(w.srv.Close)
	_, w.port, _ = net.SplitHostPort(w.srv.Listener.Addr().String())
	return w
}

func (w *politeWeb) serve(rw http.ResponseWriter, r *http.Request) {
	host, _, _ := net.SplitHostPort(r.Host)
	w.mu.Lock()
	w.hits[host] = append(w.hits[host], time.Now())
	w.mu.Unlock()
	if r.URL.Path == "/robots.txt" {
		rw.Write([]byte("User-agent: *\nDisallow: /admin/\n"))
		return
	}
	// /<section>/<page>: several sources may crawl sections of one host.
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	if len(parts) != 2 {
		http.NotFound(rw, r)
		return
	}
	page, err := strconv.Atoi(parts[1])
	if err != nil || page >= w.pages {
		http.NotFound(rw, r)
		return
	}
	rw.Header().Set("Content-Type", "text/html; charset=utf-8")
	var sb strings.Builder
	fmt.Fprintf(&sb, "<html><body><h1>%s</h1>", host)
	for i := range 4 {
		n := page*4 + i
		fmt.Fprintf(&sb, `<div class="listing"><h2 class="name">%s %s %d</h2><span class="phone">+44 113 %06d</span></div>`, host, parts[0], n, n)
	}
	if page+1 < w.pages {
		fmt.Fprintf(&sb, `<a rel="next" href="/%s/%d">Next</a>`, parts[0], page+1)
	}
	sb.WriteString("</body></html>")
	rw.Write([]byte(sb.String()))
}

func (w *politeWeb) lookup(context.Context, string) ([]netip.Addr, error) {
	return []netip.Addr{netip.MustParseAddr("127.0.0.1")}, nil
}

func (w *politeWeb) source(name, host, section string) config.Source {
	return config.Source{
		Name: name, StartURLs: []string{"http://" + host + ":" + w.port + "/" + section + "/0"},
		NextPage: `a[rel="next"]`, Item: ".listing",
		Fields:   config.Fields{Name: ".name", Phone: ".phone"},
		MaxPages: 1000, FollowWebsites: new(bool),
	}
}

func (w *politeWeb) config(delay time.Duration, srcs ...config.Source) config.Crawl {
	return config.Crawl{
		UserAgent: "clientele-polite/1", Parallelism: 8, HostDelay: config.Duration(delay),
		AllowPrivateNetworks: true, Sources: srcs,
	}
}

// gaps reports the requests that came closer than delay to the previous one on their host,
// and the politeness bound: the most requests any host got, times delay.
func (w *politeWeb) gaps(delay time.Duration) (violations int, bound time.Duration) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, times := range w.hits {
		times = slices.Clone(times)
		slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
		for i := 1; i < len(times); i++ {
			if times[i].Sub(times[i-1]) < delay {
				violations++
			}
		}
		bound = max(bound, time.Duration(len(times))*delay)
	}
	return violations, bound
}

// during counts the requests to host that came between the first and the last request to
// other.
func (w *politeWeb) during(host, other string) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	o, h := w.hits[other], w.hits[host]
	if len(o) == 0 {
		return 0
	}
	first, last := slices.MinFunc(o, time.Time.Compare), slices.MaxFunc(o, time.Time.Compare)
	n := 0
	for _, t := range h {
		if t.After(first) && t.Before(last) {
			n++
		}
	}
	return n
}

func (w *politeWeb) reset() {
	w.mu.Lock()
	w.hits = map[string][]time.Time{}
	w.mu.Unlock()
}

// crawlPolite runs one whole crawl of cfg into a fresh database.
func crawlPolite(tb testing.TB, w *politeWeb, cfg config.Crawl) (Summary, time.Duration) {
	tb.Helper()
	db, err := store.Open(filepath.Join(tb.TempDir(), "polite.db"), store.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	w.reset()
	start := time.Now()
	sum, err := New(cfg, db, nil, WithLookup(w.lookup)).Run(context.Background(), "")
	if err != nil {
		tb.Fatal(err)
	}
	return sum, time.Since(start)
}

// TestSourcesSideBySide crawls two directories on two hosts and a third source sharing
// the first one's host: all are crawled together, yet no host ever sees two requests
// closer than host_delay, and the crawl takes about as long as its busiest host needs.
func TestSourcesSideBySide(t *testing.T) {
	const pages = 12
	delay := 30 * time.Millisecond
	w := newPoliteWeb(t, pages)
	cfg := w.config(delay,
		w.source("a", "a-dir.test", "plumbers"),
		w.source("b", "b-dir.test", "plumbers"),
		w.source("a2", "a-dir.test", "roofers"),
	)
	sum, took := crawlPolite(t, w, cfg)
	if sum.Sources != 3 || sum.Pages != 3*pages || sum.Businesses != 3*pages*4 || sum.LeadsCreated != 3*pages*4 {
		t.Errorf("summary %+v", sum)
	}
	violations, bound := w.gaps(delay)
	if violations != 0 {
		t.Errorf("%d requests closer than host_delay to the previous one on their host", violations)
	}
	// Side by side, the hosts' requests interleave: one after the other, no request to the
	// first host would fall while the second is crawled. (How long it took against the
	// politeness bound is BenchmarkPoliteTwoSources' to measure, not a test's.)
	if n := w.during("a-dir.test", "b-dir.test"); n == 0 {
		t.Error("no request to a-dir.test while b-dir.test was crawled: the sources ran one after the other")
	}
	t.Logf("crawl took %v against the politeness bound %v", took, bound)
}

// BenchmarkPoliteTwoSources is a polite crawl (host_delay 40ms) of two directories of 25
// pages on two hosts; it reports the wall time against the politeness bound (the most
// requests one host got, times host_delay) and the requests closer than host_delay.
func BenchmarkPoliteTwoSources(b *testing.B) {
	benchPolite(b, "a-dir.test", "b-dir.test")
}

// BenchmarkPoliteOneSource is its baseline: one of the two directories crawled alone,
// the time the two together should take.
func BenchmarkPoliteOneSource(b *testing.B) {
	benchPolite(b, "a-dir.test")
}

func benchPolite(b *testing.B, hosts ...string) {
	const pages = 25
	delay := 40 * time.Millisecond
	w := newPoliteWeb(b, pages)
	var srcs []config.Source
	for _, h := range hosts {
		srcs = append(srcs, w.source(h, h, "list"))
	}
	cfg := w.config(delay, srcs...)
	var ratio float64
	var violations int
	for b.Loop() {
		sum, took := crawlPolite(b, w, cfg)
		if sum.Pages != int64(pages*len(hosts)) {
			b.Fatalf("summary %+v", sum)
		}
		v, bound := w.gaps(delay)
		violations += v
		ratio = max(ratio, float64(took)/float64(bound))
	}
	b.ReportMetric(ratio, "x-bound")
	b.ReportMetric(float64(violations), "violations")
}

// Two sources crawled side by side and interrupted resume each from its own frontier: the
// second run reads only what the first left, and both end complete.
func TestSourcesResumeEachOnItsOwn(t *testing.T) {
	const pages = 10
	delay := 10 * time.Millisecond
	w := newPoliteWeb(t, pages)
	cfg := w.config(delay, w.source("a", "a-dir.test", "list"), w.source("b", "b-dir.test", "list"))
	db, err := store.Open(filepath.Join(t.TempDir(), "resume.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithCancel(context.Background())
	var p Progress
	first, err := New(cfg, db, nil, WithLookup(w.lookup), WithProgress(&p, func(s Snapshot) {
		if s.Pages >= 6 {
			cancel()
		}
	})).Run(ctx, "")
	if err == nil || first.Pages >= 2*pages {
		t.Fatalf("first run was not interrupted: %+v, %v", first, err)
	}
	for _, src := range []string{"a", "b"} {
		if n, _ := db.FrontierLen(src); n == 0 {
			t.Errorf("source %s left no frontier", src)
		}
	}
	second, err := New(cfg, db, nil, WithLookup(w.lookup)).Run(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	if !second.Resumed || first.Pages+second.Pages > 2*pages+2 {
		t.Errorf("resumed %v, pages %d then %d for %d", second.Resumed, first.Pages, second.Pages, 2*pages)
	}
	n := 0
	_ = db.ForEachLead(func(*lead.Lead) error { n++; return nil })
	if n != 2*pages*4 {
		t.Errorf("%d leads, want %d", n, 2*pages*4)
	}
	for _, src := range []string{"a", "b"} {
		if n, _ := db.FrontierLen(src); n != 0 {
			t.Errorf("source %s: frontier of %d left after a complete crawl", src, n)
		}
	}
}
