package store

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/clientele/clientele/lead"
)

// The compound changes of the outreach engine: each is one transaction, which is what makes
// a send exactly-once and an unsubscribe take effect before the HTTP answer.

// OutreachCommit stores a batch of the send pass in one transaction:
//
//   - msgs, the message records; a message in state sent is also written to its mailbox's
//     send log and its lead marked contacted; one in state unknown is written to the send
//     log too (it may have gone out, and limits must not undercount);
//   - ens, the enrolments (their intents, outcomes and new enrolments);
//   - bounces, events of hard bounces: for each, the lead is marked bounced, the address of
//     its enrolment in the event's campaign suppressed, every live sequence of the lead
//     stopped, and the event stored.
//
// The send pass commits the intents of a batch of messages (enrolments marked sending with
// their records) before the SMTP transactions, together with the outcomes of the previous
// batch.
func (db *DB) OutreachCommit(ens []*lead.Enrollment, msgs []*lead.SentMessage, bounces []*lead.Event) error {
	return db.Update(func(t *Tx) error {
		for _, m := range msgs {
			if err := t.putOutreachSent(m); err != nil {
				return err
			}
			switch m.State {
			case lead.SendSent:
				if err := t.RecordSend(m.Mailbox, m.SentAt, m.MessageID); err != nil {
					return err
				}
				if m.Step == 1 { // later steps find the lead contacted already
					if err := t.SetStatus(m.LeadID, lead.StatusContacted); err != nil {
						return err
					}
				}
			case lead.SendUnknown:
				if err := t.RecordSend(m.Mailbox, m.StartedAt, m.MessageID); err != nil {
					return err
				}
			}
		}
		for _, e := range ens {
			if err := t.putOutreachEnrollment(e); err != nil {
				return err
			}
		}
		for _, ev := range bounces {
			e, err := t.Enrollment(ev.Campaign, ev.LeadID)
			if err != nil {
				return fmt.Errorf("store: bounce of lead %d: %w", ev.LeadID, err)
			}
			if err := t.SetStatus(ev.LeadID, lead.StatusBounced); err != nil {
				return err
			}
			if e.Email != "" {
				if err := t.Suppress(e.Email, "bounce"); err != nil {
					return err
				}
			}
			if _, err := t.StopEnrollments(ev.LeadID, "bounced"); err != nil {
				return err
			}
			if err := t.AddEvent(ev); err != nil {
				return err
			}
		}
		return nil
	})
}

// putOutreachEnrollment is PutEnrollment for an enrolment this batch already wrote once
// (its intent): the lead is known to exist and the address is normalised, so only the
// record and its index entries are rewritten. A new enrolment takes the full path.
func (t *Tx) putOutreachEnrollment(e *lead.Enrollment) error {
	old, err := t.getEnrollment(enrollKey(e.Campaign, e.LeadID))
	if errors.Is(err, ErrNotFound) && e.LeadID != 0 && e.Campaign != "" && strings.IndexByte(e.Campaign, sep) < 0 &&
		t.exists(bucketLeads, idKey(e.LeadID)) {
		// A new enrolment of a lead that exists: PutEnrollment without reading the lead
		// and the enrolment once more.
		if err := normalizeEnrollment(e); err != nil {
			return err
		}
		if e.Live() && e.Email == "" {
			return fmt.Errorf("store: put enrolment %s/%d: %w: a live enrolment needs an address", e.Campaign, e.LeadID, ErrInvalid)
		}
		now := t.now()
		if e.EnrolledAt.IsZero() {
			e.EnrolledAt = now
		}
		e.UpdatedAt = now
		if err := t.writeEnrollment(nil, e); err != nil {
			return fmt.Errorf("store: put enrolment %s/%d: %w", e.Campaign, e.LeadID, err)
		}
		return nil
	}
	if errors.Is(err, ErrNotFound) || (err == nil && old.Email != e.Email) {
		return t.PutEnrollment(e)
	}
	if err != nil {
		return fmt.Errorf("store: put enrolment %s/%d: %w", e.Campaign, e.LeadID, err)
	}
	if !validState(e.State) {
		return fmt.Errorf("store: put enrolment %s/%d: %w: state %q", e.Campaign, e.LeadID, ErrInvalid, e.State)
	}
	if e.Domain == "" {
		e.Domain = old.Domain
	}
	e.EnrolledAt = old.EnrolledAt
	e.UpdatedAt = t.now()
	if err := t.writeEnrollment(old, e); err != nil {
		return fmt.Errorf("store: put enrolment %s/%d: %w", e.Campaign, e.LeadID, err)
	}
	return nil
}

// putOutreachSent is PutSent for the records of the send pass. A record it rewrites (an
// intent now answered) is filed under the same lead already: finding that index entry
// shows it without decoding the old record, which PutSent does to move the entry.
func (t *Tx) putOutreachSent(m *lead.SentMessage) error {
	k := msgKey(m.MessageID)
	if len(k) == 0 || m.LeadID == 0 || m.StartedAt.IsZero() || !t.exists(bucketSentLead, join(idKey(m.LeadID), k)) {
		return t.PutSent(m)
	}
	if err := t.putJSON(bucketSent, k, m); err != nil {
		return fmt.Errorf("store: put sent message %s: %w", k, err)
	}
	return t.putSentText(m)
}

// exists reports whether bucket holds key k, whatever its value (index entries have none).
func (t *Tx) exists(bucket, k []byte) bool {
	got, _ := t.b(bucket).Cursor().Seek(k)
	return got != nil && bytes.Equal(got, k)
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

// OutreachUnsent records, in one transaction, that a step of unknown outcome did not go
// out after all (a person checked): m (now failed) and en are stored, and m leaves its
// mailbox's send log, where it was counted while its fate was unknown, so limits stop
// counting a message that was never sent.
func (db *DB) OutreachUnsent(en *lead.Enrollment, m *lead.SentMessage) error {
	return db.Update(func(t *Tx) error {
		if err := t.PutSent(m); err != nil {
			return err
		}
		if err := t.unrecordSend(m.Mailbox, m.StartedAt, m.MessageID); err != nil {
			return err
		}
		return t.putOutreachEnrollment(en)
	})
}

// unrecordSend removes messageID from a mailbox's send log, where RecordSend put it at
// at or, when that instant was taken, a few nanoseconds later. It is no error when the
// message is not there.
func (t *Tx) unrecordSend(mailbox string, at time.Time, messageID string) error {
	b := t.mailboxLog(mailbox)
	if b == nil {
		return nil
	}
	end := timeKey(at.Add(time.Second))
	c := b.Cursor()
	for k, v := c.Seek(timeKey(at)); k != nil && bytes.Compare(k, end) < 0; k, v = c.Next() {
		if string(v) == messageID {
			if err := c.Delete(); err != nil {
				return fmt.Errorf("store: remove %s from the send log of %s: %w", messageID, mailbox, err)
			}
			return nil
		}
	}
	return nil
}
