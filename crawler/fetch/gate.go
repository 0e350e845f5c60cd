package fetch

import (
	"context"
	"math/rand/v2"
	"sync"
	"time"
)

// Gate paces requests to each host: one request at a time per host, and between the end
// of one and the start of the next at least the host delay plus a uniform random extra,
// or the host's robots.txt Crawl-delay when that is longer. Hosts do not wait for each
// other; colly's LimitRule, which throttles a whole domain glob, cannot express this.
type Gate struct {
	delay, jitter time.Duration

	mu    sync.Mutex
	hosts map[string]*hostGate
}

type hostGate struct {
	tok        chan struct{}
	next       time.Time
	crawlDelay time.Duration
}

// NewGate returns a gate with the configured host delay and random extra.
func NewGate(delay, jitter time.Duration) *Gate {
	return &Gate{delay: delay, jitter: jitter, hosts: map[string]*hostGate{}}
}

func (g *Gate) host(h string) *hostGate {
	g.mu.Lock()
	defer g.mu.Unlock()
	hg := g.hosts[h]
	if hg == nil {
		hg = &hostGate{tok: make(chan struct{}, 1)}
		g.hosts[h] = hg
	}
	return hg
}

// Acquire waits until host may be sent a request and returns the function that ends
// the request and starts the host's pause. Without any delay configured or asked for
// by robots.txt, requests to one host are not serialised.
func (g *Gate) Acquire(ctx context.Context, host string) (release func(), err error) {
	hg := g.host(host)
	g.mu.Lock()
	paced := g.delay > 0 || g.jitter > 0 || hg.crawlDelay > 0
	g.mu.Unlock()
	if !paced {
		return func() {}, nil
	}
	select {
	case hg.tok <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	g.mu.Lock()
	wait := time.Until(hg.next)
	g.mu.Unlock()
	if wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			<-hg.tok
			return nil, ctx.Err()
		}
	}
	return func() { g.release(hg) }, nil
}

// release ends a paced request and starts the host's pause.
func (g *Gate) release(hg *hostGate) {
	g.mu.Lock()
	d := g.delay
	if g.jitter > 0 {
		d += rand.N(g.jitter + 1)
	}
	d = max(d, hg.crawlDelay)
	hg.next = time.Now().Add(d)
	g.mu.Unlock()
	<-hg.tok
}

// SetCrawlDelay records a host's robots.txt Crawl-delay.
func (g *Gate) SetCrawlDelay(host string, d time.Duration) {
	hg := g.host(host)
	g.mu.Lock()
	hg.crawlDelay = d
	g.mu.Unlock()
}

// ReadyAt reports when host may next be sent a request and whether one is in flight, so a
// scheduler can pick work for a host that is free instead of waiting.
func (g *Gate) ReadyAt(host string) (at time.Time, busy bool) {
	hg := g.host(host)
	g.mu.Lock()
	defer g.mu.Unlock()
	return hg.next, len(hg.tok) > 0
}
