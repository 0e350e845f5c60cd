package store

import (
	"fmt"

	"github.com/clientele/clientele/lead"
)

// The kind index lets the inbox list the messages of one kind, newest first, at the cost
// of the page it shows even when that kind is rare.
//
//	event_kind/                       created on first use
//	  <kind>·<event id>               → nil
//	  built                           → 1 once the events stored before it are indexed
//
// AddEvent, deleteEvent and SetEventKind keep it, once it is built.
var (
	bucketEventKind   = []byte("event_kind")
	keyEventKindBuilt = []byte("built")
)

func eventKindKey(e *lead.Event) []byte { return join(string(e.Kind), u64Key(e.ID)) }

// indexEventKind adds or removes e's entry, when the index is kept.
func (t *Tx) indexEventKind(e *lead.Event, add bool) error {
	b := t.tx.Bucket(bucketEventKind)
	if b == nil || b.Get(keyEventKindBuilt) == nil {
		return nil
	}
	if add {
		return b.Put(eventKindKey(e), nil)
	}
	return b.Delete(eventKindKey(e))
}

// buildEventKinds indexes every stored event, in one transaction.
func (db *DB) buildEventKinds() error {
	err := db.Update(func(t *Tx) error {
		if b := t.tx.Bucket(bucketEventKind); b != nil {
			if b.Get(keyEventKindBuilt) != nil {
				return nil
			}
			if err := t.tx.DeleteBucket(bucketEventKind); err != nil {
				return err
			}
		}
		b, err := t.tx.CreateBucket(bucketEventKind)
		if err != nil {
			return err
		}
		c := t.b(bucketEvents).Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			e, err := decodeJSON[lead.Event](bucketEvents, k, v)
			if err != nil {
				return err
			}
			if err := b.Put(eventKindKey(e), nil); err != nil {
				return err
			}
		}
		return b.Put(keyEventKindBuilt, []byte{1})
	})
	if err != nil {
		return fmt.Errorf("store: index events by kind: %w", err)
	}
	return nil
}

// EventsOfKind returns up to n events of kind k with an id below before (0: the newest),
// newest first, and the id to continue below (0 at the end), reading only those events.
func (db *DB) EventsOfKind(k lead.Kind, before uint64, n int) (out []lead.Event, next uint64, err error) {
	built := false
	_ = db.View(func(t *Tx) error {
		b := t.tx.Bucket(bucketEventKind)
		built = b != nil && b.Get(keyEventKindBuilt) != nil
		return nil
	})
	if !built {
		if err := db.buildEventKinds(); err != nil {
			return nil, 0, err
		}
	}
	err = db.View(func(t *Tx) error {
		prefix := join(string(k), []byte{})
		// The keys end in an 8-byte id like the lead indexes' do, so walkDesc serves.
		return walkDesc(t.tx.Bucket(bucketEventKind), prefix, lead.ID(before), func(id lead.ID) (bool, error) {
			e, err := t.getEvent(u64Key(uint64(id)))
			if err == ErrNotFound {
				return true, nil
			}
			if err != nil {
				return false, err
			}
			if len(out) == n {
				next = out[len(out)-1].ID
				return false, nil
			}
			out = append(out, *e)
			return true, nil
		})
	})
	return out, next, err
}
