package store

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/clientele/clientele/lead"
)

// ApplyReply applies what one incoming message does to the lead it was traced to, in one
// transaction: the status, the suppressions, the stop of every live sequence, the hold of
// the next steps and the event that records the message all commit together, or, on any
// error, none of them does. So a crash or a bad value half-way leaves no half-done action,
// and a message seen again (a rescan of a folder) is recognised by its event.
//
// A new event (ID 0) whose MessageID was acted on before, for any lead, is a duplicate:
// ApplyReply changes nothing and returns false. An event with an ID rewrites the stored
// one of the same lead (a corrected kind) and is never a duplicate. On success a.Event.ID,
// a.Stopped and a.Held tell what was written.
func (db *DB) ApplyReply(a *lead.ReplyAction) (applied bool, err error) {
	newEvent := a.Event.ID == 0
	err = db.Update(func(t *Tx) error { applied, err = t.ApplyReply(a); return err })
	if err != nil {
		a.Stopped, a.Held = 0, 0
		if newEvent {
			a.Event.ID = 0 // rolled back: nothing was stored under it
		}
		return false, err
	}
	return applied, nil
}

// ApplyReply applies a reply action inside a transaction; see DB.ApplyReply.
func (t *Tx) ApplyReply(a *lead.ReplyAction) (bool, error) {
	ev := &a.Event
	id := ev.LeadID
	a.Stopped, a.Held = 0, 0
	var old *lead.Event // the stored event a corrected kind rewrites
	if ev.ID == 0 {
		dup, err := t.seenMessage(id, ev.MessageID)
		if err != nil || dup {
			return false, err
		}
	} else {
		var err error
		old, err = t.getEvent(u64Key(ev.ID))
		if err != nil {
			return false, fmt.Errorf("store: apply reply: event %d: %w", ev.ID, err)
		}
		if old.LeadID != id || msgKeyString(old.MessageID) != msgKeyString(ev.MessageID) {
			return false, fmt.Errorf("store: apply reply: event %d: %w: it records another lead or message", ev.ID, ErrInvalid)
		}
	}
	if id == 0 {
		if a.Status != "" || len(a.Suppress) > 0 || a.Stop || !a.HoldUntil.IsZero() {
			return false, fmt.Errorf("store: apply reply: %w: an action needs a lead", ErrInvalid)
		}
	} else {
		l, err := t.getLead(id)
		if err != nil {
			return false, fmt.Errorf("store: apply reply to lead %d: %w", id, err)
		}
		if a.Status != "" && !(a.KeepFinal && l.Status.Final()) {
			if err := t.SetStatus(id, a.Status); err != nil {
				return false, err
			}
		}
	}
	for _, s := range a.Suppress {
		if err := t.Suppress(s, a.Reason); err != nil {
			return false, err
		}
	}
	if a.Stop {
		n, err := t.StopEnrollments(id, a.Reason)
		if err != nil {
			return false, err
		}
		a.Stopped = n
	}
	if !a.HoldUntil.IsZero() {
		n, err := t.holdEnrollments(id, a)
		if err != nil {
			return false, err
		}
		a.Held = n
	}
	if old != nil {
		if err := t.indexEventKind(old, false); err != nil {
			return false, err
		}
		if err := t.indexEventKind(ev, true); err != nil {
			return false, err
		}
		if err := t.putJSON(bucketEvents, u64Key(ev.ID), ev); err != nil {
			return false, fmt.Errorf("store: apply reply: rewrite event %d: %w", ev.ID, err)
		}
		return true, nil
	}
	if err := t.AddEvent(ev); err != nil {
		return false, err
	}
	if k := msgKey(ev.MessageID); len(k) > 0 {
		if err := t.b(bucketEventMsg).Put(k, u64Key(ev.ID)); err != nil {
			return false, fmt.Errorf("store: apply reply: index event %d: %w", ev.ID, err)
		}
	}
	return true, nil
}

// holdEnrollments moves the next step of the lead's active sequences that is due before
// a.HoldUntil to it: the person said they are away until then.
func (t *Tx) holdEnrollments(id lead.ID, a *lead.ReplyAction) (int, error) {
	es, err := t.EnrollmentsOf(id)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, e := range es {
		if e.State != lead.StateActive || e.NextAt.IsZero() || !e.NextAt.Before(a.HoldUntil) {
			continue
		}
		e.NextAt = a.HoldUntil
		e.Hold = &lead.Hold{Until: a.HoldUntil, Step: e.Step}
		if err := t.PutEnrollment(e); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// seenMessage reports whether an incoming message was acted on before: by the Message-ID
// index, or (for events recorded before the index existed) among the lead's own events.
func (t *Tx) seenMessage(id lead.ID, messageID string) (bool, error) {
	k := msgKey(messageID)
	if len(k) == 0 {
		return false, nil
	}
	if v := t.b(bucketEventMsg).Get(k); v != nil {
		if _, err := t.getEvent(v); err == nil {
			return true, nil
		} else if !errors.Is(err, ErrNotFound) {
			return false, err
		}
	}
	if id == 0 {
		return false, nil
	}
	evs, err := t.EventsOf(id)
	if err != nil {
		return false, err
	}
	for _, e := range evs {
		if bytes.Equal(msgKey(e.MessageID), k) {
			return true, nil
		}
	}
	return false, nil
}

// msgKeyString is msgKey as a string, for comparing two Message-IDs however written.
func msgKeyString(id string) string { return string(msgKey(id)) }
