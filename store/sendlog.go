package store

import (
	"bytes"
	"fmt"
	"time"

	"go.etcd.io/bbolt"
)

// The send log records every message a mailbox really handed to its SMTP server, so daily
// limits, minimum intervals and warm-up ramps hold across restarts.

// mailboxLog returns a mailbox's bucket in the send log, nil if it never sent.
func (t *Tx) mailboxLog(mailbox string) *bbolt.Bucket {
	return t.b(bucketSendLog).Bucket([]byte(mailbox))
}

// RecordSend notes that mailbox sent messageID at at. Recording the same message at the
// same instant twice is harmless; two messages at the same nanosecond both count.
func (t *Tx) RecordSend(mailbox string, at time.Time, messageID string) error {
	if mailbox == "" {
		return fmt.Errorf("store: record send: %w: empty mailbox", ErrInvalid)
	}
	b, err := t.b(bucketSendLog).CreateBucketIfNotExists([]byte(mailbox))
	if err != nil {
		return fmt.Errorf("store: record send for %s: %w", mailbox, err)
	}
	for {
		k := timeKey(at)
		v := b.Get(k)
		if v == nil {
			break
		}
		if string(v) == messageID {
			return nil
		}
		at = at.Add(time.Nanosecond)
	}
	if err := b.Put(timeKey(at), []byte(messageID)); err != nil {
		return fmt.Errorf("store: record send for %s: %w", mailbox, err)
	}
	return nil
}

// RecordSend notes a message really sent; see Tx.RecordSend.
func (db *DB) RecordSend(mailbox string, at time.Time, messageID string) error {
	return db.Update(func(t *Tx) error { return t.RecordSend(mailbox, at, messageID) })
}

// SendsBetween counts a mailbox's sends in [from, to).
func (t *Tx) SendsBetween(mailbox string, from, to time.Time) (int, error) {
	b := t.mailboxLog(mailbox)
	if b == nil {
		return 0, nil
	}
	end := timeKey(to)
	n := 0
	c := b.Cursor()
	for k, _ := c.Seek(timeKey(from)); k != nil && bytes.Compare(k, end) < 0; k, _ = c.Next() {
		n++
	}
	return n, nil
}

// SendsBetween counts a mailbox's sends in [from, to).
func (db *DB) SendsBetween(mailbox string, from, to time.Time) (n int, err error) {
	err = db.View(func(t *Tx) error { n, err = t.SendsBetween(mailbox, from, to); return err })
	return n, err
}

// LastSend returns when a mailbox last sent, false if never.
func (t *Tx) LastSend(mailbox string) (time.Time, bool, error) {
	if b := t.mailboxLog(mailbox); b != nil {
		if k, _ := b.Cursor().Last(); k != nil {
			return keyTime(k), true, nil
		}
	}
	return time.Time{}, false, nil
}

// LastSend returns when a mailbox last sent, false if never.
func (db *DB) LastSend(mailbox string) (at time.Time, ok bool, err error) {
	err = db.View(func(t *Tx) error { at, ok, err = t.LastSend(mailbox); return err })
	return at, ok, err
}

// FirstSend returns when a mailbox first sent, false if never; warm-up ramps count from it.
func (t *Tx) FirstSend(mailbox string) (time.Time, bool, error) {
	if b := t.mailboxLog(mailbox); b != nil {
		if k, _ := b.Cursor().First(); k != nil {
			return keyTime(k), true, nil
		}
	}
	return time.Time{}, false, nil
}

// FirstSend returns when a mailbox first sent, false if never.
func (db *DB) FirstSend(mailbox string) (at time.Time, ok bool, err error) {
	err = db.View(func(t *Tx) error { at, ok, err = t.FirstSend(mailbox); return err })
	return at, ok, err
}

// SendCounts returns how many messages each mailbox has sent in all, from the send log.
func (db *DB) SendCounts() (map[string]int, error) {
	counts := map[string]int{}
	err := db.View(func(t *Tx) error {
		return t.b(bucketSendLog).ForEachBucket(func(name []byte) error {
			counts[string(name)] = t.b(bucketSendLog).Bucket(name).Stats().KeyN
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("store: count sends: %w", err)
	}
	return counts, nil
}
