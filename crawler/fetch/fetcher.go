package fetch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gocolly/colly/v2"
	"golang.org/x/net/html/charset"
	"golang.org/x/net/http/httpproxy"
)

// Options configure a Fetcher.
type Options struct {
	UserAgent    string
	AllowPrivate bool
	HostDelay    time.Duration
	RandomDelay  time.Duration
	// Timeout bounds one request, redirects and body included; default 20s.
	Timeout time.Duration
	// MaxBody bounds a response body after decoding; default DefaultMaxBody (4 MiB).
	// Longer bodies are cut.
	MaxBody int
	// MaxRedirects bounds the redirects followed for one request; default 5.
	MaxRedirects int
	// Retries is how many times Get tries again after a 5xx or 429 answer or a timeout;
	// default 0, none. A caller with a scheduler of its own (the crawl) leaves it at 0 and
	// retries there, so no worker sleeps through the pause.
	Retries int
	// Backoff is Get's pause before its first retry, doubled for each next one; default 1s.
	Backoff time.Duration
	// Lookup resolves host names; nil uses the system resolver.
	Lookup LookupFunc
	// Base replaces the network transport (tests); the Dialer's safety checks then
	// apply only if Base uses them.
	Base http.RoundTripper
	// OnRequest is told of every request sent to the network.
	OnRequest func(*http.Request)
}

// Page is one fetched page.
type Page struct {
	URL         *url.URL // after redirects
	Status      int
	ContentType string
	Body        []byte // UTF-8
	Load        time.Duration
}

// IsHTML reports whether the page is an HTML document.
func (p *Page) IsHTML() bool {
	ct := strings.ToLower(p.ContentType)
	return ct == "" || strings.Contains(ct, "html") || strings.Contains(ct, "xml") && bytes.Contains(p.Body[:min(len(p.Body), 512)], []byte("<html"))
}

// HTTPError is a response outside 2xx.
type HTTPError struct {
	URL    string
	Status int
}

func (e *HTTPError) Error() string { return fmt.Sprintf("fetch: %s: status %d", e.URL, e.Status) }

// Fetcher fetches pages through a colly collector (robots.txt honoured, the configured
// User-Agent, body and redirect limits) over the crawler's Transport.
type Fetcher struct {
	c         *colly.Collector
	transport *Transport
	opts      Options
}

// New builds a fetcher whose requests end when ctx does.
func New(ctx context.Context, o Options) *Fetcher {
	if o.Timeout <= 0 {
		o.Timeout = 20 * time.Second
	}
	if o.MaxBody <= 0 {
		o.MaxBody = DefaultMaxBody
	}
	if o.MaxRedirects <= 0 {
		o.MaxRedirects = 5
	}
	if o.Retries < 0 {
		o.Retries = 0
	}
	if o.Backoff <= 0 {
		o.Backoff = time.Second
	}
	proxyCfg := httpproxy.FromEnvironment()
	proxyFunc := func(r *http.Request) (*url.URL, error) { return proxyCfg.ProxyFunc()(r.URL) }
	proxies := proxyAddrs(proxyCfg)
	base := o.Base
	if base == nil {
		d := &Dialer{AllowPrivate: o.AllowPrivate, Lookup: o.Lookup, Timeout: 10 * time.Second, Direct: proxies}
		base = &http.Transport{
			Proxy:                 proxyFunc,
			DialContext:           d.DialContext,
			MaxIdleConnsPerHost:   4,
			IdleConnTimeout:       30 * time.Second,
			TLSHandshakeTimeout:   10 * time.Second,
			ResponseHeaderTimeout: o.Timeout,
			ForceAttemptHTTP2:     true,
		}
	}
	t := &Transport{
		Base: base, Gate: NewGate(o.HostDelay, o.RandomDelay), UserAgent: o.UserAgent,
		AllowPrivate: o.AllowPrivate, Proxy: proxyFunc, Proxies: proxies, OnRequest: o.OnRequest,
		MaxBody: int64(o.MaxBody),
	}
	c := colly.NewCollector(colly.UserAgent(o.UserAgent), colly.MaxBodySize(o.MaxBody), colly.AllowURLRevisit())
	c.IgnoreRobotsTxt = false
	c.Context = ctx
	c.WithTransport(t)
	c.SetRequestTimeout(o.Timeout)
	c.SetRedirectHandler(func(req *http.Request, via []*http.Request) error {
		if len(via) >= o.MaxRedirects {
			return fmt.Errorf("fetch: more than %d redirects", o.MaxRedirects)
		}
		return nil
	})
	c.OnResponse(func(r *colly.Response) {
		if h, ok := r.Ctx.GetAny("result").(*result); ok {
			h.resp = r
		}
	})
	c.OnError(func(r *colly.Response, err error) {
		if h, ok := r.Ctx.GetAny("result").(*result); ok {
			h.resp, h.err = r, err
		}
	})
	return &Fetcher{c: c, transport: t, opts: o}
}

// proxyAddrs are the canonical addresses of the configured proxies, read the way
// httpproxy reads them (a bare host:port means http://host:port).
func proxyAddrs(cfg *httpproxy.Config) map[string]bool {
	out := map[string]bool{}
	for _, p := range []string{cfg.HTTPProxy, cfg.HTTPSProxy} {
		if p == "" {
			continue
		}
		pu, err := url.Parse(p)
		if err != nil || pu.Scheme == "" || pu.Host == "" {
			if pu, err = url.Parse("http://" + p); err != nil {
				continue
			}
		}
		if pu.Host != "" {
			out[canonicalAddr(pu.Hostname(), portOf(pu))] = true
		}
	}
	return out
}

type result struct {
	resp *colly.Response
	err  error
}

// Gate returns the per-host gate, for schedulers that prefer free hosts.
func (f *Fetcher) Gate() *Gate { return f.transport.Gate }

// Allowed reports whether robots.txt lets the crawler fetch u.
func (f *Fetcher) Allowed(ctx context.Context, u *url.URL) bool { return f.transport.Allowed(ctx, u) }

// Get fetches a page, retrying up to Options.Retries times what Retryable accepts. A
// robots.txt refusal is reported with ErrRobotsDisallowed and never retried.
func (f *Fetcher) Get(ctx context.Context, rawURL string) (*Page, error) {
	var lastErr error
	for attempt := 0; attempt <= f.opts.Retries; attempt++ {
		if attempt > 0 {
			t := time.NewTimer(f.opts.Backoff << (attempt - 1))
			select {
			case <-t.C:
			case <-ctx.Done():
				t.Stop()
				return nil, ctx.Err()
			}
		}
		p, err := f.once(rawURL)
		if err == nil {
			return p, nil
		}
		lastErr = err
		if ctx.Err() != nil || !Retryable(err) {
			break
		}
	}
	return nil, lastErr
}

func (f *Fetcher) once(rawURL string) (*Page, error) {
	h := &result{}
	cctx := colly.NewContext()
	cctx.Put("result", h)
	err := f.c.Request(http.MethodGet, rawURL, nil, cctx, nil)
	if errors.Is(err, colly.ErrRobotsTxtBlocked) || errors.Is(err, ErrRobotsDisallowed) {
		return nil, fmt.Errorf("fetch: %s: %w", rawURL, ErrRobotsDisallowed)
	}
	if h.resp != nil && h.resp.StatusCode != 0 && (h.resp.StatusCode < 200 || h.resp.StatusCode >= 300) {
		return nil, &HTTPError{URL: rawURL, Status: h.resp.StatusCode}
	}
	if err == nil {
		err = h.err
	}
	if err != nil {
		return nil, fmt.Errorf("fetch: get %s: %w", rawURL, err)
	}
	if h.resp == nil {
		return nil, fmt.Errorf("fetch: get %s: no response", rawURL)
	}
	r := h.resp
	p := &Page{URL: r.Request.URL, Status: r.StatusCode, Body: r.Body}
	if r.Headers != nil {
		p.ContentType = r.Headers.Get("Content-Type")
		p.Load, _ = time.ParseDuration(r.Headers.Get(loadTimeHeader))
		r.Headers.Del(loadTimeHeader)
	}
	p.Body = toUTF8(p.Body, p.ContentType)
	return p, nil
}

// Retryable reports a failure worth another try: a 5xx or 429 answer or a timeout; never
// a refused address or a robots.txt refusal.
func Retryable(err error) bool {
	var he *HTTPError
	if errors.As(err, &he) {
		return he.Status >= 500 || he.Status == http.StatusTooManyRequests
	}
	if errors.Is(err, ErrRefusedAddress) || errors.Is(err, ErrRobotsDisallowed) {
		return false
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout() || errors.Is(err, context.DeadlineExceeded)
}

// toUTF8 decodes a body that colly left undecoded (no charset in Content-Type): by a
// BOM or <meta charset>, else Windows-1252 for bytes that are not valid UTF-8.
func toUTF8(body []byte, contentType string) []byte {
	if utf8.Valid(body) {
		return body
	}
	e, _, _ := charset.DetermineEncoding(body, "text/html")
	out, err := e.NewDecoder().Bytes(body)
	if err != nil {
		return body
	}
	return out
}
