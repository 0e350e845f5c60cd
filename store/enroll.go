package store

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/clientele/clientele/lead"
)

// enrollKey is the primary key of an enrolment: campaign, sep, lead id.
func enrollKey(campaign string, id lead.ID) []byte { return join(campaign, idKey(id)) }

// enrollDomain is the company key of an enrolment: the registrable domain of its address.
func enrollDomain(email string) string {
	d := lead.EmailDomain(email)
	if r := lead.RegistrableDomain(d); r != "" {
		return r
	}
	return d
}

func validState(s lead.State) bool {
	switch s {
	case lead.StateActive, lead.StateFinished, lead.StateStopped, lead.StateUnknown:
		return true
	}
	return false
}

// getEnrollment reads one enrolment by its primary key; ErrNotFound when absent.
func (t *Tx) getEnrollment(k []byte) (*lead.Enrollment, error) {
	v := t.b(bucketEnrollments).Get(k)
	if v == nil {
		return nil, ErrNotFound
	}
	return decodeJSON[lead.Enrollment](bucketEnrollments, k, v)
}

// enrollIndexKeys are the index entries an enrolment has, by bucket.
func enrollIndexKeys(e *lead.Enrollment) map[string][]byte {
	ek := enrollKey(e.Campaign, e.LeadID)
	keys := map[string][]byte{
		string(bucketEnrollLead): join(idKey(e.LeadID), []byte(e.Campaign)),
	}
	if e.State == lead.StateActive && !e.NextAt.IsZero() {
		keys[string(bucketEnrollDue)] = join(timeKey(e.NextAt), ek)
	}
	if e.Live() && e.Email != "" {
		keys[string(bucketEnrollEmail)] = join(e.Email, ek)
	}
	if e.Live() && e.Domain != "" {
		keys[string(bucketEnrollDomain)] = join(e.Domain, ek)
	}
	return keys
}

// writeEnrollment stores e and moves its index entries from old's (nil: new) to e's.
func (t *Tx) writeEnrollment(old, e *lead.Enrollment) error {
	if old != nil {
		if err := t.countEnrollment(old, -1); err != nil {
			return err
		}
		for bucket, k := range enrollIndexKeys(old) {
			if err := t.b([]byte(bucket)).Delete(k); err != nil {
				return err
			}
		}
	}
	for bucket, k := range enrollIndexKeys(e) {
		if err := t.b([]byte(bucket)).Put(k, nil); err != nil {
			return err
		}
	}
	if err := t.countEnrollment(e, 1); err != nil {
		return err
	}
	return t.putJSON(bucketEnrollments, enrollKey(e.Campaign, e.LeadID), e)
}

// deleteEnrollment removes an enrolment and its index entries.
func (t *Tx) deleteEnrollment(e *lead.Enrollment) error {
	if err := t.countEnrollment(e, -1); err != nil {
		return err
	}
	for bucket, k := range enrollIndexKeys(e) {
		if err := t.b([]byte(bucket)).Delete(k); err != nil {
			return err
		}
	}
	return t.b(bucketEnrollments).Delete(enrollKey(e.Campaign, e.LeadID))
}

// normalizeEnrollment defaults State to active, checks it, normalises Email and derives
// Domain from it when empty.
func normalizeEnrollment(e *lead.Enrollment) error {
	if e.State == "" {
		e.State = lead.StateActive
	}
	if !validState(e.State) {
		return fmt.Errorf("store: put enrolment %s/%d: %w: state %q", e.Campaign, e.LeadID, ErrInvalid, e.State)
	}
	if e.Email != "" {
		n := normalizeEmail(e.Email)
		if n == "" {
			return fmt.Errorf("store: put enrolment %s/%d: %w: email %q", e.Campaign, e.LeadID, ErrInvalid, e.Email)
		}
		e.Email = n
	}
	if e.Domain == "" {
		e.Domain = enrollDomain(e.Email)
	}
	return nil
}

// PutEnrollment creates or replaces the enrolment of e.LeadID in e.Campaign, keeping the
// due, per-lead and live indexes in step in the same transaction. It normalises Email,
// derives Domain from it when empty, defaults State to active, takes the lead's address for
// a live enrolment without one (a lead without an address is never enrolled: ErrInvalid),
// keeps EnrolledAt of the stored
// enrolment (or sets it) and sets UpdatedAt. The lead must exist.
func (t *Tx) PutEnrollment(e *lead.Enrollment) error {
	if e.LeadID == 0 || e.Campaign == "" || strings.IndexByte(e.Campaign, sep) >= 0 {
		return fmt.Errorf("store: put enrolment %q/%d: %w: campaign and lead are required", e.Campaign, e.LeadID, ErrInvalid)
	}
	if err := normalizeEnrollment(e); err != nil {
		return err
	}
	l, err := t.getLead(e.LeadID)
	if err != nil {
		return fmt.Errorf("store: put enrolment %s/%d: lead: %w", e.Campaign, e.LeadID, err)
	}
	if e.Live() && e.Email == "" {
		// A live sequence writes to an address: the lead's, or none at all.
		if l.Email == "" {
			return fmt.Errorf("store: put enrolment %s/%d: %w: the lead has no email address, so it is never enrolled", e.Campaign, e.LeadID, ErrInvalid)
		}
		e.Email = l.Email
		e.Domain = enrollDomain(e.Email)
	}
	old, err := t.getEnrollment(enrollKey(e.Campaign, e.LeadID))
	if err != nil && err != ErrNotFound {
		return fmt.Errorf("store: put enrolment %s/%d: %w", e.Campaign, e.LeadID, err)
	}
	now := t.now()
	if e.EnrolledAt.IsZero() {
		e.EnrolledAt = now
		if old != nil {
			e.EnrolledAt = old.EnrolledAt
		}
	}
	e.UpdatedAt = now
	if err := t.writeEnrollment(old, e); err != nil {
		return fmt.Errorf("store: put enrolment %s/%d: %w", e.Campaign, e.LeadID, err)
	}
	return nil
}

// PutEnrollment creates or replaces an enrolment; see Tx.PutEnrollment.
func (db *DB) PutEnrollment(e *lead.Enrollment) error {
	return db.Update(func(t *Tx) error { return t.PutEnrollment(e) })
}

// Enrollment returns the enrolment of a lead in a campaign, or an error wrapping ErrNotFound.
func (t *Tx) Enrollment(campaign string, id lead.ID) (*lead.Enrollment, error) {
	e, err := t.getEnrollment(enrollKey(campaign, id))
	if err != nil {
		return nil, fmt.Errorf("store: enrolment %s/%d: %w", campaign, id, err)
	}
	return e, nil
}

// Enrollment returns the enrolment of a lead in a campaign, or an error wrapping ErrNotFound.
func (db *DB) Enrollment(campaign string, id lead.ID) (e *lead.Enrollment, err error) {
	err = db.View(func(t *Tx) error { e, err = t.Enrollment(campaign, id); return err })
	return e, err
}

// EnrollmentsOf returns every enrolment of a lead, by campaign name.
func (t *Tx) EnrollmentsOf(id lead.ID) ([]*lead.Enrollment, error) {
	var out []*lead.Enrollment
	prefix := idKey(id)
	c := t.b(bucketEnrollLead).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		e, err := t.getEnrollment(enrollKey(string(k[8:]), id))
		if err != nil {
			return nil, fmt.Errorf("store: enrolments of lead %d: %w", id, err)
		}
		out = append(out, e)
	}
	return out, nil
}

// EnrollmentsOf returns every enrolment of a lead, by campaign name.
func (db *DB) EnrollmentsOf(id lead.ID) (es []*lead.Enrollment, err error) {
	err = db.View(func(t *Tx) error { es, err = t.EnrollmentsOf(id); return err })
	return es, err
}

// ForEachEnrollment calls fn for every enrolment, by campaign then lead, pageSize per read
// transaction and outside it, so fn may use the store.
func (db *DB) ForEachEnrollment(fn func(*lead.Enrollment) error) error {
	return scanPages(db, bucketEnrollments, nil, func(_ *Tx, k, v []byte) (*lead.Enrollment, bool, error) {
		e, err := decodeJSON[lead.Enrollment](bucketEnrollments, k, v)
		return e, true, err
	}, fn)
}

// Due calls fn for each active enrolment whose NextAt is at or before now, oldest first,
// until fn returns false. It reads only the due index's range up to now, pageSize entries
// per read transaction, and calls fn outside any transaction, so fn may update the
// enrolment (which moves or removes its due entry).
func (db *DB) Due(now time.Time, fn func(*lead.Enrollment) bool) error {
	end := timeKey(now)
	var after []byte
	for {
		var page []*lead.Enrollment
		more := false
		err := db.View(func(t *Tx) error {
			c := t.b(bucketEnrollDue).Cursor()
			var k []byte
			if after == nil {
				k, _ = c.First()
			} else if k, _ = c.Seek(after); k != nil && bytes.Equal(k, after) {
				k, _ = c.Next()
			}
			for ; k != nil; k, _ = c.Next() {
				db.dueVisited.Add(1)
				if bytes.Compare(k[:8], end) > 0 {
					break
				}
				if len(page) == pageSize {
					more = true
					break
				}
				e, err := t.getEnrollment(k[8:])
				if err != nil {
					return fmt.Errorf("store: due: %w", err)
				}
				page = append(page, e)
				after = clone(k)
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, e := range page {
			if !fn(e) {
				return nil
			}
		}
		if !more {
			return nil
		}
	}
}

// NextDue returns the earliest NextAt among active enrolments, and false when none waits,
// so a scheduler can sleep until then.
func (t *Tx) NextDue() (time.Time, bool, error) {
	k, _ := t.b(bucketEnrollDue).Cursor().First()
	if k == nil {
		return time.Time{}, false, nil
	}
	return keyTime(k[:8]), true, nil
}

// NextDue returns the earliest NextAt among active enrolments; see Tx.NextDue.
func (db *DB) NextDue() (at time.Time, ok bool, err error) {
	err = db.View(func(t *Tx) error { at, ok, err = t.NextDue(); return err })
	return at, ok, err
}

// LiveByEmail returns the live (active or unknown) enrolments writing to an address, for
// the rule that one address is in at most one live sequence.
func (t *Tx) LiveByEmail(email string) ([]*lead.Enrollment, error) {
	e := lead.NormalizeEmail(email)
	if e == "" {
		return nil, fmt.Errorf("store: live enrolments of %q: %w", email, ErrInvalid)
	}
	var out []*lead.Enrollment
	prefix := join(e, []byte{})
	c := t.b(bucketEnrollEmail).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		en, err := t.getEnrollment(k[len(prefix):])
		if err != nil {
			return nil, fmt.Errorf("store: live enrolments of %s: %w", e, err)
		}
		out = append(out, en)
	}
	return out, nil
}

// LiveByEmail returns the live enrolments writing to an address; see Tx.LiveByEmail.
func (db *DB) LiveByEmail(email string) (es []*lead.Enrollment, err error) {
	err = db.View(func(t *Tx) error { es, err = t.LiveByEmail(email); return err })
	return es, err
}

// CountLiveInDomain counts live enrolments in a campaign whose address is on domain (a host
// or registrable domain; compared by registrable domain), for the one-person-per-company
// rule. An empty campaign counts every campaign.
func (t *Tx) CountLiveInDomain(campaign, domain string) (int, error) {
	d := lead.RegistrableDomain(domain)
	if d == "" {
		d = lead.NormalizeDomain(domain)
	}
	if d == "" {
		return 0, fmt.Errorf("store: count live in domain %q: %w", domain, ErrInvalid)
	}
	prefix := join(d, []byte{})
	if campaign != "" {
		prefix = join(d, campaign, []byte{})
	}
	n := 0
	c := t.b(bucketEnrollDomain).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		n++
	}
	return n, nil
}

// CountLiveInDomain counts live enrolments on a company's domain; see Tx.CountLiveInDomain.
func (db *DB) CountLiveInDomain(campaign, domain string) (n int, err error) {
	err = db.View(func(t *Tx) error { n, err = t.CountLiveInDomain(campaign, domain); return err })
	return n, err
}

// StopEnrollments stops every live (active or unknown) enrolment of a lead, recording
// reason and clearing NextAt so it leaves the due index, and returns how many it stopped.
// A reply, bounce, complaint or unsubscribe ends the whole conversation, including a step
// whose delivery nobody knows.
func (t *Tx) StopEnrollments(id lead.ID, reason string) (int, error) {
	es, err := t.EnrollmentsOf(id)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, e := range es {
		if !e.Live() {
			continue
		}
		old := *e
		e.Before = &lead.Stopped{State: e.State, NextAt: e.NextAt}
		e.State = lead.StateStopped
		e.Reason = reason
		e.NextAt = time.Time{}
		e.UpdatedAt = t.now()
		if err := t.writeEnrollment(&old, e); err != nil {
			return n, fmt.Errorf("store: stop enrolment %s/%d: %w", e.Campaign, id, err)
		}
		n++
	}
	return n, nil
}

// StopEnrollments stops every live enrolment of a lead; see Tx.StopEnrollments.
func (db *DB) StopEnrollments(id lead.ID, reason string) (n int, err error) {
	err = db.Update(func(t *Tx) error { n, err = t.StopEnrollments(id, reason); return err })
	return n, err
}
