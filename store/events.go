package store

import (
	"bytes"
	"fmt"

	"github.com/clientele/clientele/lead"
)

// getEvent reads one event by its key; ErrNotFound when absent.
func (t *Tx) getEvent(k []byte) (*lead.Event, error) {
	v := t.b(bucketEvents).Get(k)
	if v == nil {
		return nil, ErrNotFound
	}
	return decodeJSON[lead.Event](bucketEvents, k, v)
}

// AddEvent records something that happened, assigning e.ID from a sequence (so IDs follow
// the order events were recorded) and setting Time to now when it is zero. e.Text, when
// set, is kept apart under the event's id (text.go).
func (t *Tx) AddEvent(e *lead.Event) error {
	seq, err := t.b(bucketEvents).NextSequence()
	if err != nil {
		return fmt.Errorf("store: add event: %w", err)
	}
	e.ID = seq
	if e.Time.IsZero() {
		e.Time = t.now()
	}
	k := u64Key(e.ID)
	if e.LeadID != 0 {
		if err := t.b(bucketEventLead).Put(join(idKey(e.LeadID), k), nil); err != nil {
			return fmt.Errorf("store: add event: %w", err)
		}
	}
	if err := t.putJSON(bucketEvents, k, e); err != nil {
		return fmt.Errorf("store: add event: %w", err)
	}
	if err := t.indexEventKind(e, true); err != nil {
		return fmt.Errorf("store: add event: %w", err)
	}
	return t.putEventText(e)
}

// AddEvent records something that happened; see Tx.AddEvent.
func (db *DB) AddEvent(e *lead.Event) error {
	return db.Update(func(t *Tx) error { return t.AddEvent(e) })
}

// deleteEvent removes an event and its index entries.
func (t *Tx) deleteEvent(e *lead.Event) error {
	if err := t.indexEventKind(e, false); err != nil {
		return err
	}
	k := u64Key(e.ID)
	if err := t.deleteText(bucketEventText, k); err != nil {
		return err
	}
	if e.LeadID != 0 {
		if err := t.b(bucketEventLead).Delete(join(idKey(e.LeadID), k)); err != nil {
			return err
		}
	}
	if m := msgKey(e.MessageID); len(m) > 0 && bytes.Equal(t.b(bucketEventMsg).Get(m), k) {
		if err := t.b(bucketEventMsg).Delete(m); err != nil {
			return err
		}
	}
	return t.b(bucketEvents).Delete(k)
}

// Event returns one event by its ID, or an error wrapping ErrNotFound.
func (t *Tx) Event(id uint64) (*lead.Event, error) {
	e, err := t.getEvent(u64Key(id))
	if err != nil {
		return nil, fmt.Errorf("store: event %d: %w", id, err)
	}
	return e, nil
}

// Event returns one event by its ID; see Tx.Event.
func (db *DB) Event(id uint64) (e *lead.Event, err error) {
	err = db.View(func(t *Tx) error { e, err = t.Event(id); return err })
	return e, err
}

// EventsOf returns a lead's events, oldest first.
func (t *Tx) EventsOf(id lead.ID) ([]lead.Event, error) {
	var out []lead.Event
	prefix := idKey(id)
	c := t.b(bucketEventLead).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		e, err := t.getEvent(k[8:])
		if err != nil {
			return nil, fmt.Errorf("store: events of lead %d: %w", id, err)
		}
		out = append(out, *e)
	}
	return out, nil
}

// EventsOf returns a lead's events, oldest first.
func (db *DB) EventsOf(id lead.ID) (es []lead.Event, err error) {
	err = db.View(func(t *Tx) error { es, err = t.EventsOf(id); return err })
	return es, err
}

// RecentEvents returns up to n events, newest first, for status pages.
func (t *Tx) RecentEvents(n int) ([]lead.Event, error) {
	var out []lead.Event
	c := t.b(bucketEvents).Cursor()
	for k, v := c.Last(); k != nil && len(out) < n; k, v = c.Prev() {
		e, err := decodeJSON[lead.Event](bucketEvents, k, v)
		if err != nil {
			return nil, err
		}
		out = append(out, *e)
	}
	return out, nil
}

// RecentEvents returns up to n events, newest first.
func (db *DB) RecentEvents(n int) (es []lead.Event, err error) {
	err = db.View(func(t *Tx) error { es, err = t.RecentEvents(n); return err })
	return es, err
}

// ForEachEvent calls fn for every event, oldest first, outside any transaction.
func (db *DB) ForEachEvent(fn func(lead.Event) error) error {
	return scanPages(db, bucketEvents, nil, func(_ *Tx, k, v []byte) (lead.Event, bool, error) {
		e, err := decodeJSON[lead.Event](bucketEvents, k, v)
		if err != nil {
			return lead.Event{}, false, err
		}
		return *e, true, nil
	}, fn)
}
