package crawler

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clientele/clientele/config"
	"github.com/clientele/clientele/store"
	"github.com/gocolly/colly/v2"
)

// benchWeb is a generated directory of n businesses, 20 to a listing page, each with a
// detail page and a website of three pages (home, contact, about): about 4n pages.
type benchWeb struct {
	srv      *httptest.Server
	port     string
	n        int
	requests atomic.Int64
}

const perPage = 20

func newBenchWeb(tb testing.TB, n int) *benchWeb {
	w := &benchWeb{n: n}
	w.srv = httptest.NewServer(http.HandlerFunc(w.serve))
	tb.Cleanup(w.srv.Close)
	_, w.port, _ = net.SplitHostPort(w.srv.Listener.Addr().String())
	return w
}

func (w *benchWeb) serve(rw http.ResponseWriter, r *http.Request) {
	w.requests.Add(1)
	host, _, _ := net.SplitHostPort(r.Host)
	p := r.URL.Path
	rw.Header().Set("Content-Type", "text/html; charset=utf-8")
	if p == "/robots.txt" {
		rw.Write([]byte("User-agent: *\nDisallow: /admin/\n"))
		return
	}
	filler := strings.Repeat("<p>Quality work, fair prices, local and family owned since 1990. Call today for a free quote.</p>\n", 30)
	if host == "dir.example.com" {
		switch {
		case strings.HasPrefix(p, "/list/"):
			page, _ := strconv.Atoi(strings.TrimPrefix(p, "/list/"))
			var sb strings.Builder
			sb.WriteString("<html><head><title>Plumbers</title></head><body><h1>Plumbers</h1>")
			for i := page * perPage; i < min((page+1)*perPage, w.n); i++ {
				fmt.Fprintf(&sb, `<div class="listing"><h2 class="name">Business %d</h2><span class="phone">+44 113 %06d</span><a class="more" href="/biz/%d">Details</a></div>`, i, i, i)
			}
			if (page+1)*perPage < w.n {
				fmt.Fprintf(&sb, `<a rel="next" href="/list/%d">Next</a>`, page+1)
			}
			sb.WriteString(filler + "</body></html>")
			rw.Write([]byte(sb.String()))
		case strings.HasPrefix(p, "/biz/"):
			i, _ := strconv.Atoi(strings.TrimPrefix(p, "/biz/"))
			fmt.Fprintf(rw, `<html><head><script type="application/ld+json">{"@context":"https://schema.org","@type":"Plumber","name":"Business %d","telephone":"+44 113 %06d","url":"http://biz%d.co.uk:%s/","address":{"@type":"PostalAddress","streetAddress":"%d High St","addressLocality":"Leeds"}}</script></head><body><h1>Business %d</h1>%s</body></html>`, i, i, i, w.port, i, i, filler)
		default:
			http.NotFound(rw, r)
		}
		return
	}
	i, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(host, "biz"), ".co.uk"))
	switch p {
	case "/":
		fmt.Fprintf(rw, `<html><head><meta name="viewport" content="width=device-width"><meta name="generator" content="WordPress 6.4"></head><body><nav><a href="/contact">Contact</a> <a href="/about-us">About us</a></nav><h1>Business %d</h1>%s<p>&copy; 2020 Business %d. <a href="mailto:info@biz%d.co.uk">info@biz%d.co.uk</a></p></body></html>`, i, filler, i, i, i)
	case "/contact":
		fmt.Fprintf(rw, `<html><body><h1>Contact</h1>%s<p>Owner: owner%d [at] biz%d [dot] co [dot] uk</p></body></html>`, filler, i, i)
	case "/about-us":
		fmt.Fprintf(rw, `<html><body><h1>About</h1>%s</body></html>`, filler)
	default:
		http.NotFound(rw, r)
	}
}

func (w *benchWeb) lookup(context.Context, string) ([]netip.Addr, error) {
	return []netip.Addr{netip.MustParseAddr("127.0.0.1")}, nil
}

func (w *benchWeb) config() config.Crawl {
	return config.Crawl{
		UserAgent: "clientele-bench/1", Parallelism: 8, MaxSitePages: 5, AllowPrivateNetworks: true,
		Sources: []config.Source{{
			Name: "bench", StartURLs: []string{"http://dir.example.com:" + w.port + "/list/0"},
			NextPage: `a[rel="next"]`, DetailLinks: "a.more", Item: ".listing",
			Fields: config.Fields{Name: ".name", Phone: ".phone"}, MaxPages: 10000,
		}},
	}
}

// BenchmarkCrawl is the whole crawl: fetching, extraction, validation and storage in a
// real bbolt file. Compare with BenchmarkBareColly, the same pages fetched by colly alone.
func BenchmarkCrawl(b *testing.B) {
	w := newBenchWeb(b, 1000)
	for b.Loop() {
		db, err := store.Open(filepath.Join(b.TempDir(), "bench.db"), store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		w.requests.Store(0)
		sum, err := New(w.config(), db, nil, WithLookup(w.lookup)).Run(context.Background(), "")
		if err != nil {
			b.Fatal(err)
		}
		if sum.WithEmail != 1000 || sum.Errors != 0 {
			b.Fatalf("summary %+v", sum)
		}
		b.ReportMetric(float64(w.requests.Load()), "requests/op")
		db.Close()
	}
}

// BenchmarkBareColly is the baseline: a plain colly collector (robots.txt honoured, 8 in
// flight, no delays) following the same links to the same pages, doing nothing else.
func BenchmarkBareColly(b *testing.B) {
	w := newBenchWeb(b, 1000)
	for b.Loop() {
		w.requests.Store(0)
		c := colly.NewCollector(colly.Async(), colly.UserAgent("bare/1"))
		c.IgnoreRobotsTxt = false
		addr := w.srv.Listener.Addr().String()
		c.WithTransport(&http.Transport{
			DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
				return (&net.Dialer{Timeout: 5 * time.Second}).DialContext(ctx, network, addr)
			},
			MaxIdleConnsPerHost: 4,
		})
		c.Limit(&colly.LimitRule{DomainGlob: "*", Parallelism: 8})
		c.OnHTML(`a[rel="next"], a.more, nav a`, func(e *colly.HTMLElement) { e.Request.Visit(e.Attr("href")) })
		c.OnHTML(`script[type="application/ld+json"]`, func(e *colly.HTMLElement) {
			if i := strings.Index(e.Text, `"url":"`); i >= 0 {
				rest := e.Text[i+7:]
				e.Request.Visit(rest[:strings.IndexByte(rest, '"')])
			}
		})
		if err := c.Visit(w.config().Sources[0].StartURLs[0]); err != nil {
			b.Fatal(err)
		}
		c.Wait()
		b.ReportMetric(float64(w.requests.Load()), "requests/op")
	}
}
