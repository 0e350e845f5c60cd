package crawler

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clientele/clientele/config"
	"github.com/clientele/clientele/crawler/internal/evalweb"
	"github.com/clientele/clientele/lead"
	"github.com/gocolly/colly/v2"
)

// TestEvalWeb crawls a generated web (crawler/internal/evalweb: six directories in the
// styles of different countries, the businesses' websites, obfuscations, junk and traps)
// without selectors and checks the figures the crawler is judged by. CRAWLER_EVAL_N sets
// the number of businesses (default 150; 1000 for the full figures), CRAWLER_EVAL_SEED
// the seed; CRAWLER_EVAL_BARE=1 also times a bare colly crawl of the same pages.
func TestEvalWeb(t *testing.T) {
	n, seed := 150, uint64(1)
	if v, err := strconv.Atoi(os.Getenv("CRAWLER_EVAL_N")); err == nil && v > 0 {
		n = v
	}
	if v, err := strconv.ParseUint(os.Getenv("CRAWLER_EVAL_SEED"), 10, 64); err == nil {
		seed = v
	}
	const ua = "clientele/1.0 (+https://clientele.example/bot)"
	web := evalweb.Generate(evalweb.Options{Seed: seed, Businesses: n, UserAgent: ua})
	srv := httptest.NewServer(web)
	t.Cleanup(srv.Close)
	web.SetAddr(srv.Listener.Addr().String())
	lookup := func(context.Context, string) ([]netip.Addr, error) {
		return []netip.Addr{netip.MustParseAddr("127.0.0.1")}, nil
	}
	cfg := config.Crawl{UserAgent: ua, Parallelism: 8, MaxSitePages: 3, AllowPrivateNetworks: true}
	for host, start := range web.StartURLs() {
		if only := os.Getenv("CRAWLER_EVAL_SOURCE"); only != "" && only != host {
			continue
		}
		cfg.Sources = append(cfg.Sources, config.Source{Name: host, StartURLs: []string{start}, MaxPages: 5000})
	}
	db := openStore(t)
	c := New(cfg, db, evalLogger(t), WithLookup(lookup), WithRetryBackoff(evalBackoff()))
	began := time.Now()
	sum, err := c.Run(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	took := time.Since(began)
	var leads []*lead.Lead
	if err := db.ForEachLead(func(l *lead.Lead) error { leads = append(leads, l); return nil }); err != nil {
		t.Fatal(err)
	}
	s := web.Score(leads)
	if os.Getenv("CRAWLER_EVAL_SOURCE") != "" {
		s = web.Score(leads).OnlyTime()
	}
	t.Logf("crawl: %s in %v (summary %+v)", s, took.Round(time.Millisecond), sum)
	for i, m := range s.Misses {
		if i == 40 {
			t.Logf("… %d more misses", len(s.Misses)-i)
			break
		}
		t.Logf("miss: %s", m)
	}
	for i, m := range s.Wrong {
		if i == 40 {
			t.Logf("… %d more wrong", len(s.Wrong)-i)
			break
		}
		t.Logf("wrong: %s", m)
	}
	if f := os.Getenv("CRAWLER_EVAL_DUMP"); f != "" {
		var sb strings.Builder
		for _, h := range web.Hits() {
			sb.WriteString(h.Host + h.Path + "\n")
		}
		os.WriteFile(f, []byte(sb.String()), 0o644)
	}
	for _, v := range s.Violations {
		t.Errorf("robots.txt violated: %s", v)
	}
	if s.LeadRecall() < 0.99 {
		t.Errorf("lead recall %.2f%% < 99%%", 100*s.LeadRecall())
	}
	if s.EmailRecall() < 0.97 {
		t.Errorf("email recall %.2f%% < 97%%", 100*s.EmailRecall())
	}
	if s.EmailPrecision() < 0.99 {
		t.Errorf("email precision %.2f%% < 99%%", 100*s.EmailPrecision())
	}
	if os.Getenv("CRAWLER_EVAL_BARE") != "" {
		bare := bareCrawl(t, web, srv.Listener.Addr().String(), ua)
		t.Logf("bare colly fetch of the same %d pages: %v; ratio %.2f", len(web.Hits()), bare.Round(time.Millisecond), float64(took)/float64(bare))
	}
}

// bareCrawl is the baseline: a plain colly collector (robots.txt honoured, 8 in flight,
// no delays) crawling the same pages as the crawl did, by following the links among them
// from the start URLs; the pages no link leads to (websites named only in JSON-LD or page
// state) are fetched after. It returns how long that took.
func bareCrawl(t *testing.T, web *evalweb.Web, addr, ua string) time.Duration {
	pages := map[string]bool{}
	for _, h := range web.Hits() {
		if !strings.HasSuffix(h.Path, "/robots.txt") {
			pages[web.URL(h.Host, h.Path)] = true
		}
	}
	web.ResetHits()
	c := colly.NewCollector(colly.Async(), colly.UserAgent(ua))
	c.IgnoreRobotsTxt = false
	c.WithTransport(&http.Transport{
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{Timeout: 5 * time.Second}).DialContext(ctx, network, addr)
		},
		MaxIdleConnsPerHost: 4,
	})
	c.Limit(&colly.LimitRule{DomainGlob: "*", Parallelism: 8})
	var mu sync.Mutex
	visited := map[string]bool{}
	visit := func(u string) {
		mu.Lock()
		fresh := pages[u] && !visited[u]
		visited[u] = true
		mu.Unlock()
		if fresh {
			c.Visit(u)
		}
	}
	c.OnHTML("a[href], link[rel=next]", func(e *colly.HTMLElement) { visit(e.Request.AbsoluteURL(e.Attr("href"))) })
	began := time.Now()
	for _, u := range web.StartURLs() {
		visit(u)
	}
	c.Wait()
	for u := range pages {
		visit(u)
	}
	c.Wait()
	return time.Since(began)
}

// evalLogger logs the crawl's warnings to the test when CRAWLER_EVAL_LOG is set.
func evalLogger(t *testing.T) *slog.Logger {
	if os.Getenv("CRAWLER_EVAL_LOG") == "" {
		return nil
	}
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// evalBackoff is the pause before a retry: CRAWLER_EVAL_BACKOFF ("default" for the
// crawler's own), else 50ms so the test stays fast.
func evalBackoff() time.Duration {
	if d, err := time.ParseDuration(os.Getenv("CRAWLER_EVAL_BACKOFF")); err == nil {
		return d
	}
	if os.Getenv("CRAWLER_EVAL_BACKOFF") == "default" {
		return 0
	}
	return 50 * time.Millisecond
}
