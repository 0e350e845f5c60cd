package store

import (
	"bytes"
	"fmt"
	"time"

	"github.com/clientele/clientele/lead"
)

// KindAction is the kind of an event that records something the user did to a lead
// (an outcome set, sequences stopped, a reply's kind corrected), so the lead's timeline
// shows it next to the messages.
const KindAction lead.Kind = "action"

// SetOutcome records where the conversation with a lead went, stops its sequences when
// the outcome says no, and records both as an action in its timeline, in one transaction.
// It returns how many sequences it stopped.
func (t *Tx) SetOutcome(id lead.ID, o lead.Outcome) (int, error) {
	if !o.Valid() {
		return 0, fmt.Errorf("store: set outcome of lead %d: %w: outcome %q", id, ErrInvalid, o)
	}
	l, err := t.getLead(id)
	if err != nil {
		return 0, fmt.Errorf("store: set outcome of lead %d: %w", id, err)
	}
	old := *l
	l.Outcome = o
	l.UpdatedAt = t.now()
	if err := t.writeLead(&old, l); err != nil {
		return 0, fmt.Errorf("store: set outcome of lead %d: %w", id, err)
	}
	text := "outcome set to " + string(o)
	if o == lead.OutcomeNone {
		text = "outcome cleared"
	}
	stopped := 0
	if o.StopsSequences() {
		if stopped, err = t.StopEnrollments(id, "outcome "+string(o)); err != nil {
			return 0, err
		}
		if stopped > 0 {
			text += fmt.Sprintf("; %d sequence(s) stopped", stopped)
		}
	}
	return stopped, t.RecordAction(id, text)
}

// SetOutcome records an outcome; see Tx.SetOutcome.
func (db *DB) SetOutcome(id lead.ID, o lead.Outcome) (n int, err error) {
	err = db.Update(func(t *Tx) error { n, err = t.SetOutcome(id, o); return err })
	return n, err
}

// RecordAction adds an action event to a lead's timeline.
func (t *Tx) RecordAction(id lead.ID, text string) error {
	return t.AddEvent(&lead.Event{LeadID: id, Kind: KindAction, Snippet: text})
}

// RecordAction adds an action event to a lead's timeline.
func (db *DB) RecordAction(id lead.ID, text string) error {
	return db.Update(func(t *Tx) error { return t.RecordAction(id, text) })
}

// SetEventKind changes the kind of a received message's event (a correction of its
// classification), keeping everything else about it.
func (t *Tx) SetEventKind(id uint64, k lead.Kind) error {
	e, err := t.Event(id)
	if err != nil {
		return err
	}
	if e.Kind == KindAction {
		return fmt.Errorf("store: event %d records an action, not a message: %w", id, ErrInvalid)
	}
	if err := t.indexEventKind(e, false); err != nil {
		return err
	}
	e.Kind = k
	if err := t.indexEventKind(e, true); err != nil {
		return err
	}
	if err := t.putJSON(bucketEvents, u64Key(id), e); err != nil {
		return fmt.Errorf("store: event %d: %w", id, err)
	}
	return nil
}

// SetEventKind changes the kind of a received message's event; see Tx.SetEventKind.
func (db *DB) SetEventKind(id uint64, k lead.Kind) error {
	return db.Update(func(t *Tx) error { return t.SetEventKind(id, k) })
}

// ReopenAfterReply undoes what a reply did to a lead once the user said it was not one
// (an auto-reply read as a reply): the status goes back to contacted (or new) and the
// sequences stopped because of it go on from where they stopped, due now. Sequences
// stopped for another reason stay stopped, and nothing is reopened while another event
// of the lead (a reply, bounce, complaint, unsubscribe) or its outcome still says stop.
// It returns how many sequences it reopened.
func (t *Tx) ReopenAfterReply(id lead.ID) (int, error) {
	l, err := t.getLead(id)
	if err != nil {
		return 0, fmt.Errorf("store: reopen lead %d: %w", id, err)
	}
	events, err := t.EventsOf(id)
	if err != nil {
		return 0, err
	}
	for _, e := range events {
		switch e.Kind {
		case lead.KindReply, lead.KindBounce, lead.KindComplaint, lead.KindUnsubscribe:
			return 0, nil // something else stopped it
		}
	}
	if l.Outcome.StopsSequences() {
		return 0, nil
	}
	if suppressed, err := t.IsSuppressed(l.Email); err != nil || suppressed {
		return 0, err
	}
	sent, err := t.SentOf(id)
	if err != nil {
		return 0, err
	}
	if l.Status == lead.StatusReplied {
		old := *l
		l.Status = lead.StatusNew
		for _, m := range sent {
			if m.State == lead.SendSent || m.State == lead.SendUnknown {
				l.Status = lead.StatusContacted
			}
		}
		l.UpdatedAt = t.now()
		if err := t.writeLead(&old, l); err != nil {
			return 0, fmt.Errorf("store: reopen lead %d: %w", id, err)
		}
	} else if l.Status.Final() {
		return 0, nil
	}
	ens, err := t.EnrollmentsOf(id)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, e := range ens {
		if e.State != lead.StateStopped || e.Reason != "replied" {
			continue
		}
		old := *e
		e.State, e.Reason, e.NextAt = reopened(e, sent, t.now())
		e.Before = nil
		e.UpdatedAt = t.now()
		if err := t.writeEnrollment(&old, e); err != nil {
			return n, fmt.Errorf("store: reopen enrolment %s/%d: %w", e.Campaign, id, err)
		}
		n++
	}
	return n, nil
}

// reopened is the state, reason and due time a stopped enrolment goes back to: what it had
// before the stop. An enrolment stopped before that was recorded goes back to active and due
// now, unless the step after the ones it counts went out with a fate nobody knows: that
// step stays unknown, never resent on its own.
func reopened(e *lead.Enrollment, sent []*lead.SentMessage, now time.Time) (lead.State, string, time.Time) {
	if b := e.Before; b != nil {
		if b.State == lead.StateUnknown {
			return lead.StateUnknown, "reopened: the step's delivery is not known; settle it", time.Time{}
		}
		if b.NextAt.After(now) {
			return lead.StateActive, "", b.NextAt
		}
		return lead.StateActive, "", now
	}
	for _, m := range sent {
		if m.Campaign == e.Campaign && m.Step == e.Step+1 && m.State == lead.SendUnknown {
			return lead.StateUnknown, "reopened: the step's delivery is not known; settle it", time.Time{}
		}
	}
	return lead.StateActive, "", now
}

// ReopenAfterReply undoes what a mistaken reply did; see Tx.ReopenAfterReply.
func (db *DB) ReopenAfterReply(id lead.ID) (n int, err error) {
	err = db.Update(func(t *Tx) error { n, err = t.ReopenAfterReply(id); return err })
	return n, err
}

// EventsBefore returns up to n events with an id below before (0: the newest), newest
// first, keeping only those keep accepts, and the id to continue below (0 at the end).
// It reads events until the page is full, so a page of common kinds costs what it shows.
func (db *DB) EventsBefore(before uint64, n int, keep func(*lead.Event) bool) (out []lead.Event, next uint64, err error) {
	err = db.View(func(t *Tx) error {
		c := t.b(bucketEvents).Cursor()
		var k, v []byte
		if before == 0 {
			k, v = c.Last()
		} else if k, _ = c.Seek(u64Key(before)); k == nil {
			k, v = c.Last()
		} else {
			k, v = c.Prev()
		}
		for ; k != nil; k, v = c.Prev() {
			e, err := decodeJSON[lead.Event](bucketEvents, k, v)
			if err != nil {
				return err
			}
			if !keep(e) {
				continue
			}
			if len(out) == n {
				next = out[len(out)-1].ID
				return nil
			}
			out = append(out, *e)
		}
		return nil
	})
	return out, next, err
}

// OutcomeCount is how many leads of a campaign reached an outcome, attributed to the last
// step each lead got.
type OutcomeCount struct {
	Campaign string
	Step     int
	Outcome  lead.Outcome
	Leads    int
}

// CountOutcomes counts, per campaign and step, the leads with each outcome. It reads the
// outcome index and those leads' enrolments only, so it costs the leads that have one.
func (db *DB) CountOutcomes() ([]OutcomeCount, error) {
	if !db.searchBuilt() {
		if err := db.buildSearchIndex(); err != nil {
			return nil, err
		}
	}
	type key struct {
		campaign string
		step     int
		outcome  lead.Outcome
	}
	counts := map[key]int{}
	var order []key
	err := db.View(func(t *Tx) error {
		b := t.tx.Bucket(bucketLeadSearch)
		if b == nil {
			return nil
		}
		c := b.Cursor()
		prefix := []byte{searchOutcome}
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			if len(k) < 10 {
				continue
			}
			o := lead.Outcome(k[1 : len(k)-9])
			ens, err := t.EnrollmentsOf(tailID(k))
			if err != nil {
				return err
			}
			for _, e := range ens {
				kk := key{e.Campaign, e.Step, o}
				if counts[kk] == 0 {
					order = append(order, kk)
				}
				counts[kk]++
			}
		}
		return nil
	})
	out := make([]OutcomeCount, 0, len(order))
	for _, k := range order {
		out = append(out, OutcomeCount{Campaign: k.campaign, Step: k.step, Outcome: k.outcome, Leads: counts[k]})
	}
	return out, err
}
