package outreach

import (
	"errors"
	"time"
)

// The batch on the wire: its messages go out on a goroutine of their own while the pass
// composes the next batch (see flush for the whole pipeline).

// async reports whether a batch may go out on a goroutine of its own. While the server
// accepts its messages nothing the pass decides changes; the goroutine stops at the first
// other answer and the pass carries on in line (join). A message accepted can pause its
// campaign only by bringing it to bounceMinSends attempts with too many bounces, so a
// campaign that may still get there goes out in line.
func (p *pass) async(mb *mailbox, batch []*item) bool {
	if p.down[mb.cfg.Name] || p.ctx.Err() != nil {
		return false
	}
	for _, it := range batch {
		cs := p.cstate[it.c.cfg.Name]
		if cs.Paused || cs.HardBounces > 0 && !it.c.shield.Rate.Off && (cs.Sent+1 < it.c.shield.MinSent ||
			overShield(it.c, cs.HardBounces, cs.Sent+1)) {
			return false
		}
	}
	return true
}

// wire is a batch on its way to the server, sent by a goroutine of its own.
type wire struct {
	mb      *mailbox
	s       *session
	batch   []*item
	done    chan struct{}
	results []sendResult // one per message attempted, in order
	halted  error        // why the goroutine stopped before the message after results
}

// sendResult is the server's answer to one message, and when it came.
type sendResult struct {
	r    result
	at   time.Time
	took time.Duration
}

// transmit starts sending a batch whose intents are recorded. The goroutine touches only
// the session, the in-flight log and its wire; the pass reads them after join.
func (p *pass) transmit(mb *mailbox, s *session, batch []*item) *wire {
	w := &wire{mb: mb, s: s, batch: batch, done: make(chan struct{})}
	go func() {
		defer close(w.done)
		for _, it := range batch {
			if p.ctx.Err() != nil {
				return // the pass notes them not attempted
			}
			if err := p.e.dial(p.ctx, mb, s); err != nil {
				w.halted = err
				return
			}
			sr, err := p.sendOne(mb, s, it)
			if err != nil {
				w.halted = err
				return
			}
			w.results = append(w.results, sr)
			if sr.r.outcome != delivered {
				return // what it means is decided in line, before the next message
			}
		}
	}()
	return w
}

// join waits for the batch on the wire, applies its answers in order and sends the rest of
// it in line.
func (p *pass) join() {
	w := p.wire
	if w == nil {
		return
	}
	p.wire = nil
	<-w.done
	for i, sr := range w.results {
		w.mb.sendAvg = ewma(w.mb.sendAvg, sr.took)
		p.outcome(w.batch[i], sr.r, sr.at)
	}
	rest := len(w.results)
	if w.halted != nil && rest < len(w.batch) {
		p.halted(w.mb, w.batch[rest:], w.halted)
		return
	}
	p.sendFrom(w.mb, w.s, w.batch, rest)
}

// halted notes why the messages of a batch from the first of items on were not attempted.
func (p *pass) halted(mb *mailbox, items []*item, err error) {
	var le *inflightError
	if errors.As(err, &le) {
		p.e.log.Error("in-flight log", "error", err)
	} else {
		p.mailboxFailed(mb, err)
	}
	p.notAttempted(items, "not attempted: "+oneLine(err))
}

// inflightError is a failure to write the in-flight log: the message must not be sent.
type inflightError struct{ err error }

func (e *inflightError) Error() string { return e.err.Error() }
func (e *inflightError) Unwrap() error { return e.err }

// sendOne sends one message on the session, noted in the in-flight log before and after,
// with one retry on a new connection when the old one had died before the message started.
func (p *pass) sendOne(mb *mailbox, s *session, it *item) (sendResult, error) {
	if err := p.fl.begin(it.m.MessageID); err != nil {
		return sendResult{}, &inflightError{err}
	}
	start := time.Now()
	r := s.send(p.ctx, it.gm)
	took := time.Since(start)
	// The connection had died (server idle timeout): once more on a new one. Not when the
	// server is there but silent: that would only cost another timeout.
	if r.early && !r.stalled {
		if err := p.e.dial(p.ctx, mb, s); err == nil {
			it.gm = mustRebuild(it)
			r = s.send(p.ctx, it.gm)
		}
	}
	now := p.e.now()
	switch r.outcome {
	case delivered:
		p.fl.accepted(it.m.MessageID, now)
	case notSent, hardBounce, rejected:
		p.fl.refused(it.m.MessageID)
	}
	return sendResult{r: r, at: now, took: took}, nil
}

// sendFrom sends the messages of a batch from index i on, in line, deciding after each
// answer whether the next may go.
func (p *pass) sendFrom(mb *mailbox, s *session, batch []*item, i int) {
	name := mb.cfg.Name
	for ; i < len(batch); i++ {
		it := batch[i]
		if p.down[name] || p.ctx.Err() != nil {
			p.notAttempted(batch[i:], "not attempted: the mailbox's server failed earlier in this pass")
			break
		}
		if cs := p.cstate[it.c.cfg.Name]; cs.Paused {
			p.notAttempted([]*item{it}, "not attempted: the campaign paused itself: "+cs.Reason)
			continue
		}
		if err := p.e.dial(p.ctx, mb, s); err != nil {
			p.halted(mb, batch[i:], err)
			break
		}
		sr, err := p.sendOne(mb, s, it)
		if err != nil {
			p.halted(mb, batch[i:], err)
			break
		}
		mb.sendAvg = ewma(mb.sendAvg, sr.took)
		p.outcome(it, sr.r, sr.at)
	}
}
