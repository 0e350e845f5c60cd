package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/clientele/clientele/config"
	"github.com/clientele/clientele/doctor"
	"github.com/clientele/clientele/localapi"
	"github.com/clientele/clientele/outreach"
	"github.com/clientele/clientele/scheduler"
	"github.com/clientele/clientele/store"
	"github.com/clientele/clientele/web"
)

// ShutdownTimeout bounds how long the daemon waits for running jobs and requests on exit.
const ShutdownTimeout = 10 * time.Second

// Exec runs a forwarded command line against the given services; the CLI provides it.
type Exec func(s *Services) localapi.Exec

// DaemonOptions are what the daemon needs besides its config and database.
type DaemonOptions struct {
	Getenv func(string) string
	Now    func() time.Time
	Log    *slog.Logger
	Errors *ErrorLog // the handler behind Log, for the status page; may be nil
	Exec   Exec
	// Resolver answers the start-up checks' DNS lookups; nil: the system's.
	Resolver doctor.Resolver
}

// Daemon is `clientele run`: schedules, the local API, the HTTP server and live reloads.
type Daemon struct {
	opts    DaemonOptions
	db      *store.DB
	log     *slog.Logger
	locks   *Locks
	metrics *Metrics
	current atomic.Pointer[Services]

	sched *scheduler.Scheduler
	web   *web.Server
	api   *localapi.Server
	ready chan struct{}
}

// NewDaemon builds the daemon for a validated cfg over an open db; it does no I/O.
func NewDaemon(cfg *config.Config, db *store.DB, opts DaemonOptions) *Daemon {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	d := &Daemon{opts: opts, db: db, log: opts.Log.With("component", "daemon"), locks: &Locks{}, ready: make(chan struct{})}
	d.metrics = NewMetrics(db, func() *outreach.Engine { return d.Services().Engine }, 15*time.Second)
	d.current.Store(NewServices(cfg, db, opts.Log, opts.Now, d.locks, d.metrics))
	d.sched = scheduler.New(opts.Log, opts.Now, d.metrics.Job)
	d.api = localapi.NewServer(localapi.SocketPath(cfg.Database), func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
		return opts.Exec(d.Services())(ctx, args, stdin, stdout, stderr)
	}, opts.Log)
	return d
}

// Ready is closed once the daemon serves and its schedules run.
func (d *Daemon) Ready() <-chan struct{} { return d.ready }

// HTTPAddr is the address the HTTP server listens on, once Ready.
func (d *Daemon) HTTPAddr() string { return d.web.Addr() }

// Services returns the services of the config in force.
func (d *Daemon) Services() *Services { return d.current.Load() }

// Run starts everything, blocks until ctx ends, then stops everything in reverse order:
// no new jobs, the running ones finish what is in flight, servers close.
func (d *Daemon) Run(ctx context.Context) error {
	s := d.Services()
	if err := d.sched.Set(d.jobs()); err != nil {
		return err
	}
	if err := d.api.Open(ctx); err != nil {
		return err
	}
	d.web = web.New(s.Config.HTTP, web.Deps{
		Unsubscriber: unsubscriber{d},
		Metrics:      d.metrics.Handler(),
		Status:       &statusSource{d: d},
		Dashboard:    &Dashboard{Services: d.Services, StartCrawl: d.startCrawl},
		Now:          d.opts.Now,
	}, d.opts.Log)
	if err := d.web.Open(ctx); err != nil {
		d.api.Close(context.Background())
		return err
	}
	d.sched.Open(ctx)
	checked := d.checkAtStart(ctx)
	reloads := d.watch(ctx)
	d.log.Info("daemon started", "config", s.Config.File, "database", s.Config.Database,
		"status_page", "http://"+d.web.Addr()+"/", "jobs", len(d.sched.Jobs()))
	close(d.ready)

	<-ctx.Done()
	d.log.Info("stopping")
	stopCtx, cancel := context.WithTimeout(context.Background(), ShutdownTimeout)
	defer cancel()
	var errs []error
	errs = append(errs, d.sched.Close(stopCtx))
	<-reloads
	<-checked
	errs = append(errs, d.web.Close(stopCtx), d.api.Close(stopCtx))
	d.Services().Close()
	err := errors.Join(errs...)
	if err != nil {
		d.log.Warn("stopped with work unfinished", "error", err)
	} else {
		d.log.Info("stopped")
	}
	return err
}

// jobs are the scheduled jobs of the config in force; each calls the same Services method
// as its one-shot command.
func (d *Daemon) jobs() []scheduler.Job {
	cfg := d.Services().Config
	return []scheduler.Job{
		{Name: "crawl", Spec: cfg.Crawl.Schedule, Run: func(ctx context.Context) (string, error) {
			sum, err := d.Services().Crawl(ctx, "")
			return fmt.Sprintf("%d pages, %d businesses, %d with email, %d new leads", sum.Pages, sum.Businesses, sum.WithEmail, sum.LeadsCreated), err
		}},
		{Name: "send", Spec: cfg.Schedule.Send, Run: func(ctx context.Context) (string, error) {
			sum, err := d.Services().Send(ctx, "", false, io.Discard)
			return fmt.Sprintf("%d sent, %d enrolled, %d deferred, %d bounced, %d failed", sum.Sent, sum.Enrolled, sum.Deferred, sum.Bounced, sum.Failed), err
		}},
		{Name: "replies", Spec: cfg.Schedule.Replies, Run: func(ctx context.Context) (string, error) {
			sum, err := d.Services().PollReplies(ctx)
			return fmt.Sprintf("%d folders, %d new messages, %d about leads", sum.Folders, sum.Fetched, sum.Matched), err
		}},
		{Name: "retention", Spec: retentionSpec(cfg), Run: func(ctx context.Context) (string, error) {
			n, err := d.Services().ForgetExpired(ctx)
			return fmt.Sprintf("%d leads forgotten", n), err
		}},
	}
}

// startCrawl runs a crawl job now, in the background, under the scheduler's rules: it is
// skipped while a crawl runs, shows under Jobs, and the daemon waits for it on exit.
func (d *Daemon) startCrawl(source string) error {
	for _, j := range d.sched.Jobs() {
		if j.Name == "crawl" && j.Running {
			return errors.New("a crawl is running already")
		}
	}
	go d.sched.RunNow(scheduler.Job{Name: "crawl", Run: func(ctx context.Context) (string, error) {
		sum, err := d.Services().Crawl(ctx, source)
		return fmt.Sprintf("%d pages, %d businesses, %d with email, %d new leads", sum.Pages, sum.Businesses, sum.WithEmail, sum.LeadsCreated), err
	}})
	return nil
}

// unsubscriber sends each unsubscribe to the engine of the config in force.
type unsubscriber struct{ d *Daemon }

func (u unsubscriber) Unsubscribe(ctx context.Context, leadID, token string) error {
	return u.d.Services().Engine.Unsubscribe(ctx, leadID, token)
}
