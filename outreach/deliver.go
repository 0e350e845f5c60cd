package outreach

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/clientele/clientele/lead"
)

// defaultBatch is the most messages of one mailbox that share one transaction for their
// intents (and the outcomes of an earlier batch). A machine crash turns at most two
// batches into steps of unknown outcome (see flush), so batches are only as large as
// needed to keep the cost of the transaction (an fsync) to about a third of the time spent
// talking to the server: one message per batch with a remote server that takes 100 ms a
// message, a few dozen with a server on the same machine.
const defaultBatch = 256

// batchFactor: a batch's SMTP time is kept at batchFactor times a commit's time.
const batchFactor = 3

// batchSize is how many messages the next batch of mb holds.
func (p *pass) batchSize(mb *mailbox) int {
	if p.e.commitAvg <= 0 || mb.sendAvg <= 0 {
		return 1 // nothing measured yet
	}
	n := int(batchFactor*float64(p.e.commitAvg)/float64(mb.sendAvg)) + 1
	return max(1, min(n, p.e.batch))
}

// ewma folds a new measurement into a running average.
func ewma(avg, d time.Duration) time.Duration {
	if avg <= 0 {
		return d
	}
	return (avg*7 + d) / 8
}

// item is one step on its way out.
type item struct {
	c   *campaign
	mb  *mailbox
	en  *lead.Enrollment
	msg *composed
	gm  *gomail.Msg
	m   *lead.SentMessage
}

// pending are changes decided but not yet committed: they go into the next transaction.
type pending struct {
	ens     []*lead.Enrollment
	msgs    []*lead.SentMessage
	bounces []*lead.Event
}

func (p *pending) empty() bool { return len(p.ens) == 0 && len(p.msgs) == 0 && len(p.bounces) == 0 }

// enqueue adds a composed step to its mailbox's batch, reserving its place in the limits,
// and sends the batch when it is full.
func (p *pass) enqueue(c *campaign, mb *mailbox, en *lead.Enrollment, msg *composed) error {
	gm, err := msg.out.Msg()
	if err != nil {
		p.sum.Failed++
		return p.stop(en, "cannot build the message: "+oneLine(err))
	}
	mb.lim.record(p.now, p.e.rnd)
	name := mb.cfg.Name
	p.queue[name] = append(p.queue[name], &item{c: c, mb: mb, en: en, msg: msg, gm: gm})
	if len(p.queue[name]) >= p.batchSize(mb) {
		return p.flush(mb)
	}
	return nil
}

// flushAll sends every queued batch and the one whose intents are being recorded, waits
// for what is on the wire and commits what is still pending, whatever happened before.
func (p *pass) flushAll() error {
	var err error
	for _, name := range slices.Sorted(maps.Keys(p.queue)) {
		if err = p.flush(p.e.mailboxes[name]); err != nil {
			break
		}
	}
	if err == nil {
		err = p.next()
	}
	p.join()
	return errors.Join(err, p.commit())
}

// commit writes the pending changes in one transaction, after the one running in the
// background.
func (p *pass) commit() error {
	if err := p.wait(); err != nil {
		return err
	}
	if p.pend.empty() {
		return nil
	}
	start := time.Now() // wall time, not the injected clock: this measures the disk
	if err := p.e.st.OutreachCommit(p.pend.ens, p.pend.msgs, p.pend.bounces); err != nil {
		return fmt.Errorf("outreach: record %d outcomes: %w", len(p.pend.msgs), err)
	}
	p.e.commitAvg = ewma(p.e.commitAvg, time.Since(start))
	p.pend = pending{}
	return nil
}

// committed is what a background commit reports.
type committed struct {
	err  error
	took time.Duration
}

// commitAsync starts writing the pending changes in one transaction on a goroutine of its
// own. Whatever needs it done (the batch whose intents it holds, commit, flushAll) waits
// for it first.
func (p *pass) commitAsync() {
	if p.pend.empty() {
		return
	}
	pend := p.pend
	p.pend = pending{}
	done := make(chan committed, 1)
	p.committing, p.committingPend = done, pend
	go func() {
		start := time.Now() // wall time: this measures the disk
		err := p.e.st.OutreachCommit(pend.ens, pend.msgs, pend.bounces)
		done <- committed{err: err, took: time.Since(start)}
	}()
}

// wait waits for the background commit, if one runs. When it failed its changes are
// pending again, ahead of newer ones, as if it had never been tried.
func (p *pass) wait() error {
	if p.committing == nil {
		return nil
	}
	r := <-p.committing
	pend := p.committingPend
	p.committing, p.committingPend = nil, pending{}
	if r.err != nil {
		p.pend = pending{ens: append(pend.ens, p.pend.ens...), msgs: append(pend.msgs, p.pend.msgs...),
			bounces: append(pend.bounces, p.pend.bounces...)}
		return fmt.Errorf("outreach: record %d messages: %w", len(pend.msgs), r.err)
	}
	// A short memory: commit times follow the batch sizes, which grow from one batch to
	// the next while the pass starts.
	if p.e.commitAvg <= 0 {
		p.e.commitAvg = r.took
	} else {
		p.e.commitAvg = (p.e.commitAvg + r.took) / 2
	}
	return nil
}

// readyBatch is a batch whose intents are in the background commit: it goes out once that
// commit is durable.
type readyBatch struct {
	mb    *mailbox
	batch []*item
}

// flush takes one mailbox's full batch into the pipeline that hands messages to the SMTP
// server exactly once per step. Three batches move through it at a time:
//
//   - this one: every enrolment is marked sending and its message recorded (state sending,
//     with its Message-ID) in one transaction, together with the outcomes of the batch
//     before the one on the wire; the transaction runs in the background (commitAsync)
//     while the pass composes the next batch;
//   - the one on the wire: its intents are durable; its messages go out one after the
//     other on the mailbox's session, each noted in the in-flight log before its SMTP
//     transaction starts and after the server answers, on a goroutine of their own
//     (transmit); the answers become outcomes (sent, deferred, bounced, unknown) in line
//     (join), recorded with the intents of the batch after next or at the end of the pass;
//   - the one being composed.
//
// Nothing goes to the server before the transaction holding its intent is durable (next
// waits for it). A crash leaves enrolments marked sending; the next pass settles them from
// the in-flight log and turns into unknown (never resent) whatever the log cannot vouch
// for. Because outcomes are recorded one batch later than intents, up to two batches are
// marked sending at once (the one on the wire and the one before it, whose outcomes are
// in the running transaction, or the one after it): after a machine crash, when the log
// proves nothing, both become unknown. WithBatchSize(1) keeps to one step: each intent is
// then recorded, with the outcome before it, just before its message goes out.
func (p *pass) flush(mb *mailbox) error {
	name := mb.cfg.Name
	batch := p.queue[name]
	delete(p.queue, name)
	if len(batch) == 0 {
		return nil
	}
	if err := p.next(); err != nil {
		return err
	}
	for _, it := range batch {
		it.m = &lead.SentMessage{MessageID: it.msg.out.MessageID, LeadID: it.en.LeadID, Campaign: it.c.cfg.Name,
			Step: it.msg.step, Mailbox: name, To: it.msg.out.To, Subject: it.msg.out.Subject,
			Variant: it.msg.variant, State: lead.SendSending, StartedAt: p.now}
		it.en.Sending = &lead.Attempt{Step: it.msg.step, MessageID: it.m.MessageID, Mailbox: name, StartedAt: p.now,
			Boot: p.fl.boot}
		p.pend.ens = append(p.pend.ens, it.en)
		p.pend.msgs = append(p.pend.msgs, it.m)
	}
	p.ready = &readyBatch{mb: mb, batch: batch}
	if p.e.batch == 1 {
		// One step in flight at most (WithBatchSize(1)): its intent is recorded, with the
		// outcome before it, just before it goes out.
		if err := p.commit(); err != nil {
			p.ready = nil
			return err
		}
		return p.next()
	}
	p.commitAsync()
	return nil
}

// next moves the pipeline on: it waits for the transaction holding the ready batch's
// intents and for the batch on the wire (whose outcomes become pending), then puts the
// ready batch on the wire. When the intents could not be recorded nothing of it is sent.
func (p *pass) next() error {
	err := p.wait()
	p.join()
	r := p.ready
	p.ready = nil
	if err != nil || r == nil {
		return err
	}
	name := r.mb.cfg.Name
	s := p.sessions[name]
	if s == nil {
		s = &session{}
		p.sessions[name] = s
	}
	if p.async(r.mb, r.batch) {
		p.wire = p.transmit(r.mb, s, r.batch)
	} else {
		p.sendFrom(r.mb, s, r.batch, 0)
	}
	return nil
}

// mustRebuild returns a fresh go-mail message for a retry (a Msg remembers its last
// delivery error). Building it worked a moment ago, so it works again.
func mustRebuild(it *item) *gomail.Msg {
	gm, err := it.msg.out.Msg()
	if err != nil {
		return it.gm
	}
	return gm
}

// notAttempted puts steps that never reached the server back to due, unchanged.
func (p *pass) notAttempted(items []*item, reason string) {
	for _, it := range items {
		p.pend.ens = append(p.pend.ens, it.en)
		p.pend.msgs = append(p.pend.msgs, it.m)
		it.en.Sending = nil
		it.en.Reason = reason
		it.m.State, it.m.Error = lead.SendFailed, reason
		it.mb.lim.release()
	}
}

// outcome applies the server's answer to one message.
func (p *pass) outcome(it *item, r result, now time.Time) {
	en, m, step := it.en, it.m, it.msg.step
	p.pend.ens = append(p.pend.ens, en)
	p.pend.msgs = append(p.pend.msgs, m)
	en.Sending = nil
	switch r.outcome {
	case delivered:
		p.sent(it, now)
	case hardBounce:
		it.mb.lim.release()
		m.State, m.Error = lead.SendFailed, oneLine(r.err)
		p.pend.bounces = append(p.pend.bounces, &lead.Event{LeadID: en.LeadID, Time: now, Kind: lead.KindBounce,
			Hard: true, Status: r.status, Subject: m.Subject, Snippet: oneLine(r.err), InReplyTo: m.MessageID,
			Campaign: it.c.cfg.Name, Mailbox: m.Mailbox})
		p.sum.Bounced++
		cs := p.cstate[it.c.cfg.Name]
		cs.Sent++ // an attempt at an address counts towards the rate
		cs.HardBounces++
		p.checkBounceRate(it.c, now)
	case ambiguous:
		en.State, en.NextAt = lead.StateUnknown, time.Time{}
		en.Reason = fmt.Sprintf("step %d: no answer from the server after the message was sent: %s", step, oneLine(r.err))
		m.State, m.Error = lead.SendUnknown, oneLine(r.err)
		p.sum.Unknown++
		p.e.log.Warn("step of unknown outcome", "campaign", it.c.cfg.Name, "lead", en.LeadID, "step", step, "error", r.err)
		if r.stalled {
			// A server that took a whole message and then fell silent would do the same to
			// every later one: each would cost a timeout and become unknown. The mailbox
			// rests for the rest of the pass, and its other steps stay due.
			p.mailboxFailed(it.mb, r.err)
		}
	case rejected:
		it.mb.lim.release()
		m.State, m.Error = lead.SendFailed, oneLine(r.err)
		p.sum.Failed++
		en.State, en.NextAt = lead.StateStopped, time.Time{}
		en.Reason = fmt.Sprintf("step %d refused by the server: %s", step, oneLine(r.err))
	default: // notSent
		it.mb.lim.release()
		m.State, m.Error = lead.SendFailed, oneLine(r.err)
		p.sum.Deferred++
		if r.mailbox {
			p.mailboxFailed(it.mb, r.err)
		}
		p.backoff(it.c, it.mb, en, fmt.Sprintf("step %d deferred: %s", step, oneLine(r.err)))
	}
}

// sent records a step the server accepted.
func (p *pass) sent(it *item, now time.Time) {
	c := it.c
	// The exact text that went out is kept with the record of its sent state (the store
	// bounds it): the lead's page shows it.
	it.m.Text = it.msg.out.Text
	advance(c, it.en, it.m, it.mb.cfg.Name, now)
	p.mailboxRecovered(it.mb)
	p.cstate[c.cfg.Name].Sent++
	p.sum.Sent++
	p.checkBounceRate(c, now)
}

// advance moves an enrolment past a step the server accepted at now and marks its message
// sent. c may be nil (a campaign removed from the config since): the sequence then ends.
func advance(c *campaign, en *lead.Enrollment, m *lead.SentMessage, mailbox string, now time.Time) {
	en.Step++
	en.MessageIDs = append(en.MessageIDs, m.MessageID)
	if en.Step == 1 {
		en.Mailbox = mailbox
		en.FirstSubject = m.Subject
	}
	en.Attempts, en.Reason = 0, ""
	if c != nil && en.Step < len(c.steps) {
		en.NextAt = c.nextOpen(en, now.Add(c.cfg.Steps[en.Step].After.D()))
	} else {
		en.State, en.NextAt = lead.StateFinished, time.Time{}
	}
	m.State, m.SentAt, m.Error = lead.SendSent, now, ""
}

// overShield reports whether a campaign's hard bounces, after sent attempts, trip its
// bounce shield (campaigns[].bounce_shield).
func overShield(c *campaign, hardBounces, sent int) bool {
	b := c.shield
	return !b.Rate.Off && sent >= b.MinSent && float64(hardBounces) > b.Rate.Fraction*float64(sent)
}

// checkBounceRate pauses a campaign whose hard bounces trip its bounce shield, and says why.
func (p *pass) checkBounceRate(c *campaign, now time.Time) {
	cs := p.cstate[c.cfg.Name]
	if cs.Paused || !overShield(c, cs.HardBounces, cs.Sent) {
		return
	}
	cs.Paused, cs.Since = true, now
	cs.Reason = fmt.Sprintf("hard-bounce rate %.1f%% (%d of %d) is above %s: check where these addresses came from, then resume",
		100*float64(cs.HardBounces)/float64(cs.Sent), cs.HardBounces, cs.Sent, c.shield.Rate)
	p.sum.Paused = append(p.sum.Paused, "campaign "+c.cfg.Name+": "+cs.Reason)
	p.e.log.Error("campaign paused", "campaign", c.cfg.Name, "reason", cs.Reason)
	if err := p.e.saveJSON(cursorCampaign+c.cfg.Name, cs); err != nil {
		p.e.log.Error("save campaign state", "campaign", c.cfg.Name, "error", err)
	}
}

// mailboxFailed counts a failure that is the mailbox's (its server unreachable, the sender
// refused); it is not used again in this pass, and pauses itself after mailboxFailLimit
// passes in a row.
func (p *pass) mailboxFailed(mb *mailbox, err error) {
	name := mb.cfg.Name
	p.e.log.Warn("mailbox failed", "mailbox", name, "error", err)
	if p.down[name] {
		return
	}
	p.down[name] = true
	ms := p.mstate[name]
	ms.Failures++
	ms.Reason = oneLine(err)
	if ms.Failures >= mailboxFailLimit {
		ms.Paused, ms.Since = true, p.now
		ms.Reason = fmt.Sprintf("failed %d passes in a row, last: %s", ms.Failures, oneLine(err))
		p.sum.Paused = append(p.sum.Paused, "mailbox "+name+": "+ms.Reason)
		p.e.log.Error("mailbox paused", "mailbox", name, "reason", ms.Reason)
	}
	if saveErr := p.e.saveJSON(cursorMailbox+name, ms); saveErr != nil {
		p.e.log.Error("save mailbox state", "mailbox", name, "error", saveErr)
	}
}

// mailboxRecovered clears a mailbox's failure count after a success.
func (p *pass) mailboxRecovered(mb *mailbox) {
	ms := p.mstate[mb.cfg.Name]
	if ms.Failures == 0 && ms.Reason == "" {
		return
	}
	*ms = mailboxState{}
	if err := p.e.saveJSON(cursorMailbox+mb.cfg.Name, ms); err != nil {
		p.e.log.Error("save mailbox state", "mailbox", mb.cfg.Name, "error", err)
	}
}
