package demo

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// siteFiles holds the sample directory and every business's website, one folder per host
// name: site/<host>/<path>/index.html, plus robots.txt where a site has one.
//
//go:embed site
var siteFiles embed.FS

// sites serves every sample website from one loopback listener, choosing the site by the
// request's Host, and remembers what was asked for.
type sites struct {
	ln  net.Listener
	srv *http.Server
	wg  sync.WaitGroup

	mu       sync.Mutex
	requests []string // "host/path" in arrival order
}

// startSites listens on 127.0.0.1:0 and serves the embedded sites.
func startSites(ctx context.Context) (*sites, error) {
	root, err := fs.Sub(siteFiles, "site")
	if err != nil {
		return nil, fmt.Errorf("demo: sample sites: %w", err)
	}
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("demo: listen for the sample sites: %w", err)
	}
	s := &sites{ln: ln}
	s.srv = &http.Server{Handler: s.handler(root), ReadHeaderTimeout: 5 * time.Second}
	// Serve returns ErrServerClosed on Close; any other failure shows up as the crawl's
	// fetch errors, which the narrative reports.
	s.wg.Go(func() { _ = s.srv.Serve(ln) })
	return s, nil
}

// handler picks the host's folder and serves files from it; unknown hosts get 404.
func (s *sites) handler(root fs.FS) http.Handler {
	servers := map[string]http.Handler{}
	entries, _ := fs.ReadDir(root, ".")
	for _, e := range entries {
		if e.IsDir() {
			sub, _ := fs.Sub(root, e.Name())
			servers[e.Name()] = http.FileServerFS(sub)
		}
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host := strings.ToLower(r.Host)
		if h, _, err := net.SplitHostPort(host); err == nil {
			host = h
		}
		s.mu.Lock()
		s.requests = append(s.requests, host+r.URL.Path)
		s.mu.Unlock()
		h, ok := servers[host]
		if !ok {
			http.NotFound(w, r)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// Addr is the listener's address.
func (s *sites) Addr() string { return s.ln.Addr().String() }

// Requested returns every "host/path" fetched so far.
func (s *sites) Requested() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.requests...)
}

// Transport sends every request, whatever its host, to the sample sites' listener: the
// demo's host names look real but never reach DNS, a proxy or the internet.
func (s *sites) Transport() *http.Transport {
	addr := s.Addr()
	d := &net.Dialer{Timeout: 5 * time.Second}
	return &http.Transport{
		Proxy: nil,
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return d.DialContext(ctx, network, addr)
		},
		MaxIdleConnsPerHost: 4,
		IdleConnTimeout:     10 * time.Second,
	}
}

// Close stops serving and waits for the server to end.
func (s *sites) Close(ctx context.Context) error {
	err := s.srv.Shutdown(ctx)
	s.wg.Wait()
	return err
}
