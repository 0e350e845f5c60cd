package outreach

import (
	"context"
	"sync"
)

// Locks serialise what changes a database's sending state: send passes, settling steps of
// unknown outcome, and lifting pauses. A pass reads the limits, pauses and cursors of every
// mailbox and campaign at its start and writes them as it goes, so two passes over one
// database, even of two engines, would count the same day's sends twice and could hand
// one step to the server twice.
//
// Locks belong to the database, not to an engine: a config reload builds a new engine
// while a pass of the old one may still run. Whoever opens the database keeps one Locks
// and hands it to every engine built on it (WithLocks). The zero value is ready to use.
type Locks struct {
	once sync.Once
	sem  chan struct{}
}

// lock waits for the lock, or for ctx to end; the returned func releases it.
func (l *Locks) lock(ctx context.Context) (func(), error) {
	l.once.Do(func() { l.sem = make(chan struct{}, 1) })
	select {
	case l.sem <- struct{}{}:
		return func() { <-l.sem }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// WithLocks makes the engine take the database's locks (default: locks of its own, which
// exclude nothing but its own passes).
func WithLocks(l *Locks) Option {
	return func(e *Engine) {
		if l != nil {
			e.locks = l
		}
	}
}
