package crawler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/clientele/clientele/config"
	"github.com/clientele/clientele/crawler/emails"
	"github.com/clientele/clientele/crawler/extract"
	"github.com/clientele/clientele/crawler/fetch"
	"github.com/clientele/clientele/lead"
)

// flushEvery bounds how many stored results wait in memory before a write.
const flushEvery = 200

// run is the state of one source's crawl.
type run struct {
	c        *Crawler
	ctx      context.Context // the crawl's; ends it
	src      config.Source
	log      *slog.Logger
	fetcher  *fetch.Fetcher
	sched    *scheduler
	verifier *emails.Verifier
	sum      *Summary
	started  time.Time // this crawl's start; on resume the interrupted crawl's
	resumed  bool
	try      *tryReport // set by Try: record what the page gives, fetch and store nothing more

	mu      sync.Mutex
	queued  map[string]bool // URLs given a task in this crawl
	keys    map[string]bool // identities of businesses seen: emails, domains, name+phone, detail URLs
	sites   map[string]bool // registrable domains of websites queued
	dmu     sync.RWMutex
	dirDoms map[string]bool // hosts and registrable domains of the directory itself (dmu)
	pages   int             // directory pages taken (max_pages)
	texts   map[uint64]bool // fingerprints of directory pages' text (trap detection)
	shapes  map[string]*shapeStat

	wmu     sync.Mutex
	leads   []*lead.Lead
	visited []string
	front   []string
	fmu     sync.Mutex    // serialises flushes
	kick    chan struct{} // asks the writer to flush
	werr    error         // the writer's first error
}

// writer flushes results in the background so workers never wait for the disk. It
// returns when kick is closed.
func (r *run) writer() {
	for range r.kick {
		if err := r.flush(); err != nil {
			r.wmu.Lock()
			if r.werr == nil {
				r.werr = err
			}
			r.wmu.Unlock()
			r.log.Error("store crawl results", "error", err)
		}
	}
}

func (c *Crawler) newRun(ctx context.Context, src config.Source, fetcher *fetch.Fetcher, sched *scheduler, verifier *emails.Verifier) (*run, error) {
	sum := &Summary{}
	r := &run{
		c: c, ctx: ctx, src: src, log: c.log.With("source", src.Name), verifier: verifier, sum: sum,
		fetcher: fetcher, sched: sched,
		kick:   make(chan struct{}, 1),
		queued: map[string]bool{}, keys: map[string]bool{}, sites: map[string]bool{}, dirDoms: map[string]bool{},
	}
	if r.src.MaxPages <= 0 {
		r.src.MaxPages = config.DefaultMaxPages
	}
	for _, s := range src.StartURLs {
		if u, err := url.Parse(s); err == nil && u.Hostname() != "" {
			r.addDirectoryHost(u.Hostname())
		}
	}
	cursor := "crawl/" + src.Name + "/started"
	n, err := c.store.FrontierLen(src.Name)
	if err != nil {
		return nil, fmt.Errorf("crawler: frontier of %s: %w", src.Name, err)
	}
	if n > 0 {
		if v, ok, err := c.store.Cursor(cursor); err == nil && ok {
			if t, err := time.Parse(time.RFC3339Nano, string(v)); err == nil {
				r.started, r.resumed = t, true
			}
		}
	}
	if !r.resumed {
		r.started = c.o.now()
		if err := c.store.ClearFrontier(src.Name); err != nil {
			return nil, fmt.Errorf("crawler: clear frontier of %s: %w", src.Name, err)
		}
		if err := c.store.SetCursor(cursor, []byte(r.started.Format(time.RFC3339Nano))); err != nil {
			return nil, fmt.Errorf("crawler: record start of %s: %w", src.Name, err)
		}
		for _, s := range src.StartURLs {
			r.enqueue(&task{kind: kindListing, url: s})
		}
		return r, r.flushFrontier()
	}
	sum.Resumed = true
	entries, err := c.store.PopFrontier(src.Name, n+1)
	if err != nil {
		return nil, fmt.Errorf("crawler: read frontier of %s: %w", src.Name, err)
	}
	// Put them back at once: the frontier stays the record of this crawl until it ends.
	if err := c.store.PushFrontier(src.Name, entries...); err != nil {
		return nil, fmt.Errorf("crawler: restore frontier of %s: %w", src.Name, err)
	}
	for _, e := range entries {
		t, ok := decodeTask(e)
		if !ok {
			continue
		}
		r.queued[t.url] = true
		if t.kind == kindListing || t.kind == kindDetail {
			r.pages++
		}
		if at, ok, _ := c.store.VisitedAt(t.url); ok && !at.Before(r.started) {
			continue // done before the interruption
		}
		if t.kind == kindSite && t.lead != nil {
			r.sites[lead.WebsiteKey(t.lead.Website)] = true
		}
		t.r = r
		r.sched.push(t)
		c.o.progress.Queued.Add(1)
	}
	r.log.Info("resuming interrupted crawl", "queued", r.sched.lenOf(r))
	return r, nil
}

// enqueue queues a task unless its URL already has one in this crawl; persistent kinds
// are recorded for the frontier. It reports whether the task was queued.
func (r *run) enqueue(t *task) bool {
	if r.try != nil {
		r.mu.Lock()
		seen := r.queued[t.url]
		r.queued[t.url] = true
		r.mu.Unlock()
		if !seen {
			r.try.follow(t)
		}
		return false
	}
	t.r = r
	r.mu.Lock()
	if r.queued[t.url] {
		r.mu.Unlock()
		return false
	}
	r.queued[t.url] = true
	r.mu.Unlock()
	if t.kind == kindListing || t.kind == kindDetail {
		// Pages robots.txt forbids are dropped here, so they take no place in max_pages.
		if u, err := url.Parse(t.url); err != nil || !r.fetcher.Allowed(r.ctx, u) {
			r.mu.Lock()
			r.sum.RobotsBlocked++
			r.mu.Unlock()
			return false
		}
		r.mu.Lock()
		full := r.pages >= r.src.MaxPages
		if !full {
			r.pages++
		}
		r.mu.Unlock()
		if full {
			return false
		}
	}
	if t.kind != kindSitePage {
		r.wmu.Lock()
		r.front = append(r.front, t.encode())
		r.wmu.Unlock()
	}
	r.sched.push(t)
	r.c.o.progress.Queued.Add(1)
	return true
}

// handle runs one task; its follow-up tasks are queued before it returns.
func (r *run) handle(ctx context.Context, t *task) {
	r.c.o.progress.Queued.Add(-1)
	switch t.kind {
	case kindListing, kindDetail:
		r.directoryPage(ctx, t)
	case kindSite:
		r.siteHome(ctx, t)
	case kindSitePage:
		r.sitePage(ctx, t)
	}
	if r.c.o.onChange != nil {
		r.c.o.onChange(r.c.o.progress.Snapshot())
	}
}

// maxRetries bounds the retries of one page after 5xx answers and timeouts.
const maxRetries = 2

// get fetches a task's page, counting it and its failure. A 5xx answer or a timeout puts
// the task back in the scheduler after a pause that doubles with each try (at most
// maxRetries), so no worker sleeps meanwhile; retried then reports true and the caller
// leaves the task alone.
func (r *run) get(ctx context.Context, t *task) (p *fetch.Page, ok, retried bool) {
	raw := t.url
	p, err := r.fetcher.Get(ctx, raw)
	if err != nil {
		if ctx.Err() != nil {
			return nil, false, false
		}
		if fetch.Retryable(err) && t.tries < maxRetries {
			d := r.c.o.backoff << t.tries
			t.tries++
			r.log.Debug("retrying page", "url", raw, "in", d, "error", err)
			r.c.o.progress.Queued.Add(1)
			r.sched.later(t, d)
			return nil, false, true
		}
		if errors.Is(err, fetch.ErrRobotsDisallowed) {
			r.mu.Lock()
			r.sum.RobotsBlocked++
			r.mu.Unlock()
			r.log.Debug("robots.txt disallows page", "url", raw)
			return nil, false, false
		}
		r.c.o.progress.Errors.Add(1)
		r.mu.Lock()
		r.sum.Errors++
		r.mu.Unlock()
		r.log.Warn("fetch failed", "url", raw, "error", err)
		return nil, false, false
	}
	r.c.o.progress.Pages.Add(1)
	r.mu.Lock()
	r.sum.Pages++
	r.mu.Unlock()
	return p, true, false
}

// store queues a lead and the page visits that produced it for the next write.
func (r *run) store(l *lead.Lead, visited ...string) {
	if r.try != nil {
		return
	}
	r.wmu.Lock()
	if l != nil {
		r.leads = append(r.leads, l)
	}
	r.visited = append(r.visited, visited...)
	n := len(r.leads) + len(r.visited)
	r.wmu.Unlock()
	if n >= flushEvery {
		select {
		case r.kick <- struct{}{}:
		default: // a flush is already due
		}
	}
}

// flushFrontier writes the queued tasks to the store's frontier.
func (r *run) flushFrontier() error {
	r.wmu.Lock()
	front := r.front
	r.front = nil
	r.wmu.Unlock()
	if len(front) == 0 {
		return nil
	}
	if err := r.c.store.PushFrontier(r.src.Name, front...); err != nil {
		return fmt.Errorf("crawler: save frontier of %s: %w", r.src.Name, err)
	}
	return nil
}

// flush writes pending results: frontier first (so nothing found is lost), then the
// leads, then the visits (so a visit is recorded only once its lead is stored).
func (r *run) flush() error {
	r.fmu.Lock()
	defer r.fmu.Unlock()
	if err := r.flushFrontier(); err != nil {
		return err
	}
	r.wmu.Lock()
	leads, visited := r.leads, r.visited
	r.leads, r.visited = nil, nil
	r.wmu.Unlock()
	if len(leads) > 0 {
		res, err := r.c.store.UpsertLeads(leads)
		if err != nil {
			return fmt.Errorf("crawler: store %d leads: %w", len(leads), err)
		}
		r.mu.Lock()
		r.sum.LeadsCreated += res.Created
		r.sum.LeadsMerged += res.Merged
		r.mu.Unlock()
	}
	if err := markVisited(r.c.store, visited, r.c.o.now()); err != nil {
		return fmt.Errorf("crawler: mark %d pages visited: %w", len(visited), err)
	}
	return nil
}

// isDirectory reports whether a host belongs to the directory being crawled: the hosts
// and registrable domains of its start URLs and of every page of it read so far.
func (r *run) isDirectory(host string) bool {
	if host == "" {
		return false
	}
	d := lead.RegistrableDomain(host)
	r.dmu.RLock()
	defer r.dmu.RUnlock()
	return r.dirDoms[strings.ToLower(host)] || d != "" && r.dirDoms[d]
}

// addDirectoryHost records a host the directory's pages come from (a start URL's
// redirect may lead to another of its domains).
func (r *run) addDirectoryHost(host string) {
	host = strings.ToLower(host)
	d := lead.RegistrableDomain(host)
	r.dmu.Lock()
	defer r.dmu.Unlock()
	r.dirDoms[host] = true
	if d != "" {
		r.dirDoms[d] = true
	}
}

// seen records a business's identities and reports whether any was known already; count
// adds a new one to the crawl's figures. A business with a name is known by that name
// together with something only it has (phone, email, website domain, its page on the
// directory), so two businesses whose names differ are never taken for one because they
// share a URL, a shared page or their directory.
func (r *run) seen(l *lead.Lead, detailURL string, count bool) bool {
	var ks []string
	name := extract.NameKey(l.Name)
	domain := ""
	if l.Website != "" && !r.isDirectory(hostOf(l.Website)) && !lead.SharedHost(l.Website) {
		domain = lead.WebsiteKey(l.Website)
	}
	prefix := "n:" + name + "|"
	if name == "" {
		prefix = "-|"
	}
	for _, e := range l.Emails {
		ks = append(ks, prefix+"e:"+e)
	}
	if domain != "" {
		ks = append(ks, prefix+"d:"+domain)
	}
	if p := digits(l.Phone); p != "" && name != "" {
		ks = append(ks, prefix+"p:"+p)
	}
	if detailURL != "" {
		ks = append(ks, prefix+"u:"+detailURL)
	}
	if len(ks) == 0 && name != "" {
		ks = append(ks, prefix+"a:"+strings.ToLower(l.Address))
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	known := false
	for _, k := range ks {
		if r.keys[k] {
			known = true
		}
		r.keys[k] = true
	}
	if !known && count {
		r.sum.Businesses++
		r.c.o.progress.Businesses.Add(1)
	}
	return known
}

func digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}
