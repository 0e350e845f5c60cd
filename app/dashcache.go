package app

import (
	"sync"
	"time"

	"github.com/clientele/clientele/outreach"
)

// How long the dashboard reuses a summary that reads every lead or enrolment, so a page
// costs what it shows and not what is stored, save for one read in a while. The compliance
// counts read every lead (about a second at 100,000 leads, see BENCHMARKS.md) and sit on
// the overview, which reloads itself every minute: they are reused for five minutes. The
// per-variant statistics read every enrolment (a fifth of that) and are reused for one.
const (
	complianceTTL = 5 * time.Minute
	statsTTL      = time.Minute
)

// cached keeps one value read at a time, for ttl. A read that fails is not kept, so the
// next request tries again.
type cached[T any] struct {
	ttl time.Duration
	mu  sync.Mutex
	at  time.Time
	ok  bool
	val T
}

// get returns the value read less than ttl before now, else reads it with fill, and
// when it was read. Requests that arrive while it is read wait for that read rather than
// start their own.
func (c *cached[T]) get(now time.Time, fill func() (T, error)) (T, time.Time, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ok && now.Sub(c.at) < c.ttl && !now.Before(c.at) {
		return c.val, c.at, nil
	}
	v, err := fill()
	if err != nil {
		return v, time.Time{}, err
	}
	c.val, c.at, c.ok = v, now, true
	return v, now, nil
}

// dashCache holds the Services' summaries the dashboard shows. It belongs to one Services
// (one config): a reload starts afresh.
type dashCache struct {
	compliance cached[ComplianceSummary]
	stats      cached[outreach.Stats]
}

// CachedCompliance is Compliance read at most once in complianceTTL, and when it was read:
// what the overview shows.
func (s *Services) CachedCompliance() (ComplianceSummary, time.Time, error) {
	return s.cache.compliance.get(s.now(), s.Compliance)
}

// cachedStats is the engine's statistics read at most once in statsTTL, and when they were
// read, for the campaign page's per-variant counts.
func (s *Services) cachedStats() (outreach.Stats, time.Time, error) {
	return s.cache.stats.get(s.now(), s.Engine.StatsData)
}
