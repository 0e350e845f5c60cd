// Package app binds the parts of clientele (store, crawler, outreach engine, replies
// poller, scheduler, web server) into the operations people run: one crawl, one send pass,
// one replies poll, and the daemon that runs them on schedules.
//
// One-shot commands and scheduled jobs call the same Services methods, so a pass started by
// `clientele send` and one started by cron behave identically. It is wiring only: no rule of
// outreach, crawling or classification lives here.
package app

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/clientele/clientele/config"
	"github.com/clientele/clientele/crawler"
	"github.com/clientele/clientele/outreach"
	"github.com/clientele/clientele/replies"
	"github.com/clientele/clientele/store"
)

// Compile-time proof that the store offers what each part declares it needs.
var (
	_ crawler.Store  = (*store.DB)(nil)
	_ outreach.Store = (*store.DB)(nil)
	_ replies.Store  = (*store.DB)(nil)
)

// Locks serialise each kind of pass across every Services of one process and database, so
// a pass started by a command waits for the scheduled one (and a config reload, which
// builds new Services and a new engine, cannot start a second one beside it).
type Locks struct {
	crawl, poll sync.Mutex
	// outreach is the database's lock every engine takes for send passes, settling steps
	// of unknown outcome and lifting pauses.
	outreach outreach.Locks
}

// Services are the operations of one config over one open database.
type Services struct {
	Config *config.Config
	DB     *store.DB
	Engine *outreach.Engine

	log   *slog.Logger
	now   func() time.Time
	locks *Locks
	// Metrics, when set, is told what each pass did.
	metrics *Metrics
	// crawlOpts are added to every crawl, before the caller's own.
	crawlOpts []crawler.Option
	// cache keeps the dashboard's summaries that read everything (dashcache.go).
	cache dashCache
}

// Option adjusts how Services reach the outside world, for a caller that stands in for it
// (the demo serves its sample directory on loopback). The daemon and the commands use none.
type Option func(*Services)

// WithCrawlerOptions adds crawler options (a transport, timeouts) to every crawl the
// Services run, scheduled or not.
func WithCrawlerOptions(opts ...crawler.Option) Option {
	return func(s *Services) { s.crawlOpts = append(s.crawlOpts, opts...) }
}

// NewServices binds cfg to db. locks may be shared with the Services of an earlier config;
// nil gives fresh ones. now is the clock of every part (nil: time.Now), m the metrics the
// passes report to (nil: none). It does no I/O.
func NewServices(cfg *config.Config, db *store.DB, log *slog.Logger, now func() time.Time, locks *Locks, m *Metrics, opts ...Option) *Services {
	if now == nil {
		now = time.Now
	}
	if locks == nil {
		locks = &Locks{}
	}
	s := &Services{
		Config: cfg, DB: db, log: log, now: now, locks: locks, metrics: m,
		Engine: outreach.New(cfg, db, log, outreach.WithClock(now), outreach.WithLocks(&locks.outreach), outreach.WithReadFile(config.ReadTemplate)),
	}
	s.cache.compliance.ttl, s.cache.stats.ttl = complianceTTL, statsTTL
	for _, o := range opts {
		o(s)
	}
	return s
}

// Crawl runs one crawl of source ("" for all) and stores what it finds.
func (s *Services) Crawl(ctx context.Context, source string, opts ...crawler.Option) (crawler.Summary, error) {
	s.locks.crawl.Lock()
	defer s.locks.crawl.Unlock()
	opts = append(append([]crawler.Option{crawler.WithNow(s.now)}, s.crawlOpts...), opts...)
	sum, err := crawler.New(s.Config.Crawl, s.DB, s.log, opts...).Run(ctx, source)
	s.metrics.crawled(sum)
	return sum, err
}

// Send runs one send pass of campaign ("" for all); dryRun prints instead of sending.
// The engine takes the database's lock.
func (s *Services) Send(ctx context.Context, campaign string, dryRun bool, out io.Writer) (outreach.Summary, error) {
	sum, err := s.Engine.Send(ctx, campaign, dryRun, out)
	if !dryRun {
		s.metrics.sent(sum)
	}
	return sum, err
}

// PollReplies reads every mailbox's folders once and acts on what arrived, then looks for
// steps of unknown outcome in the Sent folders.
func (s *Services) PollReplies(ctx context.Context) (replies.Summary, error) {
	s.locks.poll.Lock()
	defer s.locks.poll.Unlock()
	p := replies.New(s.Config.Mailboxes, s.DB, s.log, s.now)
	sum, err := p.Poll(ctx)
	s.metrics.polled(sum)
	// Steps whose delivery is unknown may be settled by their copy in the Sent folder.
	settled, serr := s.Engine.Settle(ctx)
	if settled > 0 {
		s.log.Info("settled steps of unknown outcome from the Sent folder", "steps", settled)
	}
	if serr != nil {
		s.log.Warn("could not settle steps of unknown outcome", "error", serr)
	}
	return sum, err
}
