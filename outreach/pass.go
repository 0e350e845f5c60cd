package outreach

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/clientele/clientele/lead"
)

// Summary says what one send pass did.
type Summary struct {
	DryRun    bool `json:"dry_run"`
	Sent      int  `json:"sent"`      // accepted by the server (or, dry run, would be sent)
	Enrolled  int  `json:"enrolled"`  // leads newly enrolled
	Deferred  int  `json:"deferred"`  // temporary failures, retried later
	Bounced   int  `json:"bounced"`   // recipients refused permanently
	Failed    int  `json:"failed"`    // steps that cannot be sent to their lead (rendering, refusals)
	Unknown   int  `json:"unknown"`   // steps whose delivery nobody knows, never resent on their own
	Recovered int  `json:"recovered"` // steps found in flight from an earlier run, now unknown
	Waiting   int  `json:"waiting"`   // steps left for their recipient's window to open (recipientwindow.go)
	// Paused lists what paused itself in this pass, with the reason.
	Paused []string `json:"paused,omitempty"`
}

// String is the one-line account `send` prints after a pass.
func (s Summary) String() string {
	verb := "sent"
	if s.DryRun {
		verb = "would send"
	}
	out := fmt.Sprintf("%s %d, enrolled %d, deferred %d, bounced %d, failed %d, unknown %d",
		verb, s.Sent, s.Enrolled, s.Deferred, s.Bounced, s.Failed, s.Unknown)
	if s.Waiting > 0 {
		out += fmt.Sprintf(", %d waiting for their recipient's hours", s.Waiting)
	}
	if s.Recovered > 0 {
		out += fmt.Sprintf(", %d interrupted step(s) now unknown", s.Recovered)
	}
	for _, p := range s.Paused {
		out += "; paused " + p
	}
	return out
}

// pass is the state of one Send call.
type pass struct {
	e        *Engine
	ctx      context.Context
	now      time.Time
	dryRun   bool
	only     string
	out      io.Writer
	sum      Summary
	sessions map[string]*session
	down     map[string]bool // mailboxes that failed in this pass
	mstate   map[string]*mailboxState
	cstate   map[string]*campaignState
	fl       *inflightLog
	queue    map[string][]*item // per mailbox, the batch being filled
	pend     pending            // outcomes not yet committed
	wire     *wire              // the batch on its way to the server, nil when none
	ready    *readyBatch        // the batch whose intents are being recorded
	// the transaction running in the background (nil when none) and what it writes
	committing     chan committed
	committingPend pending
	cursors        map[string]enrolCursor // enrolment scans, saved at the end of the pass
	// what this pass enrolled, for the one-sequence rules before the store knows it
	takenEmails  map[string]bool
	takenDomains map[string]int
	takenLeads   map[lead.ID]bool
	parked       map[string]int // new enrolments left for their lead's window to open, per campaign
}

// Send runs one pass: it settles steps left in flight by an earlier run, sends the due
// steps (follow-ups and first steps, oldest first), then enrols as many new leads as the
// mailboxes' limits let go out now and sends them their first step. With campaign set only
// that campaign is considered. With dryRun it prints a line per message that would go out
// (campaign, step, recipient, subject) and records nothing.
func (e *Engine) Send(ctx context.Context, campaignName string, dryRun bool, out io.Writer) (Summary, error) {
	unlock, err := e.locks.lock(ctx)
	if err != nil {
		return Summary{DryRun: dryRun}, err
	}
	defer unlock()
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := e.prepare(); err != nil {
		return Summary{DryRun: dryRun}, err
	}
	if campaignName != "" && e.campaigns[campaignName] == nil {
		return Summary{DryRun: dryRun}, fmt.Errorf("outreach: no campaign %q", campaignName)
	}
	if out == nil {
		out = io.Discard
	}
	p := &pass{e: e, ctx: ctx, now: e.now(), dryRun: dryRun, only: campaignName, out: out,
		sum: Summary{DryRun: dryRun}, sessions: map[string]*session{}, down: map[string]bool{},
		mstate: map[string]*mailboxState{}, cstate: map[string]*campaignState{},
		fl: newInflightLog(e.inflight), queue: map[string][]*item{}, takenEmails: map[string]bool{}, takenDomains: map[string]int{},
		takenLeads: map[lead.ID]bool{}, cursors: map[string]enrolCursor{}}
	defer p.closeSessions()
	defer p.fl.close()
	if !dryRun {
		if err := p.recover(); err != nil {
			return p.sum, err
		}
		if err := p.fl.reset(); err != nil {
			return p.sum, err
		}
	}
	if err := p.loadState(); err != nil {
		return p.sum, err
	}
	err = p.sendDue()
	if err == nil {
		err = p.enrolAndSend()
	}
	// Whatever happened, send what was queued and record every outcome.
	ferr := p.flushAll()
	if ferr == nil {
		ferr = p.saveCursors()
	}
	err = errors.Join(err, ferr, p.saveState())
	e.log.Info("send pass", "dry_run", dryRun, "sent", p.sum.Sent, "enrolled", p.sum.Enrolled,
		"deferred", p.sum.Deferred, "bounced", p.sum.Bounced, "failed", p.sum.Failed, "unknown", p.sum.Unknown)
	return p.sum, err
}

func (p *pass) closeSessions() {
	for _, s := range p.sessions {
		s.close()
	}
}

// recover settles every step left in flight by a process that died between recording the
// intent and recording the answer. A step the in-flight log proves never reached the SMTP
// stage stays due; any other may have gone out, so it becomes unknown and is never resent
// on its own.
func (p *pass) recover() error {
	var found []*lead.Enrollment
	err := p.e.st.Due(p.now, func(en *lead.Enrollment) bool {
		if en.Sending != nil {
			found = append(found, en)
		}
		return true
	})
	if err != nil {
		return fmt.Errorf("outreach: find steps in flight: %w", err)
	}
	var ens []*lead.Enrollment
	var msgs []*lead.SentMessage
	log, trusted := p.fl.read()
	for _, en := range found {
		a := en.Sending
		if trusted && a.Boot != "" && a.Boot == p.fl.boot {
			if at, ok := log.sent[a.MessageID]; ok { // the server accepted it
				m, err := p.e.st.Sent(a.MessageID)
				if err != nil {
					return fmt.Errorf("outreach: settle %s: %w", a.MessageID, err)
				}
				en.Sending = nil
				advance(p.e.campaigns[en.Campaign], en, m, a.Mailbox, at)
				ens, msgs = append(ens, en), append(msgs, m)
				continue
			}
			if !log.started[a.MessageID] || log.done[a.MessageID] { // nothing went out
				m := &lead.SentMessage{MessageID: a.MessageID, LeadID: en.LeadID, Campaign: en.Campaign, Step: a.Step,
					Variant: recordedVariant(en, a.Step), Mailbox: a.Mailbox, To: en.Email, State: lead.SendFailed, StartedAt: a.StartedAt,
					Error: "not sent: the process stopped before the server accepted it"}
				en.Sending = nil // still due, sent again as if nothing happened
				ens, msgs = append(ens, en), append(msgs, m)
				continue
			}
		}
		m := &lead.SentMessage{MessageID: a.MessageID, LeadID: en.LeadID, Campaign: en.Campaign, Step: a.Step,
			Variant: recordedVariant(en, a.Step), Mailbox: a.Mailbox, To: en.Email, State: lead.SendUnknown, StartedAt: a.StartedAt,
			Error: "interrupted while handing the message to the SMTP server"}
		en.State = lead.StateUnknown
		en.NextAt = time.Time{}
		en.Sending = nil // the Message-ID stays in the message record, to settle it later
		en.Reason = fmt.Sprintf("step %d was being sent as %s when the process stopped; check the Sent folder", a.Step, a.MessageID)
		ens, msgs = append(ens, en), append(msgs, m)
		p.sum.Recovered++
		p.e.log.Warn("step of unknown outcome", "campaign", en.Campaign, "lead", en.LeadID, "step", a.Step, "message_id", a.MessageID)
	}
	if len(ens) == 0 {
		return nil
	}
	if err := p.e.st.OutreachCommit(ens, msgs, nil); err != nil {
		return fmt.Errorf("outreach: mark %d steps in flight unknown: %w", len(ens), err)
	}
	return nil
}

// loadState reads the limiters' counts and the pauses as of now.
func (p *pass) loadState() error {
	for name, mb := range p.e.mailboxes {
		if err := mb.lim.load(p.e.st, p.now, p.e.rnd); err != nil {
			return err
		}
		ms := &mailboxState{}
		if err := p.e.loadJSON(cursorMailbox+name, ms); err != nil {
			return err
		}
		p.mstate[name] = ms
	}
	for name := range p.e.campaigns {
		cs := &campaignState{}
		if err := p.e.loadJSON(cursorCampaign+name, cs); err != nil {
			return err
		}
		p.cstate[name] = cs
	}
	return nil
}

func (p *pass) saveState() error {
	if p.dryRun {
		return nil
	}
	var errs []error
	for _, name := range slices.Sorted(maps.Keys(p.cstate)) {
		errs = append(errs, p.e.saveJSON(cursorCampaign+name, p.cstate[name]))
	}
	return errors.Join(errs...)
}

// usable reports whether a campaign may send now.
func (p *pass) usable(c *campaign) bool {
	if c == nil || c.cfg.Paused || p.cstate[c.cfg.Name].Paused {
		return false
	}
	if p.only != "" && c.cfg.Name != p.only {
		return false
	}
	return c.mayOpen(p.now)
}

// mailboxOK reports whether a mailbox may be used in this pass at all.
func (p *pass) mailboxOK(mb *mailbox) bool {
	return !p.down[mb.cfg.Name] && !p.mstate[mb.cfg.Name].Paused
}

// capacity is how many messages the campaign's mailboxes can still send in this pass.
func (p *pass) capacity(c *campaign) int {
	n := 0
	for _, mb := range c.mailboxes {
		if p.mailboxOK(mb) {
			n += mb.lim.capacity(p.now)
		}
	}
	return n
}

// pickMailbox returns the mailbox for the next step of en: the one that sent its first
// step, else the next of the campaign's mailboxes (in rotation) with room left.
func (p *pass) pickMailbox(c *campaign, en *lead.Enrollment) *mailbox {
	if en.Mailbox != "" {
		mb := p.e.mailboxes[en.Mailbox]
		if mb == nil || !p.mailboxOK(mb) || mb.lim.capacity(p.now) == 0 {
			return nil
		}
		return mb
	}
	for i := range c.mailboxes {
		mb := c.mailboxes[(c.rotate+i)%len(c.mailboxes)]
		if p.mailboxOK(mb) && mb.lim.capacity(p.now) > 0 {
			c.rotate = (c.rotate + i + 1) % len(c.mailboxes)
			return mb
		}
	}
	return nil
}

// anyRoom reports whether any mailbox of a campaign this pass may use can still send.
func (p *pass) anyRoom() bool {
	for _, c := range p.e.campaigns {
		if p.usable(c) && p.capacity(c) > 0 {
			return true
		}
	}
	return false
}

// sendDue walks the due index oldest first and sends what limits allow.
func (p *pass) sendDue() error {
	if !p.anyRoom() {
		return nil
	}
	var err error
	derr := p.e.st.Due(p.now, func(en *lead.Enrollment) bool {
		if p.ctx.Err() != nil {
			err = p.ctx.Err()
			return false
		}
		c := p.e.campaigns[en.Campaign]
		if en.Sending != nil || !p.usable(c) {
			return true
		}
		if _, err = p.step(c, en, nil); err != nil {
			return false
		}
		return p.anyRoom()
	})
	if derr != nil {
		return fmt.Errorf("outreach: read due steps: %w", derr)
	}
	return err
}

// step queues the next step of one enrolment for sending if its mailbox has room. l is the
// enrolment's lead when the caller has just read it, nil to read it here. It reports
// whether it took care of the enrolment (queued it, or stored why not); an error is
// returned only when the pass must stop (the store failed).
func (p *pass) step(c *campaign, en *lead.Enrollment, l *lead.Lead) (bool, error) {
	if en.Step >= len(c.steps) { // the campaign lost steps since: nothing more to send
		if p.dryRun {
			return true, nil
		}
		en.State, en.NextAt = lead.StateFinished, time.Time{}
		return true, p.e.st.PutEnrollment(en)
	}
	mb := p.pickMailbox(c, en)
	if mb == nil {
		return false, nil
	}
	if l == nil {
		var err error
		if l, err = p.e.st.Lead(en.LeadID); err != nil {
			return false, fmt.Errorf("outreach: lead %d: %w", en.LeadID, err)
		}
	}
	if reason, err := p.blocked(l, en); err != nil {
		return false, err
	} else if reason != "" {
		return true, p.stop(en, reason)
	}
	if w := c.leadWindow(en, l); !w.Open(p.now) {
		p.later(en, w.Next(p.now))
		return true, nil
	}
	msg, err := p.e.compose(c, mb, en, l, p.now)
	if err != nil {
		p.sum.Failed++
		p.e.log.Warn("step not rendered", "campaign", c.cfg.Name, "lead", l.ID, "error", err)
		if errors.Is(err, ErrMissingValue) {
			return true, p.stop(en, "cannot be rendered: "+err.Error())
		}
		if p.dryRun {
			return true, nil
		}
		p.backoff(c, mb, en, "cannot be rendered: "+err.Error())
		return true, p.e.st.PutEnrollment(en)
	}
	if ok, _ := mb.lim.allow(p.now); !ok {
		return false, nil
	}
	if p.dryRun {
		fmt.Fprintf(p.out, "%s\t%d\t%s\t%s\n", c.cfg.Name, msg.step, msg.out.To, msg.out.Subject)
		mb.lim.record(p.now, p.e.rnd)
		p.sum.Sent++
		return true, nil
	}
	recordVariant(en, msg) // stored with the step's intent
	return true, p.enqueue(c, mb, en, msg)
}

// blocked says why a lead must not receive anything more, "" when it may.
func (p *pass) blocked(l *lead.Lead, en *lead.Enrollment) (string, error) {
	if l.Status.Final() {
		return "lead " + string(l.Status), nil
	}
	sup, err := p.e.st.IsSuppressed(en.Email)
	if err != nil {
		return "", fmt.Errorf("outreach: suppression of lead %d: %w", l.ID, err)
	}
	if sup {
		return "address suppressed", nil
	}
	return "", nil
}

// stop ends an enrolment that must not continue, with the reason.
func (p *pass) stop(en *lead.Enrollment, reason string) error {
	if p.dryRun {
		return nil
	}
	en.State, en.NextAt, en.Reason = lead.StateStopped, time.Time{}, reason
	if err := p.e.st.PutEnrollment(en); err != nil {
		return fmt.Errorf("outreach: stop %s/%d: %w", en.Campaign, en.LeadID, err)
	}
	return nil
}

// backoff leaves a step due for a later try, as the mailbox's retry setting says; after
// its last try the enrolment stops, with the reason.
func (p *pass) backoff(c *campaign, mb *mailbox, en *lead.Enrollment, reason string) {
	en.Sending = nil
	en.Attempts++
	en.Reason = reason
	attempts, wait := retryAttempts(mb.cfg.Retry), retryWait(mb.cfg.Retry, en.Attempts)
	if en.Attempts >= attempts {
		en.State, en.NextAt = lead.StateStopped, time.Time{}
		en.Reason = fmt.Sprintf("gave up after %d attempts: %s", en.Attempts, reason)
	} else {
		en.NextAt = c.nextOpen(en, p.now.Add(wait))
	}
}

// oneLine shortens an error for a reason field.
func oneLine(err error) string {
	s := strings.Join(strings.Fields(err.Error()), " ")
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}
