package crawler

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// testWeb serves the directory and business sites under testdata/web, one folder per host
// name, all on one loopback server; the crawler reaches every name through WithLookup.
type testWeb struct {
	srv  *httptest.Server
	port string

	mu       sync.Mutex
	requests []hit
	failOnce map[string]bool
	robots   map[string]string
	extra    map[string]http.HandlerFunc // host+path → handler
}

type hit struct {
	host, path string
	at         time.Time
}

func newTestWeb(t *testing.T) *testWeb {
	w := &testWeb{
		failOnce: map[string]bool{"carla-canal.pt/": true},
		robots: map[string]string{
			"directory.com":    "User-agent: *\nDisallow: /private/\n",
			"bob-plumbing.com": "User-agent: *\nDisallow: /impressum\nCrawl-delay: 0\n",
		},
		extra: map[string]http.HandlerFunc{},
	}
	w.extra["directory.com/out"] = func(rw http.ResponseWriter, r *http.Request) {
		http.Redirect(rw, r, r.URL.Query().Get("u"), http.StatusFound)
	}
	w.extra["directory.com/redirect/4"] = func(rw http.ResponseWriter, r *http.Request) {
		http.Redirect(rw, r, "http://delta-heating.de:"+w.port+"/", http.StatusMovedPermanently)
	}
	w.extra["www.acme-plumbing.co.uk/"] = func(rw http.ResponseWriter, r *http.Request) {
		http.Redirect(rw, r, "http://acme-plumbing.co.uk:"+w.port+"/", http.StatusMovedPermanently)
	}
	// A calendar that never ends: every month links to the next.
	for m := 1; m <= 12; m++ {
		path := fmt.Sprintf("/kalender/2026-%02d", m)
		next := fmt.Sprintf("/kalender/2026-%02d", m+1)
		w.extra["verzeichnis.at"+path] = func(rw http.ResponseWriter, r *http.Request) {
			fmt.Fprintf(rw, `<html><body><h1>Termine</h1><a href="%s">Nächster Monat</a></body></html>`, next)
		}
	}
	for page := 1; page <= 3; page++ {
		w.extra[fmt.Sprintf("verzeichnis.at/liste/%d", page)] = func(rw http.ResponseWriter, r *http.Request) {
			fmt.Fprintf(rw, `<html><body><h1>Liste</h1><a href="/firma/%d">Firma %d</a> <a href="/firma/%d">Firma %d</a>`,
				2*page-1, 2*page-1, 2*page, 2*page)
			if page < 3 {
				fmt.Fprintf(rw, `<a href="/liste/%d">Weiter</a>`, page+1)
			}
			fmt.Fprint(rw, `</body></html>`)
		}
	}
	for i := 1; i <= 6; i++ {
		w.extra[fmt.Sprintf("verzeichnis.at/firma/%d", i)] = func(rw http.ResponseWriter, r *http.Request) {
			fmt.Fprintf(rw, `<html><body><h1>Firma %d</h1><div class="vcard"><span class="fn org">Firma %d</span> <a class="email" href="mailto:chef@firma%d.at">Mail</a></div><a href="/liste/1">Zur Liste</a></body></html>`, i, i, i)
		}
	}
	w.srv = httptest.NewServer(http.HandlerFunc(w.serve))
	t.Cleanup(w.srv.Close)
	_, w.port, _ = net.SplitHostPort(w.srv.Listener.Addr().String())
	return w
}

func (w *testWeb) serve(rw http.ResponseWriter, r *http.Request) {
	host, _, _ := net.SplitHostPort(r.Host)
	w.mu.Lock()
	w.requests = append(w.requests, hit{host, r.URL.Path, time.Now()})
	fail := w.failOnce[host+r.URL.Path]
	delete(w.failOnce, host+r.URL.Path)
	robots, hasRobots := w.robots[host]
	h := w.extra[host+r.URL.Path]
	w.mu.Unlock()
	switch {
	case fail:
		http.Error(rw, "try again", http.StatusServiceUnavailable)
	case r.URL.Path == "/robots.txt":
		if !hasRobots {
			http.NotFound(rw, r)
			return
		}
		rw.Write([]byte(robots))
	case h != nil:
		h(rw, r)
	default:
		name := strings.ReplaceAll(strings.Trim(r.URL.Path, "/"), "/", "_")
		if name == "" {
			name = "index"
		}
		b, err := os.ReadFile(filepath.Join("testdata", "web", host, name+".html"))
		if err != nil {
			http.NotFound(rw, r)
			return
		}
		ct := "text/html"
		if !strings.Contains(string(b[:min(len(b), 200)]), "windows-1252") {
			ct += "; charset=utf-8"
		}
		rw.Header().Set("Content-Type", ct)
		rw.Write([]byte(strings.NewReplacer(":PORT", ":"+w.port, "%3APORT", "%3A"+w.port).Replace(string(b))))
	}
}

// url returns the address of path on a host of the test web.
func (w *testWeb) url(host, path string) string { return "http://" + host + ":" + w.port + path }

// lookup maps every host name to the loopback server.
func (w *testWeb) lookup(context.Context, string) ([]netip.Addr, error) {
	return []netip.Addr{netip.MustParseAddr("127.0.0.1")}, nil
}

func (w *testWeb) hits() []hit {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]hit(nil), w.requests...)
}
