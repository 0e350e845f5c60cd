package outreach

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/clientele/clientele/lead"
)

// Settle looks for every step of unknown outcome in the Sent folder of the mailbox that
// was sending it, where the mailbox has IMAP. A step found there went out: it is recorded
// as sent and its sequence goes on. A step not found stays unknown, because many servers
// keep no copy of what is submitted over SMTP, so absence proves nothing. It returns how
// many steps it settled. It reads every message record, so it belongs in a command or a
// slow schedule, not in each send pass.
//
// It talks IMAP holding no lock, so a slow or silent server delays nothing but Settle
// (and each command is bounded by the mailbox's timeout); it takes the database's lock
// only to record what it found, after checking that the step is still unknown.
func (e *Engine) Settle(ctx context.Context) (int, error) {
	e.mu.Lock()
	err := e.prepare()
	mailboxes := e.mailboxes
	e.mu.Unlock()
	if err != nil {
		return 0, err
	}
	byMailbox := map[string][]*lead.SentMessage{}
	err = e.st.ForEachSent(func(m *lead.SentMessage) error {
		if m.State == lead.SendUnknown {
			byMailbox[m.Mailbox] = append(byMailbox[m.Mailbox], m)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("outreach: find unknown steps: %w", err)
	}
	settled := 0
	var errs []error
	for _, name := range slices.Sorted(maps.Keys(byMailbox)) {
		mb := mailboxes[name]
		if mb == nil || mb.cfg.IMAP == nil {
			continue
		}
		ms := byMailbox[name]
		ids := make([]string, len(ms))
		for i, m := range ms {
			ids[i] = m.MessageID
		}
		found, err := e.mail.FindSent(ctx, *mb.cfg.IMAP, ids)
		if err != nil {
			errs = append(errs, fmt.Errorf("outreach: settle unknown steps of %s: %w", name, err))
		}
		if len(found) == 0 {
			continue
		}
		n, err := e.recordFoundLocked(ctx, found)
		settled += n
		errs = append(errs, err)
	}
	return settled, errors.Join(errs...)
}

// recordFoundLocked takes the database's lock and records the messages with these
// Message-IDs as found in a Sent folder, those that are still of unknown outcome.
func (e *Engine) recordFoundLocked(ctx context.Context, ids []string) (int, error) {
	unlock, err := e.locks.lock(ctx)
	if err != nil {
		return 0, err
	}
	defer unlock()
	e.mu.Lock()
	defer e.mu.Unlock()
	var found []*lead.SentMessage
	for _, id := range ids {
		m, err := e.st.Sent(id)
		if err != nil {
			return 0, fmt.Errorf("outreach: settle %s: %w", id, err)
		}
		if m.State == lead.SendUnknown { // not settled by hand meanwhile
			found = append(found, m)
		}
	}
	return e.recordFound(found)
}

// recordFound marks messages found in a Sent folder as sent and moves their sequences on.
// Callers hold the database's lock.
func (e *Engine) recordFound(found []*lead.SentMessage) (int, error) {
	var ens []*lead.Enrollment
	var msgs []*lead.SentMessage
	for _, m := range found {
		en, err := e.st.Enrollment(m.Campaign, m.LeadID)
		if err != nil {
			return 0, fmt.Errorf("outreach: settle %s: %w", m.MessageID, err)
		}
		at := m.StartedAt // the send log has it at this instant already, as unknown
		if en.State == lead.StateUnknown && en.Step == m.Step-1 {
			en.State = lead.StateActive
			advance(e.campaigns[m.Campaign], en, m, m.Mailbox, at)
			if !en.NextAt.IsZero() && en.NextAt.Before(e.now()) {
				en.NextAt = e.now()
			}
			ens = append(ens, en)
		} else {
			m.State, m.SentAt, m.Error = lead.SendSent, at, "" // the sequence moved on since
		}
		msgs = append(msgs, m)
		e.log.Info("settled a step of unknown outcome", "campaign", m.Campaign, "lead", m.LeadID, "step", m.Step,
			"message_id", m.MessageID)
	}
	if len(msgs) == 0 {
		return 0, nil
	}
	if err := e.st.OutreachCommit(ens, msgs, nil); err != nil {
		return 0, fmt.Errorf("outreach: record settled steps: %w", err)
	}
	return len(msgs), nil
}
