package store

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/clientele/clientele/lead"
)

// The compound changes of the outreach engine: each is one transaction, which is what makes
// a send exactly-once and an unsubscribe take effect before the HTTP answer.

// OutreachSave stores an enrolment and the record of one of its messages together: the
// intent (state sending, with the Message-ID) before the SMTP transaction, or an outcome
// that does not move the sequence on (deferred, unknown, refused).
func (db *DB) OutreachSave(e *lead.Enrollment, m *lead.SentMessage) error {
	return db.Update(func(t *Tx) error {
		if err := t.PutSent(m); err != nil {
			return err
		}
		return t.PutEnrollment(e)
	})
}

// OutreachSent records a message the server accepted: the message marked sent, the
// enrolment moved on, the mailbox's send log (for limits) and the lead contacted.
func (db *DB) OutreachSent(e *lead.Enrollment, m *lead.SentMessage) error {
	return db.Update(func(t *Tx) error {
		if err := t.PutSent(m); err != nil {
			return err
		}
		if err := t.PutEnrollment(e); err != nil {
			return err
		}
		if err := t.RecordSend(m.Mailbox, m.SentAt, m.MessageID); err != nil {
			return err
		}
		return t.SetStatus(e.LeadID, lead.StatusContacted)
	})
}

// OutreachBounced records a permanent refusal of a recipient: the message failed, the lead
// bounced, the address suppressed, every live sequence of the lead stopped, and the event.
func (db *DB) OutreachBounced(e *lead.Enrollment, m *lead.SentMessage, ev *lead.Event) error {
	return db.Update(func(t *Tx) error {
		if err := t.PutSent(m); err != nil {
			return err
		}
		if err := t.PutEnrollment(e); err != nil {
			return err
		}
		if err := t.SetStatus(e.LeadID, lead.StatusBounced); err != nil {
			return err
		}
		if err := t.Suppress(e.Email, "bounce"); err != nil {
			return err
		}
		if _, err := t.StopEnrollments(e.LeadID, "bounced"); err != nil {
			return err
		}
		return t.AddEvent(ev)
	})
}

// OutreachOptOut suppresses an address, marks its lead unsubscribed, stops every live
// sequence of the lead and records the event, in one transaction.
func (db *DB) OutreachOptOut(id lead.ID, email string, ev *lead.Event) error {
	return db.Update(func(t *Tx) error {
		if err := t.Suppress(email, "unsubscribe"); err != nil {
			return err
		}
		if err := t.SetStatus(id, lead.StatusUnsubscribed); err != nil {
			return err
		}
		if _, err := t.StopEnrollments(id, "unsubscribed"); err != nil {
			return err
		}
		return t.AddEvent(ev)
	})
}

// LeadsAfter calls fn for every lead in status s whose ID is above after, in ID order,
// reading pageSize entries of the status index per transaction from there and calling fn
// outside it. An error from fn stops the walk and is returned as is. It lets a scan resume
// where it stopped, so its cost does not grow with the leads before that point.
func (db *DB) LeadsAfter(s lead.Status, after lead.ID, fn func(*lead.Lead) error) error {
	if !s.Valid() {
		return fmt.Errorf("store: leads with status %q: %w", s, ErrInvalid)
	}
	prefix := join(string(s), []byte{})
	from := join(string(s), idKey(after))
	for {
		var page []*lead.Lead
		more := false
		err := db.View(func(t *Tx) error {
			c := t.b(bucketLeadStatus).Cursor()
			k, _ := c.Seek(from)
			if k != nil && bytes.Equal(k, from) {
				k, _ = c.Next()
			}
			for ; k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
				if len(page) == pageSize {
					more = true
					break
				}
				from = clone(k)
				l, err := t.getLead(tailID(k))
				if errors.Is(err, ErrNotFound) {
					continue
				}
				if err != nil {
					return err
				}
				page = append(page, l)
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("store: leads with status %s after %d: %w", s, after, err)
		}
		for _, l := range page {
			if err := fn(l); err != nil {
				return err
			}
		}
		if !more {
			return nil
		}
	}
}
