package crawler

import (
	"context"
	"sync"
	"time"

	"github.com/clientele/clientele/crawler/fetch"
)

// scheduler hands tasks to workers (of every source crawled in one Run), preferring hosts whose gate is open, so that with
// many hosts no worker sits out one host's delay while another host could be served.
// It ends (next returns false) when no task is queued or running.
type scheduler struct {
	gate *fetch.Gate

	mu      sync.Mutex
	cond    *sync.Cond
	queues  map[string][]*task
	order   []string // hosts with queued work, in arrival order
	running int
	queued  int
	delayed int // tasks waiting out a retry pause
	closed  bool
}

// later queues t again after d (a retry after a failure); until then the crawl is not
// over.
func (s *scheduler) later(t *task, d time.Duration) {
	s.mu.Lock()
	s.delayed++
	s.mu.Unlock()
	time.AfterFunc(d, func() {
		s.mu.Lock()
		s.delayed--
		s.mu.Unlock()
		s.push(t)
	})
}

func newScheduler(g *fetch.Gate) *scheduler {
	s := &scheduler{gate: g, queues: map[string][]*task{}}
	s.cond = sync.NewCond(&s.mu)
	return s
}

func (s *scheduler) push(t *task) {
	s.mu.Lock()
	h := t.host()
	if len(s.queues[h]) == 0 {
		s.order = append(s.order, h)
	}
	s.queues[h] = append(s.queues[h], t)
	s.queued++
	s.mu.Unlock()
	s.cond.Broadcast()
}

// next blocks until a task is ready or the crawl is over.
func (s *scheduler) next(ctx context.Context) (*task, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		if s.closed || ctx.Err() != nil || s.queued == 0 && s.running == 0 && s.delayed == 0 {
			s.closed = true
			s.cond.Broadcast()
			return nil, false
		}
		now := time.Now()
		var soonest time.Time
		// Directory pages first: they are what finds more work, so the crawl keeps every
		// worker busy instead of reaching the next listing page only at the end.
		for pass := 0; pass < 2; pass++ {
			for i, h := range s.order {
				at, busy := s.gate.ReadyAt(h)
				if busy {
					continue
				}
				if pass == 0 && s.queues[h][0].kind != kindListing {
					continue
				}
				if !at.After(now) {
					q := s.queues[h]
					t := q[0]
					if len(q) == 1 {
						delete(s.queues, h)
						s.order = append(s.order[:i], s.order[i+1:]...)
					} else {
						s.queues[h] = q[1:]
						// rotate so other hosts get a turn
						s.order = append(append(s.order[:i], s.order[i+1:]...), h)
					}
					s.queued--
					s.running++
					return t, true
				}
				if soonest.IsZero() || at.Before(soonest) {
					soonest = at
				}
			}
		}
		wait := 50 * time.Millisecond
		if !soonest.IsZero() {
			wait = min(wait, time.Until(soonest))
		}
		if s.queued == 0 {
			wait = time.Second
		}
		timer := time.AfterFunc(max(wait, time.Millisecond), s.cond.Broadcast)
		stop := context.AfterFunc(ctx, s.cond.Broadcast)
		s.cond.Wait()
		timer.Stop()
		stop()
	}
}

// done marks a task finished (after it pushed its follow-up tasks).
func (s *scheduler) done() {
	s.mu.Lock()
	s.running--
	s.mu.Unlock()
	s.cond.Broadcast()
}

// lenOf counts the tasks of one source's run that wait in the queues.
func (s *scheduler) lenOf(r *run) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, q := range s.queues {
		for _, t := range q {
			if t.r == r {
				n++
			}
		}
	}
	return n
}
