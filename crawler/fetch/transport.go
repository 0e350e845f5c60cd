package fetch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/temoto/robotstxt"
)

// ErrRobotsDisallowed is returned for a request that the target's robots.txt forbids.
var ErrRobotsDisallowed = errors.New("fetch: disallowed by robots.txt")

// maxRobotsBytes bounds a robots.txt file (Google reads 500 KiB).
const maxRobotsBytes = 512 << 10

// Transport is the crawler's http.RoundTripper. For every request, redirects included,
// it checks robots.txt (fetched once per host and served from memory to colly's own
// check), refuses private targets by URL host when a proxy will connect for it, and
// passes through the host's Gate.
type Transport struct {
	Base         http.RoundTripper
	Gate         *Gate
	UserAgent    string
	AllowPrivate bool
	// Proxy tells which proxy a request goes through (nil: none).
	Proxy func(*http.Request) (*url.URL, error)
	// Proxies are the configured proxies' addresses (canonicalAddr). A target that is one
	// of them is refused: the proxy is trusted to connect for the crawler, and a page must
	// not make the crawler read the proxy's own pages (directly or through itself).
	Proxies map[string]bool
	// OnRequest, when set, is told of every request sent to the network (for counting).
	OnRequest func(*http.Request)
	// MaxBody bounds every response body after decoding; default DefaultMaxBody.
	MaxBody int64

	mu     sync.Mutex
	robots map[string]*robotsEntry
}

type robotsEntry struct {
	done   chan struct{}
	status int
	body   []byte
	data   *robotstxt.RobotsData
	rules  rules // the group for our User-Agent, read per RFC 9309
	err    error
}

// allows reports whether both readings of robots.txt let the crawler fetch path.
func (e *robotsEntry) allows(path, userAgent string) bool {
	return e.data.TestAgent(path, userAgent) && (e.status < 200 || e.status >= 300 || e.rules.allowed(path))
}

// RoundTrip implements http.RoundTripper.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := t.refused(req); err != nil {
		return nil, err
	}
	e := t.robotsFor(req.Context(), req.URL)
	if req.URL.Path == "/robots.txt" {
		if e.err != nil {
			return nil, e.err
		}
		return &http.Response{
			StatusCode: e.status, Status: http.StatusText(e.status), Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
			Header: http.Header{"Content-Type": {"text/plain"}}, Body: io.NopCloser(bytes.NewReader(e.body)),
			ContentLength: int64(len(e.body)), Request: req,
		}, nil
	}
	if e.err != nil {
		return nil, fmt.Errorf("fetch: robots.txt of %s: %w", req.URL.Host, e.err)
	}
	p := req.URL.EscapedPath()
	if req.URL.RawQuery != "" {
		p += "?" + req.URL.RawQuery
	}
	if !e.allows(p, t.UserAgent) {
		return nil, fmt.Errorf("%w: %s", ErrRobotsDisallowed, req.URL)
	}
	return t.send(req)
}

// refused checks a request's target before anything is sent: never one of the proxies,
// and, when a proxy will connect for the crawler, never a host that names a private or
// local target by itself (the Dialer judges resolved addresses when the crawler connects).
func (t *Transport) refused(req *http.Request) error {
	u := req.URL
	if t.Proxies[canonicalAddr(u.Hostname(), portOf(u))] {
		return fmt.Errorf("%w: %s is the proxy", ErrRefusedAddress, u.Host)
	}
	if !t.AllowPrivate && t.Proxy != nil {
		if p, _ := t.Proxy(req); p != nil && RefusedHost(u.Hostname()) {
			return fmt.Errorf("%w: %s", ErrRefusedAddress, u.Host)
		}
	}
	return nil
}

// portOf is a URL's port, or its scheme's default.
func portOf(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
		return "443"
	case "socks5", "socks5h":
		return "1080"
	}
	return "80"
}

// send passes one request through the host's gate to the network.
func (t *Transport) send(req *http.Request) (*http.Response, error) {
	host := req.URL.Host
	release, err := t.Gate.Acquire(req.Context(), host)
	if err != nil {
		return nil, err
	}
	defer release()
	if t.OnRequest != nil {
		t.OnRequest(req)
	}
	start := time.Now()
	resp, err := t.Base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	if resp.Header == nil {
		resp.Header = http.Header{}
	}
	resp.Header.Set(loadTimeHeader, time.Since(start).String())
	limit := t.MaxBody
	if limit <= 0 {
		limit = DefaultMaxBody
	}
	boundBody(resp, limit)
	return resp, nil
}

// loadTimeHeader carries, from the transport to the fetcher, how long the server took to
// answer (to its headers: the time to first byte). It is measured here rather than with
// colly's TraceHTTP, whose shared trace is written by concurrent dials without a lock.
const loadTimeHeader = "X-Clientele-Load-Time"

// Allowed reports whether robots.txt lets the crawler fetch u, fetching robots.txt when
// it is not known yet. A scheduler uses it to drop work before queueing it. When
// robots.txt cannot be read it answers true: the request itself then fails with the
// reason, and is never sent.
func (t *Transport) Allowed(ctx context.Context, u *url.URL) bool {
	e := t.robotsFor(ctx, u)
	if e.err != nil {
		return true
	}
	p := u.EscapedPath()
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return e.allows(p, t.UserAgent)
}

func (t *Transport) robotsFor(ctx context.Context, u *url.URL) *robotsEntry {
	key := u.Scheme + "://" + u.Host
	t.mu.Lock()
	if t.robots == nil {
		t.robots = map[string]*robotsEntry{}
	}
	e, ok := t.robots[key]
	if !ok {
		e = &robotsEntry{done: make(chan struct{})}
		t.robots[key] = e
		t.mu.Unlock()
		t.loadRobots(ctx, u, e)
		if e.err != nil {
			// A failure is not remembered: the next request asks again (its retry may
			// meet a server that is back).
			t.mu.Lock()
			delete(t.robots, key)
			t.mu.Unlock()
		}
		close(e.done)
		return e
	}
	t.mu.Unlock()
	select {
	case <-e.done:
	case <-ctx.Done():
		return &robotsEntry{err: ctx.Err()}
	}
	return e
}

// loadRobots fetches robots.txt, following up to five redirects. A missing file (4xx)
// allows everything; a server error disallows everything, as Google does.
func (t *Transport) loadRobots(ctx context.Context, u *url.URL, e *robotsEntry) {
	target := &url.URL{Scheme: u.Scheme, Host: u.Host, Path: "/robots.txt"}
	for hop := 0; ; hop++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, target.String(), nil)
		if err != nil {
			e.err = err
			return
		}
		req.Header.Set("User-Agent", t.UserAgent)
		if err := t.refused(req); err != nil {
			e.err = err
			return
		}
		resp, err := t.send(req)
		if err != nil {
			e.err = err
			return
		}
		body, _ := io.ReadAll(io.LimitReader(resp.Body, maxRobotsBytes))
		resp.Body.Close()
		if loc := resp.Header.Get("Location"); resp.StatusCode >= 300 && resp.StatusCode < 400 && loc != "" && hop < 5 {
			next, err := target.Parse(loc)
			if err != nil {
				e.status, e.data = 404, allowAllRobots()
				return
			}
			target = next
			continue
		}
		e.status, e.body = resp.StatusCode, body
		e.data = parseRobots(resp.StatusCode, body)
		e.rules = parseRules(body, t.UserAgent)
		if g := e.data.FindGroup(t.UserAgent); g != nil && g.CrawlDelay > 0 {
			t.Gate.SetCrawlDelay(u.Host, min(g.CrawlDelay, 5*time.Minute))
		}
		return
	}
}

func allowAllRobots() *robotstxt.RobotsData {
	d, _ := robotstxt.FromStatusAndBytes(404, nil)
	return d
}

// parseRobots reads a robots.txt answer. A file the parser rejects is re-read keeping only
// directive lines; one it still rejects disallows everything, so a malformed file never
// opens paths its author closed.
func parseRobots(status int, body []byte) *robotstxt.RobotsData {
	if status >= 300 && status < 400 {
		return allowAllRobots()
	}
	d, err := robotstxt.FromStatusAndBytes(status, body)
	if err == nil && d != nil {
		return d
	}
	var keep []string
	for _, l := range strings.Split(string(body), "\n") {
		ll := strings.ToLower(strings.TrimSpace(l))
		for _, k := range []string{"user-agent:", "allow:", "disallow:", "crawl-delay:"} {
			if strings.HasPrefix(ll, k) {
				keep = append(keep, strings.TrimSpace(l))
			}
		}
	}
	if d, err = robotstxt.FromString(strings.Join(keep, "\n")); err == nil && d != nil {
		return d
	}
	d, _ = robotstxt.FromStatusAndBytes(503, nil)
	return d
}
