// Package crawler turns public business directories into leads: it walks each configured
// source (start URLs, pagination, detail pages, or same-host links without selectors),
// reads the businesses every page shows, visits each business's own website for its
// contact pages, finds and validates email addresses, and stores one lead per business
// through the Store interface it declares: a lead is one business, never the directory
// itself, never merged with another because they share a URL (see identity.go), kept with
// or without an email, and it records the page it was listed on and the page its email
// came from. Sources are crawled side by side under one per-host gate. It is polite
// (robots.txt with Crawl-delay, a pause per host, the configured User-Agent) and safe (no
// private network targets unless allowed), and resumable: each source's frontier lives in
// the store. Try reads one page the same way and stores nothing.
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
	cfg    config.Crawl
	store  Store
	log    *slog.Logger
	o      options
	parses *parseGate // bounds the memory parsed pages hold, every source together
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
	c := &Crawler{cfg: cfg, store: st, log: log, parses: newParseGate()}
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
	// A config built in code may leave settings zero: they take config's defaults.
	if c.cfg.Parallelism <= 0 {
		c.cfg.Parallelism = config.DefaultParallelism
	}
	if c.cfg.MaxSitePages < 0 {
		c.cfg.MaxSitePages = 0
	}
	if c.cfg.RevisitAfter <= 0 {
		c.cfg.RevisitAfter = config.DefaultRevisitAfter
	}
	if c.cfg.UserAgent == "" {
		c.cfg.UserAgent = config.DefaultUserAgent
	}
	return c
}

// ErrUnknownSource is returned by Run for a source name not in the config.
var ErrUnknownSource = errors.New("crawler: unknown source")

// Run crawls one source by name, or every source when name is "". It returns when the
// crawl is complete or ctx ends; an interrupted crawl is continued by the next Run.
//
// Several sources are crawled side by side: one pool of `parallelism` workers and one
// per-host gate serve them all, so a host two sources share still sees host_delay between
// any two requests, and a crawl of several directories takes about as long as the longest.
// Each source keeps its own frontier, so each resumes on its own.
func (c *Crawler) Run(ctx context.Context, name string) (Summary, error) {
	start := time.Now()
	var sum Summary
	var verifier *emails.Verifier
	if c.cfg.VerifyMX {
		verifier = emails.NewVerifier(c.o.resolver, 5*time.Second)
	}
	var srcs []config.Source
	for _, src := range c.cfg.Sources {
		if name == "" || src.Name == name {
			srcs = append(srcs, src)
		}
	}
	if len(srcs) == 0 && name != "" {
		return sum, fmt.Errorf("%w: %q", ErrUnknownSource, name)
	}
	fetcher := c.newFetcher(ctx, func(*http.Request) {})
	sched := newScheduler(fetcher.Gate())
	var runs []*run
	var err error
	for _, src := range srcs {
		r, rerr := c.newRun(ctx, src, fetcher, sched, verifier)
		if rerr != nil {
			err = rerr
			break
		}
		runs = append(runs, r)
	}
	if err != nil {
		// A source could not start: nothing was crawled, and every source's frontier stays
		// as it was for the next run to resume.
		return sum, err
	}
	c.work(ctx, sched, runs)
	for _, r := range runs {
		if ferr := r.end(ctx); ferr != nil && err == nil {
			err = ferr
		}
		sum.add(r.sum)
	}
	sum.Sources = len(runs)
	sum.Duration = time.Since(start)
	if err != nil {
		return sum, err
	}
	return sum, ctx.Err()
}

// work runs the worker pool over the scheduler until every source's crawl is done or ctx
// ends; each run's writer stores its results meanwhile.
func (c *Crawler) work(ctx context.Context, sched *scheduler, runs []*run) {
	var writers sync.WaitGroup
	for _, r := range runs {
		writers.Go(r.writer)
	}
	var wg sync.WaitGroup
	for range c.cfg.Parallelism {
		wg.Go(func() {
			for {
				t, ok := sched.next(ctx)
				if !ok {
					return
				}
				t.r.handle(ctx, t)
				sched.done()
			}
		})
	}
	wg.Wait()
	for _, r := range runs {
		close(r.kick)
	}
	writers.Wait()
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

// end writes what one source's crawl left in memory and, when the crawl was complete,
// clears its frontier.
func (r *run) end(ctx context.Context) error {
	if err := r.flush(); err != nil {
		return err
	}
	if r.werr != nil {
		return r.werr
	}
	if ctx.Err() != nil {
		r.log.Info("crawl interrupted; the next run resumes it", "queued", r.sched.lenOf(r))
		return nil
	}
	if err := r.c.store.ClearFrontier(r.src.Name); err != nil {
		return fmt.Errorf("crawler: clear frontier of %s: %w", r.src.Name, err)
	}
	r.log.Info("source crawled", "pages", r.sum.Pages, "businesses", r.sum.Businesses,
		"with_email", r.sum.WithEmail, "errors", r.sum.Errors)
	return nil
}
