package crawler

import (
	"sync/atomic"
	"time"
)

// Progress counts what a crawl has done so far; the CLI draws a bar or logs lines from
// it. Its counters are safe to read while the crawl runs.
type Progress struct {
	Pages      atomic.Int64 // pages fetched (directory and business sites)
	Businesses atomic.Int64 // distinct businesses found
	Emails     atomic.Int64 // businesses stored with an address to write to
	Errors     atomic.Int64 // failed fetches
	Queued     atomic.Int64 // pages waiting
}

// Snapshot is a copy of the counters at one moment.
type Snapshot struct {
	Pages, Businesses, Emails, Errors, Queued int64
}

// Snapshot copies the counters.
func (p *Progress) Snapshot() Snapshot {
	return Snapshot{p.Pages.Load(), p.Businesses.Load(), p.Emails.Load(), p.Errors.Load(), p.Queued.Load()}
}

// Summary is what one Run did.
type Summary struct {
	Sources       int
	Pages         int64 // pages fetched
	Businesses    int64 // distinct businesses found
	WithEmail     int64 // of which with an address to write to
	LeadsCreated  int
	LeadsMerged   int
	Errors        int64 // failed fetches
	RobotsBlocked int64 // pages not fetched because robots.txt disallows them
	SkippedRecent int64 // business sites not refetched: seen within revisit_after
	Resumed       bool  // a previous, interrupted crawl was continued
	Duration      time.Duration
}

// add counts o's figures into s (the sources of one Run).
func (s *Summary) add(o *Summary) {
	s.Pages += o.Pages
	s.Businesses += o.Businesses
	s.WithEmail += o.WithEmail
	s.LeadsCreated += o.LeadsCreated
	s.LeadsMerged += o.LeadsMerged
	s.Errors += o.Errors
	s.RobotsBlocked += o.RobotsBlocked
	s.SkippedRecent += o.SkippedRecent
	s.Resumed = s.Resumed || o.Resumed
}
