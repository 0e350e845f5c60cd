// Package evalweb generates a synthetic web on which a crawl is measured: several business
// directories written in the styles of real ones from different countries, the websites
// of the businesses they list, and the obfuscations, junk and traps found on real pages.
// It knows the truth about every business (which addresses a careful crawler can recover
// from the pages robots.txt lets it read), serves the pages over HTTP, judges every
// request against robots.txt with its own reading of the rules, and scores the leads a
// crawl produced.
//
// It is written apart from the crawler's readers so that it does not share their blind
// spots: it is what the crawler is measured against, not what it was built from.
package evalweb

import (
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Options shape a generated web.
type Options struct {
	Seed       uint64
	Businesses int
	// UserAgent is the crawler's, for judging robots.txt groups (default "clientele/1.0").
	UserAgent string
	// Slow is how long slow pages take (default 150ms).
	Slow time.Duration
}

// Business is one business of the generated web and the truth about it.
type Business struct {
	ID      int
	Name    string
	Phone   string
	City    string
	Country string
	// Host is the canonical host of its website, "" when it has none; Alias is the other
	// spelling (www. or bare) that redirects to it.
	Host, Alias string
	// Emails are the addresses a crawler can recover from pages it may read.
	Emails []string
	// Hidden are addresses shown in ways no crawler should read (an image, reversed text)
	// or on pages robots.txt forbids; finding them is no error, but they are not expected.
	Hidden []string
	// Dirs are the directories listing it.
	Dirs []string

	site           *site
	dirEmailsByDir map[string][]placed
}

// Hit is one request the web received.
type Hit struct {
	Host, Path string
	// Disallowed is true when robots.txt of the host forbids the path for the crawler.
	Disallowed bool
}

// Web is a generated web. It is an http.Handler routing by Host header.
type Web struct {
	Businesses  []*Business
	Directories []*Directory
	opts        Options
	port        string

	byHost map[string]*Business
	dirs   map[string]*Directory

	mu     sync.Mutex
	hits   []Hit
	failed map[string]bool // host+path that already gave their one 5xx
	seq    int
}

// Generate builds a web of n businesses spread over the directories.
func Generate(o Options) *Web {
	if o.UserAgent == "" {
		o.UserAgent = "clientele/1.0"
	}
	if o.Slow <= 0 {
		o.Slow = 150 * time.Millisecond
	}
	if o.Businesses <= 0 {
		o.Businesses = 1000
	}
	r := rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15))
	w := &Web{opts: o, byHost: map[string]*Business{}, dirs: map[string]*Directory{}, failed: map[string]bool{}}
	w.Directories = newDirectories()
	for _, d := range w.Directories {
		w.dirs[d.Host] = d
	}
	names := map[string]bool{}
	for i := range o.Businesses {
		d := w.Directories[i%len(w.Directories)]
		b := newBusiness(r, i, d.Country, names)
		w.Businesses = append(w.Businesses, b)
		d.listed = append(d.listed, b)
		b.Dirs = append(b.Dirs, d.Host)
		if r.IntN(20) == 0 { // also listed by a second directory
			d2 := w.Directories[(i+1+r.IntN(len(w.Directories)-1))%len(w.Directories)]
			d2.listed = append(d2.listed, b)
			b.Dirs = append(b.Dirs, d2.Host)
		}
		if b.Host != "" {
			w.byHost[b.Host] = b
			w.byHost[b.Alias] = b
		}
	}
	for _, b := range w.Businesses {
		b.plan(r, w)
	}
	return w
}

// SetAddr tells the web the address it is served at (host:port of the listener), so
// its pages link to the right port.
func (w *Web) SetAddr(addr string) {
	_, w.port, _ = net.SplitHostPort(addr)
}

// URL is the address of path on host in this web.
func (w *Web) URL(host, path string) string { return "http://" + host + ":" + w.port + path }

// StartURLs are the first page of each directory.
func (w *Web) StartURLs() map[string]string {
	out := map[string]string{}
	for _, d := range w.Directories {
		out[d.Host] = w.URL(d.Host, d.firstPage())
	}
	return out
}

// Hits returns the requests received so far.
func (w *Web) Hits() []Hit {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]Hit(nil), w.hits...)
}

// ResetHits forgets the requests received so far.
func (w *Web) ResetHits() {
	w.mu.Lock()
	w.hits = nil
	w.mu.Unlock()
}

// ServeHTTP serves the page of the request's host and path.
func (w *Web) ServeHTTP(rw http.ResponseWriter, req *http.Request) {
	host := req.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.ToLower(host)
	target := req.URL.EscapedPath()
	if req.URL.RawQuery != "" {
		target += "?" + req.URL.RawQuery
	}
	robots := w.robotsOf(host)
	w.mu.Lock()
	w.hits = append(w.hits, Hit{Host: host, Path: target,
		Disallowed: req.URL.Path != "/robots.txt" && !robotsAllow(robots, w.opts.UserAgent, target)})
	w.seq++
	seq := w.seq
	w.mu.Unlock()
	if req.URL.Path == "/robots.txt" {
		if robots == "" {
			http.NotFound(rw, req)
			return
		}
		rw.Header().Set("Content-Type", "text/plain")
		fmt.Fprint(rw, robots)
		return
	}
	if d := w.dirs[host]; d != nil {
		w.serveDirectory(rw, req, d, seq)
		return
	}
	if b := w.byHost[host]; b != nil {
		w.serveSite(rw, req, b, host)
		return
	}
	http.NotFound(rw, req)
}

// failOnce answers 5xx the first time key is asked for and reports whether it did.
func (w *Web) failOnce(rw http.ResponseWriter, key string) bool {
	w.mu.Lock()
	done := w.failed[key]
	w.failed[key] = true
	w.mu.Unlock()
	if done {
		return false
	}
	http.Error(rw, "temporarily unavailable", http.StatusServiceUnavailable)
	return true
}

func (w *Web) robotsOf(host string) string {
	if d := w.dirs[host]; d != nil {
		return d.robots
	}
	if b := w.byHost[host]; b != nil && b.site != nil {
		return b.site.robots
	}
	return ""
}

func writeHTML(rw http.ResponseWriter, body string) {
	rw.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprint(rw, body)
}
