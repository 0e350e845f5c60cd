package store

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/clientele/clientele/lead"
)

// msgKey is the key of a Message-ID: without spaces and angle brackets, so "<x@y>" from an
// In-Reply-To header finds the message stored as "x@y" and the other way round.
func msgKey(id string) []byte {
	return []byte(strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(id), "<"), ">"))
}

// getSent reads a message record; ErrNotFound when absent.
func (t *Tx) getSent(k []byte) (*lead.SentMessage, error) {
	v := t.b(bucketSent).Get(k)
	if v == nil {
		return nil, ErrNotFound
	}
	return decodeJSON[lead.SentMessage](bucketSent, k, v)
}

// PutSent creates or replaces the record of a message we send, keyed by its Message-ID,
// and files it under its lead. StartedAt defaults to now.
func (t *Tx) PutSent(m *lead.SentMessage) error {
	k := msgKey(m.MessageID)
	if len(k) == 0 {
		return fmt.Errorf("store: put sent message: %w: empty Message-ID", ErrInvalid)
	}
	old, err := t.getSent(k)
	if err != nil && err != ErrNotFound {
		return fmt.Errorf("store: put sent message %s: %w", k, err)
	}
	if old != nil && old.LeadID != 0 && old.LeadID != m.LeadID {
		if err := t.b(bucketSentLead).Delete(join(idKey(old.LeadID), k)); err != nil {
			return fmt.Errorf("store: put sent message %s: %w", k, err)
		}
	}
	if m.StartedAt.IsZero() {
		m.StartedAt = t.now()
	}
	if m.LeadID != 0 {
		if err := t.b(bucketSentLead).Put(join(idKey(m.LeadID), k), nil); err != nil {
			return fmt.Errorf("store: put sent message %s: %w", k, err)
		}
	}
	if err := t.putJSON(bucketSent, k, m); err != nil {
		return fmt.Errorf("store: put sent message %s: %w", k, err)
	}
	return t.putSentText(m)
}

// PutSent creates or replaces a message record; see Tx.PutSent.
func (db *DB) PutSent(m *lead.SentMessage) error {
	return db.Update(func(t *Tx) error { return t.PutSent(m) })
}

// deleteSent removes a message record, its index entry and its text.
func (t *Tx) deleteSent(m *lead.SentMessage) error {
	k := msgKey(m.MessageID)
	if err := t.deleteText(bucketSentText, k); err != nil {
		return err
	}
	if m.LeadID != 0 {
		if err := t.b(bucketSentLead).Delete(join(idKey(m.LeadID), k)); err != nil {
			return err
		}
	}
	return t.b(bucketSent).Delete(k)
}

// Sent returns the record of a message by its Message-ID (with or without angle brackets),
// or an error wrapping ErrNotFound.
func (t *Tx) Sent(messageID string) (*lead.SentMessage, error) {
	m, err := t.getSent(msgKey(messageID))
	if err != nil {
		return nil, fmt.Errorf("store: sent message %s: %w", messageID, err)
	}
	return m, nil
}

// Sent returns the record of a message by its Message-ID; see Tx.Sent.
func (db *DB) Sent(messageID string) (m *lead.SentMessage, err error) {
	err = db.View(func(t *Tx) error { m, err = t.Sent(messageID); return err })
	return m, err
}

// SentOf returns the messages sent to a lead, oldest first.
func (t *Tx) SentOf(id lead.ID) ([]*lead.SentMessage, error) {
	var out []*lead.SentMessage
	prefix := idKey(id)
	c := t.b(bucketSentLead).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		m, err := t.getSent(k[8:])
		if err != nil {
			return nil, fmt.Errorf("store: messages of lead %d: %w", id, err)
		}
		out = append(out, m)
	}
	slices.SortStableFunc(out, func(a, b *lead.SentMessage) int { return a.StartedAt.Compare(b.StartedAt) })
	return out, nil
}

// SentOf returns the messages sent to a lead, oldest first.
func (db *DB) SentOf(id lead.ID) (ms []*lead.SentMessage, err error) {
	err = db.View(func(t *Tx) error { ms, err = t.SentOf(id); return err })
	return ms, err
}

// ForEachSent calls fn for every message record, by Message-ID, outside any transaction.
func (db *DB) ForEachSent(fn func(*lead.SentMessage) error) error {
	return scanPages(db, bucketSent, nil, func(_ *Tx, k, v []byte) (*lead.SentMessage, bool, error) {
		m, err := decodeJSON[lead.SentMessage](bucketSent, k, v)
		return m, true, err
	}, fn)
}
