package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"

	"github.com/clientele/clientele/lead"
	"go.etcd.io/bbolt"
)

// ForgetLead erases a person, for a data-protection request: when the address is the
// lead's primary or only one, the whole lead goes, with its enrolments, messages and
// events; when it is a secondary address of a lead that stays, the address is removed from
// it. Either way every enrolment, message record, event and kept text (text.go) that
// mentions the address is deleted, and the address is suppressed with reason "forget" so it is never written to
// again. If no lead had the address the rest is still done and the error wraps ErrNotFound.
//
// bbolt leaves the bytes of deleted records in the pages it frees, so afterwards every free
// page is overwritten (see overwriteFreePages): the address is gone from the file itself,
// not only from the records.
func (db *DB) ForgetLead(email string) error {
	e := lead.NormalizeEmail(email)
	if e == "" {
		return fmt.Errorf("store: forget %q: %w", email, ErrInvalid)
	}
	found := false
	err := db.Update(func(t *Tx) error {
		found = false
		if err := t.Suppress(e, "forget"); err != nil {
			return err
		}
		if id := t.emailOwner(e); id != 0 {
			found = true
			if err := t.forgetInLead(id, e); err != nil {
				return err
			}
		}
		return t.scrubAddress(e)
	})
	if err != nil {
		return fmt.Errorf("store: forget %s: %w", e, err)
	}
	if err := db.overwriteFreePages(); err != nil {
		return fmt.Errorf("store: forget %s: overwrite freed pages: %w", e, err)
	}
	if !found {
		return fmt.Errorf("store: forget %s: no lead has it: %w", e, ErrNotFound)
	}
	return nil
}

// forgetInLead deletes lead id when e is its primary or only address, else removes e from it.
func (t *Tx) forgetInLead(id lead.ID, e string) error {
	l, err := t.getLead(id)
	if err != nil {
		return err
	}
	if l.Email != e && len(l.Emails) > 1 {
		m := *l
		m.Emails = slices.DeleteFunc(slices.Clone(l.Emails), func(x string) bool { return x == e })
		m.Extra = scrubExtra(l.Extra, e)
		m.UpdatedAt = t.now()
		return t.writeLead(l, &m)
	}
	return t.deleteLeadAndRecords(l)
}

// deleteLeadAndRecords deletes a lead with its enrolments, message records and events.
func (t *Tx) deleteLeadAndRecords(l *lead.Lead) error {
	id := l.ID
	es, err := t.EnrollmentsOf(id)
	if err != nil {
		return err
	}
	for _, en := range es {
		if err := t.deleteEnrollment(en); err != nil {
			return err
		}
	}
	ms, err := t.SentOf(id)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if err := t.deleteSent(m); err != nil {
			return err
		}
	}
	evs, err := t.EventsOf(id)
	if err != nil {
		return err
	}
	for i := range evs {
		if err := t.deleteEvent(&evs[i]); err != nil {
			return err
		}
	}
	return t.deleteLead(l)
}

// scrubExtra returns extra without the values that mention e.
func scrubExtra(extra map[string]string, e string) map[string]string {
	out := make(map[string]string, len(extra))
	for k, v := range extra {
		if !strings.Contains(strings.ToLower(v), e) {
			out[k] = v
		}
	}
	return out
}

// mentions reports whether a stored value contains the (lower-case) address.
func mentions(v []byte, e string) bool { return bytes.Contains(bytes.ToLower(v), []byte(e)) }

// scrubAddress deletes every enrolment, message record, event and kept text that mentions
// e, and e from other leads' Extra values. It reads whole buckets: forgetting is rare, and must be
// complete.
func (t *Tx) scrubAddress(e string) error {
	var ens []*lead.Enrollment
	var ms []*lead.SentMessage
	var evs []*lead.Event
	var ls []*lead.Lead
	collect := func(bucket []byte, each func(k, v []byte) error) error {
		return t.b(bucket).ForEach(func(k, v []byte) error {
			if !mentions(v, e) {
				return nil
			}
			return each(k, v)
		})
	}
	err := collect(bucketEnrollments, func(k, v []byte) error {
		x, err := decodeJSON[lead.Enrollment](bucketEnrollments, k, v)
		ens = append(ens, x)
		return err
	})
	if err == nil {
		err = collect(bucketSent, func(k, v []byte) error {
			x, err := decodeJSON[lead.SentMessage](bucketSent, k, v)
			ms = append(ms, x)
			return err
		})
	}
	if err == nil {
		err = collect(bucketEvents, func(k, v []byte) error {
			x, err := decodeJSON[lead.Event](bucketEvents, k, v)
			evs = append(evs, x)
			return err
		})
	}
	if err == nil {
		err = collect(bucketLeads, func(k, v []byte) error {
			x, err := decodeJSON[lead.Lead](bucketLeads, k, v)
			ls = append(ls, x)
			return err
		})
	}
	if err != nil {
		return err
	}
	for _, x := range ens {
		if err := t.deleteEnrollment(x); err != nil {
			return err
		}
	}
	for _, x := range ms {
		if err := t.deleteSent(x); err != nil {
			return err
		}
	}
	for _, x := range evs {
		if err := t.deleteEvent(x); err != nil {
			return err
		}
	}
	if err := t.scrubTexts(e); err != nil {
		return err
	}
	for _, x := range ls {
		m := *x
		m.Extra = scrubExtra(x.Extra, e)
		if err := t.writeLead(x, &m); err != nil {
			return err
		}
	}
	return nil
}

// scrubBucket is a temporary bucket whose filler takes every free page, so the old bytes
// of deleted records are overwritten; it is deleted right after.
var scrubBucket = []byte("scrub")

// overwriteFreePages writes zero-filled filler over the file's free pages, commits it, and
// deletes it again. bbolt allocates from free pages first, so filler as large as the free
// space lands on them. Pages still held for an open read transaction are overwritten by a
// later forget or by ordinary writes.
func (db *DB) overwriteFreePages() error {
	pageSize := db.bolt.Info().PageSize
	// A write transaction releases pages freed by finished transactions when it begins, so
	// the free page count is read inside one.
	err := db.bolt.Update(func(tx *bbolt.Tx) error {
		st := db.bolt.Stats()
		free := st.FreePageN + st.PendingPageN
		if free == 0 {
			return nil
		}
		b, err := tx.CreateBucketIfNotExists(scrubBucket)
		if err != nil {
			return err
		}
		b.FillPercent = 1
		filler := make([]byte, pageSize/4)
		// About four values fill a page; twice the free space covers headers and rounding.
		for i := 0; i < free*8; i++ {
			if err := b.Put(binary.BigEndian.AppendUint64(nil, uint64(i)), filler); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return db.bolt.Update(func(tx *bbolt.Tx) error {
		if tx.Bucket(scrubBucket) == nil {
			return nil
		}
		return tx.DeleteBucket(scrubBucket)
	})
}
