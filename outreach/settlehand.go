package outreach

import (
	"context"
	"errors"
	"fmt"

	"github.com/clientele/clientele/lead"
)

// ErrNoUnknownStep means a lead has no step of unknown outcome in a campaign: there is
// nothing to settle.
var ErrNoUnknownStep = errors.New("outreach: no step of unknown outcome")

// notSentByHand is the error recorded on a message a person settled as not sent.
const notSentByHand = "settled by hand: not sent"

// SettleStep records what a person found out about a lead's step of unknown outcome in a
// campaign; ref is the lead's id or email address. With sent, the step went out (it is in
// the Sent folder, the lead answered it): it is recorded as sent and the sequence goes on,
// as Settle does when it finds the message. Without, it did not: the message is recorded
// as failed ("settled by hand: not sent") and leaves the send log, and the enrolment is
// active again with the same step due now, so the next pass sends it once. A sequence
// that stopped meanwhile (the lead replied, unsubscribed) stays stopped either way. It
// refuses with ErrNoUnknownStep when the lead has no step of unknown outcome there.
func (e *Engine) SettleStep(ctx context.Context, ref string, campaign string, sent bool) error {
	unlock, err := e.locks.lock(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := e.prepare(); err != nil && e.campaigns[campaign] == nil && e.inConfig(campaign) {
		return err // its next step could not be scheduled
	}
	l, err := e.st.FindLead(ref)
	if err != nil {
		return fmt.Errorf("outreach: settle: lead %q: %w", ref, err)
	}
	en, err := e.st.Enrollment(campaign, l.ID)
	if err != nil {
		return fmt.Errorf("outreach: settle: lead %d in campaign %s: %w", l.ID, campaign, err)
	}
	ms, err := e.st.SentOf(l.ID)
	if err != nil {
		return fmt.Errorf("outreach: settle: messages of lead %d: %w", l.ID, err)
	}
	var m *lead.SentMessage
	for _, x := range ms {
		if x.Campaign != campaign || x.State != lead.SendUnknown {
			continue
		}
		if m == nil || x.Step == en.Step+1 { // the one the enrolment waits on, if several
			m = x
		}
	}
	if m == nil {
		return fmt.Errorf("%w: lead %d in campaign %s (enrolment %s, %d step(s) sent)",
			ErrNoUnknownStep, l.ID, campaign, en.State, en.Step)
	}
	if sent {
		if _, err := e.recordFound([]*lead.SentMessage{m}); err != nil {
			return err
		}
		e.log.Info("step settled by hand as sent", "campaign", campaign, "lead", l.ID, "step", m.Step,
			"message_id", m.MessageID)
		return nil
	}
	m.State, m.Error = lead.SendFailed, notSentByHand
	if en.State == lead.StateUnknown && en.Step == m.Step-1 {
		en.State, en.NextAt = lead.StateActive, e.now()
		en.Sending, en.Attempts, en.Reason = nil, 0, ""
	}
	if err := e.st.OutreachUnsent(en, m); err != nil {
		return fmt.Errorf("outreach: settle %s: %w", m.MessageID, err)
	}
	e.log.Info("step settled by hand as not sent", "campaign", campaign, "lead", l.ID, "step", m.Step,
		"message_id", m.MessageID)
	return nil
}

// inConfig reports whether the config has a campaign of that name.
func (e *Engine) inConfig(name string) bool {
	for _, c := range e.cfg.Campaigns {
		if c.Name == name {
			return true
		}
	}
	return false
}
