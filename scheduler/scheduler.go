// Package scheduler runs the daemon's jobs (crawl, send, replies) on their cron schedules.
//
// It knows nothing of leads or mail: a job is a name, a cron spec and a function. It owns
// the rules every job shares: a panic is recovered and logged, a run is skipped while the
// previous one is still going, each run is logged with its duration and summary, and the
// whole set of schedules can be swapped at once when the config is reloaded.
package scheduler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sort"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/clientele/clientele/config"
)

// Job is one scheduled task. Run gets a context that ends when the daemon stops; it should
// finish what is in flight (the message being sent) and return.
type Job struct {
	Name string
	Spec string
	Run  func(ctx context.Context) (summary string, err error)
}

// Status is what the status page shows of a job.
type Status struct {
	Name     string
	Spec     string
	Running  bool
	LastRun  time.Time
	LastTook time.Duration
	Result   string // the summary, or the error
	Failed   bool
	NextRun  time.Time
}

// Observer is told about every finished run, for metrics.
type Observer func(job string, took time.Duration, err error)

// Scheduler runs jobs on their schedules. New builds it, Open starts it, Close stops it.
type Scheduler struct {
	log     *slog.Logger
	now     func() time.Time
	observe Observer

	mu      sync.Mutex
	cron    *cron.Cron
	entries map[string]cron.EntryID
	state   map[string]*Status
	ctx     context.Context
	cancel  context.CancelFunc
	running sync.WaitGroup
}

// New returns a scheduler; it does no I/O and starts nothing.
func New(log *slog.Logger, now func() time.Time, observe Observer) *Scheduler {
	if now == nil {
		now = time.Now
	}
	if observe == nil {
		observe = func(string, time.Duration, error) {}
	}
	return &Scheduler{
		log:     log.With("component", "scheduler"),
		now:     now,
		observe: observe,
		cron:    cron.New(cron.WithLogger(cron.DiscardLogger)),
		entries: map[string]cron.EntryID{},
		state:   map[string]*Status{},
	}
}

// Set replaces the schedules with jobs. Every spec is parsed first, so a bad one changes
// nothing. A job whose spec is empty is not scheduled. Runs in progress go on.
func (s *Scheduler) Set(jobs []Job) error {
	schedules := make(map[string]cron.Schedule, len(jobs))
	var errs []error
	for _, j := range jobs {
		if j.Spec == "" {
			continue
		}
		// The config's parser, the one validation checked the spec with.
		sch, err := config.ParseSchedule(j.Spec)
		if err != nil {
			errs = append(errs, fmt.Errorf("scheduler: job %s: %q: %w", j.Name, j.Spec, err))
			continue
		}
		schedules[j.Name] = sch
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for name, id := range s.entries {
		s.cron.Remove(id)
		delete(s.entries, name)
	}
	for _, j := range jobs {
		sch, ok := schedules[j.Name]
		if !ok {
			if st := s.state[j.Name]; st != nil && !st.Running {
				delete(s.state, j.Name)
			}
			continue
		}
		st, ok := s.state[j.Name]
		if !ok {
			st = &Status{Name: j.Name}
			s.state[j.Name] = st
		}
		st.Spec = j.Spec
		s.entries[j.Name] = s.cron.Schedule(sch, cron.FuncJob(s.wrap(j)))
	}
	return nil
}

// wrap adds the shared rules to a job: skip while running, recover panics, log and observe.
func (s *Scheduler) wrap(j Job) func() {
	return func() {
		s.mu.Lock()
		st := s.state[j.Name]
		if st == nil {
			st = &Status{Name: j.Name}
			s.state[j.Name] = st
		}
		if st.Running || s.ctx == nil || s.ctx.Err() != nil {
			if st.Running {
				s.log.Info("job still running; skipping this run", "job", j.Name)
			}
			s.mu.Unlock()
			return
		}
		st.Running = true
		ctx := s.ctx
		s.running.Add(1)
		s.mu.Unlock()
		defer s.running.Done()

		start := s.now()
		s.log.Info("job started", "job", j.Name)
		summary, err := runRecovered(ctx, j.Run)
		took := s.now().Sub(start)
		s.mu.Lock()
		st.Running, st.LastRun, st.LastTook, st.Failed = false, start, took, err != nil
		st.Result = summary
		if err != nil {
			st.Result = err.Error()
		}
		s.mu.Unlock()
		if err != nil && ctx.Err() != nil && errors.Is(err, context.Canceled) {
			s.log.Info("job stopped: the daemon is shutting down", "job", j.Name, "took", took.Round(time.Millisecond).String(), "summary", summary)
			return
		}
		s.observe(j.Name, took, err)
		if err != nil {
			s.log.Error("job failed", "job", j.Name, "took", took.Round(time.Millisecond).String(), "summary", summary, "error", err)
			return
		}
		s.log.Info("job finished", "job", j.Name, "took", took.Round(time.Millisecond).String(), "summary", summary)
	}
}

// runRecovered runs fn and turns a panic into an error, so one bad run never stops the
// daemon.
func runRecovered(ctx context.Context, fn func(context.Context) (string, error)) (summary string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v\n%s", r, debug.Stack())
		}
	}()
	return fn(ctx)
}

// RunNow runs a job at once, outside its schedule, with the same rules (used at start-up
// and by tests).
func (s *Scheduler) RunNow(j Job) { s.wrap(j)() }

// Open starts the clock. Jobs get a context that ends at Close.
func (s *Scheduler) Open(ctx context.Context) {
	s.mu.Lock()
	s.ctx, s.cancel = context.WithCancel(context.WithoutCancel(ctx))
	s.mu.Unlock()
	s.cron.Start()
}

// Close stops starting jobs, tells the running ones to finish, and waits for them until
// ctx ends.
func (s *Scheduler) Close(ctx context.Context) error {
	stopped := s.cron.Stop()
	s.mu.Lock()
	if s.cancel != nil {
		s.cancel()
	}
	s.mu.Unlock()
	done := make(chan struct{})
	go func() {
		<-stopped.Done()
		s.running.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("scheduler: jobs still running at shutdown: %w", ctx.Err())
	}
}

// Jobs returns the status of every scheduled job, by name.
func (s *Scheduler) Jobs() []Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Status, 0, len(s.state))
	for name, st := range s.state {
		c := *st
		if id, ok := s.entries[name]; ok {
			c.NextRun = s.cron.Entry(id).Next
		}
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
