package outreach

import (
	"fmt"
	"time"

	"github.com/clientele/clientele/lead"
)

// deliver hands one composed step to the mailbox's SMTP server, exactly once:
//
//  1. the enrolment is marked sending and the message recorded (state sending, with its
//     Message-ID) in one transaction, before the SMTP transaction starts;
//  2. the message is sent on the mailbox's session;
//  3. the answer is recorded: sent (the step counted, the next one scheduled, the send
//     logged for the limits), deferred, bounced or unknown.
//
// A crash between 1 and 3 leaves the enrolment marked sending; the next pass turns it into
// unknown and never resends it.
func (p *pass) deliver(c *campaign, mb *mailbox, en *lead.Enrollment, msg *composed) error {
	name := mb.cfg.Name
	s := p.sessions[name]
	if s == nil {
		s = &session{}
		p.sessions[name] = s
	}
	if err := p.e.dial(p.ctx, mb, s); err != nil {
		p.mailboxFailed(mb, err)
		return nil // the step stays due, untouched
	}
	gm, err := msg.out.Msg()
	if err != nil {
		p.sum.Failed++
		return p.stop(en, "cannot build the message: "+oneLine(err))
	}
	m := &lead.SentMessage{MessageID: msg.out.MessageID, LeadID: en.LeadID, Campaign: c.cfg.Name,
		Step: msg.step, Mailbox: name, To: msg.out.To, Subject: msg.out.Subject,
		State: lead.SendSending, StartedAt: p.now}
	en.Sending = &lead.Attempt{Step: msg.step, MessageID: m.MessageID, Mailbox: name, StartedAt: p.now}
	if err := p.e.st.OutreachSave(en, m); err != nil {
		return fmt.Errorf("outreach: record intent for %s/%d step %d: %w", c.cfg.Name, en.LeadID, msg.step, err)
	}

	r := classify(gm, s.client.Send(gm))
	if r.connDead {
		s.close()
	}
	now := p.e.now()
	switch r.outcome {
	case delivered:
		return p.sent(c, mb, en, m, now)
	case hardBounce:
		return p.bounced(c, en, m, r, now)
	case ambiguous:
		en.Sending = nil
		en.State, en.NextAt = lead.StateUnknown, time.Time{}
		en.Reason = fmt.Sprintf("step %d: no answer from the server after the message was sent: %s", msg.step, oneLine(r.err))
		m.State, m.Error = lead.SendUnknown, oneLine(r.err)
		p.sum.Unknown++
		p.e.log.Warn("step of unknown outcome", "campaign", c.cfg.Name, "lead", en.LeadID, "step", msg.step, "error", r.err)
		if err := p.e.st.OutreachSave(en, m); err != nil {
			return fmt.Errorf("outreach: record unknown for %s/%d: %w", c.cfg.Name, en.LeadID, err)
		}
		return nil
	case rejected:
		m.State, m.Error = lead.SendFailed, oneLine(r.err)
		p.sum.Failed++
		en.Sending = nil
		en.State, en.NextAt = lead.StateStopped, time.Time{}
		en.Reason = fmt.Sprintf("step %d refused by the server: %s", msg.step, oneLine(r.err))
		if err := p.e.st.OutreachSave(en, m); err != nil {
			return fmt.Errorf("outreach: record refusal for %s/%d: %w", c.cfg.Name, en.LeadID, err)
		}
		return nil
	default: // notSent
		m.State, m.Error = lead.SendFailed, oneLine(r.err)
		p.sum.Deferred++
		if r.mailbox {
			p.mailboxFailed(mb, r.err)
		}
		return p.deferStep(c, en, m, fmt.Sprintf("step %d deferred: %s", msg.step, oneLine(r.err)))
	}
}

// sent records a step the server accepted.
func (p *pass) sent(c *campaign, mb *mailbox, en *lead.Enrollment, m *lead.SentMessage, now time.Time) error {
	en.Sending = nil
	en.Step++
	en.MessageIDs = append(en.MessageIDs, m.MessageID)
	if en.Step == 1 {
		en.Mailbox = mb.cfg.Name
		en.FirstSubject = m.Subject
	}
	en.Attempts, en.Reason = 0, ""
	if en.Step < len(c.steps) {
		en.NextAt = c.window.Next(now.Add(c.cfg.Steps[en.Step].After.D()))
	} else {
		en.State, en.NextAt = lead.StateFinished, time.Time{}
	}
	m.State, m.SentAt, m.Error = lead.SendSent, now, ""
	if err := p.e.st.OutreachSent(en, m); err != nil {
		return fmt.Errorf("outreach: record sent %s for %s/%d: %w", m.MessageID, c.cfg.Name, en.LeadID, err)
	}
	mb.lim.record(now, p.e.rnd)
	p.mailboxRecovered(mb)
	p.cstate[c.cfg.Name].Sent++
	p.sum.Sent++
	return p.checkBounceRate(c, now)
}

// bounced records a permanent refusal of the recipient and checks the campaign's rate.
func (p *pass) bounced(c *campaign, en *lead.Enrollment, m *lead.SentMessage, r result, now time.Time) error {
	en.Sending = nil
	m.State, m.Error = lead.SendFailed, oneLine(r.err)
	ev := &lead.Event{LeadID: en.LeadID, Time: now, Kind: lead.KindBounce, Hard: true, Status: r.status,
		Subject: m.Subject, Snippet: oneLine(r.err), InReplyTo: m.MessageID, Campaign: c.cfg.Name, Mailbox: m.Mailbox}
	if err := p.e.st.OutreachBounced(en, m, ev); err != nil {
		return fmt.Errorf("outreach: record bounce of %s/%d: %w", c.cfg.Name, en.LeadID, err)
	}
	p.sum.Bounced++
	cs := p.cstate[c.cfg.Name]
	cs.Sent++ // an attempt at an address counts towards the rate
	cs.HardBounces++
	return p.checkBounceRate(c, now)
}

// checkBounceRate pauses a campaign whose hard-bounce rate passed bounceLimit after at
// least bounceMinSends attempts, and says why.
func (p *pass) checkBounceRate(c *campaign, now time.Time) error {
	cs := p.cstate[c.cfg.Name]
	if cs.Sent >= bounceMinSends && float64(cs.HardBounces) > bounceLimit*float64(cs.Sent) && !cs.Paused {
		cs.Paused, cs.Since = true, now
		cs.Reason = fmt.Sprintf("hard-bounce rate %.1f%% (%d of %d) is above 2%%: check where these addresses came from, then resume",
			100*float64(cs.HardBounces)/float64(cs.Sent), cs.HardBounces, cs.Sent)
		p.sum.Paused = append(p.sum.Paused, "campaign "+c.cfg.Name+": "+cs.Reason)
		p.e.log.Error("campaign paused", "campaign", c.cfg.Name, "reason", cs.Reason)
		if err := p.e.saveJSON(cursorCampaign+c.cfg.Name, cs); err != nil {
			return err
		}
	}
	return nil
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
