package app

import (
	"sync"
	"time"

	"github.com/clientele/clientele/outreach"
)

// How long the dashboard shows a summary that reads every lead or enrolment before it is
// read again in the background (pages never wait for such a read). The compliance
// counts read every lead (about a second at 100,000 leads, see BENCHMARKS.md) and sit on
// the overview, which reloads itself every minute: they are reused for five minutes. The
// per-variant statistics read every enrolment (a fifth of that) and are reused for one.
const (
	complianceTTL = 5 * time.Minute
	statsTTL      = time.Minute
)

// cached keeps the last value read, and reads it again in the background once it is older
// than ttl: no request ever waits for a read of everything, so a page costs what it shows
// at any size. Until the first read ends, it has no value (the page says the counts are
// being taken). A read that fails keeps the last good value; while there is none, its
// error is returned. Reads it starts are waited for by wait (Services.Close).
type cached[T any] struct {
	ttl     time.Duration
	mu      sync.Mutex
	at      time.Time // when val was read; zero: never
	val     T
	err     error
	reading bool
	closed  bool // no read starts after close
	wg      sync.WaitGroup
}

// get returns the value last read and when (zero time: none yet), starting a read in the
// background when that value is missing or older than ttl at now.
func (c *cached[T]) get(now time.Time, fill func() (T, error)) (T, time.Time, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	stale := c.at.IsZero() || now.Sub(c.at) >= c.ttl || now.Before(c.at)
	if stale && !c.reading && !c.closed {
		c.reading = true
		c.wg.Add(1)
		go func() {
			defer c.wg.Done()
			v, err := fill()
			c.mu.Lock()
			defer c.mu.Unlock()
			c.reading = false
			if c.err = err; err == nil {
				c.val, c.at = v, now
			}
		}()
	}
	if c.at.IsZero() {
		return c.val, c.at, c.err
	}
	return c.val, c.at, nil
}

// wait returns once no read started by get is running.
func (c *cached[T]) wait() { c.wg.Wait() }

// close stops get from starting reads and waits for the one running, if any.
func (c *cached[T]) close() {
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	c.wg.Wait()
}

// dashCache holds the Services' summaries the dashboard shows. It belongs to one Services
// (one config): a reload starts afresh.
type dashCache struct {
	compliance cached[ComplianceSummary]
	stats      cached[outreach.Stats]
}

// CachedCompliance is Compliance as last read, read again in the background at most once
// in complianceTTL, and when it was read (zero: not yet): what the overview shows.
func (s *Services) CachedCompliance() (ComplianceSummary, time.Time, error) {
	return s.cache.compliance.get(s.now(), s.Compliance)
}

// cachedStats is the engine's statistics as last read, read again in the background at
// most once in statsTTL, and when (zero: not yet), for the campaign page's variant counts.
func (s *Services) cachedStats() (outreach.Stats, time.Time, error) {
	return s.cache.stats.get(s.now(), s.Engine.StatsData)
}

// Close waits for the summaries being read in the background; the Services' owner calls it
// when it stops using them (shutdown, or a reload that replaced them).
func (s *Services) Close() {
	s.cache.compliance.close()
	s.cache.stats.close()
}

// waitSummaries returns once the summaries being read in the background are read, for
// tests that look at a page after the read a visit started.
func (s *Services) waitSummaries() {
	s.cache.compliance.wait()
	s.cache.stats.wait()
}
