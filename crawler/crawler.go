// Package crawler turns public business directories into leads: it walks each configured
// source (start URLs, pagination, detail pages, or same-host links without selectors),
// reads the businesses every page shows, visits each business's own website for its
// contact pages, finds and validates email addresses, and stores one lead per business
// through the Store interface it declares. It is polite (robots.txt with Crawl-delay, a
// pause per host, the configured User-Agent) and safe (no private network targets unless
// allowed), and resumable: its frontier lives in the store.
//
// Fetching lives in crawler/fetch, page reading in crawler/extract, addresses in
// crawler/emails. The package knows nothing of outreach, mail or the CLI.
package crawler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"sync"
	"time"

	"github.com/clientele/clientele/config"
	"github.com/clientele/clientele/crawler/emails"
	"github.com/clientele/clientele/crawler/fetch"
)

// Crawler runs crawls of the configured sources. Build it with New; Run may be called
// again for the next scheduled crawl.
type Crawler struct {
	cfg   config.Crawl
	store Store
	log   *slog.Logger
	o     options
}

type options struct {
	resolver  emails.Resolver
	now       func() time.Time
	transport http.RoundTripper
	lookup    fetch.LookupFunc
	progress  *Progress
	onChange  func(Snapshot)
	backoff   time.Duration
	timeout   time.Duration
}

// Option adjusts a Crawler.
type Option func(*options)

// WithResolver sets the DNS resolver used for MX checks (tests need no DNS).
func WithResolver(r emails.Resolver) Option { return func(o *options) { o.resolver = r } }

// WithNow sets the clock used for visit times and revisit decisions.
func WithNow(now func() time.Time) Option { return func(o *options) { o.now = now } }

// WithTransport replaces the network transport under the crawler's robots, pacing and
// proxy layer. The private-address refusal of the default dialer then does not apply.
func WithTransport(t http.RoundTripper) Option { return func(o *options) { o.transport = t } }

// WithLookup replaces host name resolution for connections (tests map many host names to
// one loopback server); the private-address refusal still applies to what it returns.
func WithLookup(f func(ctx context.Context, host string) ([]netip.Addr, error)) Option {
	return func(o *options) { o.lookup = f }
}

// WithProgress makes the crawler count into p and call onChange (may be nil) after every
// page, so a caller can draw a progress bar or log lines.
func WithProgress(p *Progress, onChange func(Snapshot)) Option {
	return func(o *options) { o.progress, o.onChange = p, onChange }
}

// WithRetryBackoff sets the pause before the first retry of a failed request (default
// 250ms, doubled for the second). Scrapy retries at once and colly not at all; a short
// pause keeps a 5xx on the way to the next listing page from stalling the crawl.
func WithRetryBackoff(d time.Duration) Option { return func(o *options) { o.backoff = d } }

// WithRequestTimeout bounds one request (default 20s).
func WithRequestTimeout(d time.Duration) Option { return func(o *options) { o.timeout = d } }

// New builds a crawler; it does no I/O.
func New(cfg config.Crawl, st Store, log *slog.Logger, opts ...Option) *Crawler {
	c := &Crawler{cfg: cfg, store: st, log: log}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	c.log = c.log.With("component", "crawler")
	for _, f := range opts {
		f(&c.o)
	}
	if c.o.now == nil {
		c.o.now = time.Now
	}
	if c.o.backoff <= 0 {
		c.o.backoff = 250 * time.Millisecond
	}
	if c.o.progress == nil {
		c.o.progress = &Progress{}
	}
	if c.cfg.Parallelism <= 0 {
		c.cfg.Parallelism = 8
	}
	if c.cfg.MaxSitePages < 0 {
		c.cfg.MaxSitePages = 0
	}
	if c.cfg.RevisitAfter <= 0 {
		c.cfg.RevisitAfter = config.Duration(30 * 24 * time.Hour)
	}
	if c.cfg.UserAgent == "" {
		c.cfg.UserAgent = "clientele/1"
	}
	return c
}

// ErrUnknownSource is returned by Run for a source name not in the config.
var ErrUnknownSource = errors.New("crawler: unknown source")

// Run crawls one source by name, or every source when name is "". It returns when the
// crawl is complete or ctx ends; an interrupted crawl is continued by the next Run.
func (c *Crawler) Run(ctx context.Context, name string) (Summary, error) {
	start := time.Now()
	var sum Summary
	var verifier *emails.Verifier
	if c.cfg.VerifyMX {
		verifier = emails.NewVerifier(c.o.resolver, 5*time.Second)
	}
	found := false
	for _, src := range c.cfg.Sources {
		if name != "" && src.Name != name {
			continue
		}
		found = true
		sum.Sources++
		if err := c.runSource(ctx, src, verifier, &sum); err != nil {
			sum.Duration = time.Since(start)
			return sum, err
		}
		if ctx.Err() != nil {
			break
		}
	}
	if !found && name != "" {
		return sum, fmt.Errorf("%w: %q", ErrUnknownSource, name)
	}
	sum.Duration = time.Since(start)
	return sum, ctx.Err()
}

func (c *Crawler) newFetcher(ctx context.Context, count func(*http.Request)) *fetch.Fetcher {
	return fetch.New(ctx, fetch.Options{
		UserAgent:    c.cfg.UserAgent,
		AllowPrivate: c.cfg.AllowPrivateNetworks,
		HostDelay:    c.cfg.HostDelay.D(),
		RandomDelay:  c.cfg.RandomDelay.D(),
		Retries:      0, // the run retries through its scheduler, so no worker sleeps
		Backoff:      c.o.backoff,
		Timeout:      c.o.timeout,
		Lookup:       c.o.lookup,
		Base:         c.o.transport,
		OnRequest:    count,
	})
}

// runSource crawls one source with a pool of workers over the scheduler.
func (c *Crawler) runSource(ctx context.Context, src config.Source, verifier *emails.Verifier, sum *Summary) error {
	r, err := c.newRun(ctx, src, verifier, sum)
	if err != nil {
		return err
	}
	writerDone := make(chan struct{})
	go func() { r.writer(); close(writerDone) }()
	var wg sync.WaitGroup
	for range c.cfg.Parallelism {
		wg.Go(func() {
			for {
				t, ok := r.sched.next(ctx)
				if !ok {
					return
				}
				r.handle(ctx, t)
				r.sched.done()
			}
		})
	}
	wg.Wait()
	close(r.kick)
	<-writerDone
	if err := r.flush(); err != nil {
		return err
	}
	if r.werr != nil {
		return r.werr
	}
	if ctx.Err() != nil {
		c.log.Info("crawl interrupted; the next run resumes it", "source", src.Name, "queued", r.sched.len())
		return nil
	}
	if err := c.store.ClearFrontier(src.Name); err != nil {
		return fmt.Errorf("crawler: clear frontier of %s: %w", src.Name, err)
	}
	c.log.Info("source crawled", "source", src.Name, "pages", sum.Pages, "businesses", sum.Businesses,
		"with_email", sum.WithEmail, "errors", sum.Errors)
	return nil
}
