package store

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/clientele/clientele/lead"
)

// getLead reads one lead; ErrNotFound (unwrapped) when there is none.
func (t *Tx) getLead(id lead.ID) (*lead.Lead, error) {
	k := idKey(id)
	v := t.b(bucketLeads).Get(k)
	if v == nil {
		return nil, ErrNotFound
	}
	return decodeJSON[lead.Lead](bucketLeads, k, v)
}

// PutLead creates a lead (ID 0: assigns the next ID, and CreatedAt when it is zero) or
// replaces the stored one with the same ID, moving its index entries. It normalises Email
// and Emails (invalid secondary addresses are dropped, an invalid Email is an ErrInvalid),
// sets RoleEmail and UpdatedAt (a new lead keeps a non-zero one), and turns an empty Status into new. A final status already
// stored (replied, bounced, ...) is kept: a stale copy cannot move a lead back to contacted.
// An address that belongs to another lead is an ErrDuplicate.
func (t *Tx) PutLead(l *lead.Lead) error {
	if err := normalizeLead(l); err != nil {
		return fmt.Errorf("store: put lead %d: %w", l.ID, err)
	}
	var old *lead.Lead
	if l.ID != 0 {
		var err error
		if old, err = t.getLead(l.ID); err != nil {
			return fmt.Errorf("store: put lead %d: %w", l.ID, err)
		}
	}
	for _, e := range l.Emails {
		if owner := t.emailOwner(e); owner != 0 && owner != l.ID {
			return fmt.Errorf("store: put lead %d: %s: %w %d", l.ID, e, ErrDuplicate, owner)
		}
	}
	now := t.now()
	if old == nil {
		seq, err := t.b(bucketLeads).NextSequence()
		if err != nil {
			return fmt.Errorf("store: put lead: next id: %w", err)
		}
		l.ID = lead.ID(seq)
		if l.CreatedAt.IsZero() {
			l.CreatedAt = now
		}
		// A lead restored from an export keeps its own times, so export → import → export
		// gives the same file.
		if l.UpdatedAt.IsZero() {
			l.UpdatedAt = now
		}
	} else {
		if l.CreatedAt.IsZero() {
			l.CreatedAt = old.CreatedAt
		}
		if old.Status.Final() && !l.Status.Final() {
			l.Status = old.Status
		}
		l.UpdatedAt = now
	}
	if err := t.writeLead(old, l); err != nil {
		return fmt.Errorf("store: put lead %d: %w", l.ID, err)
	}
	return nil
}

// PutLead creates or replaces a lead in its own transaction; see Tx.PutLead.
func (db *DB) PutLead(l *lead.Lead) error {
	return db.Update(func(t *Tx) error { return t.PutLead(l) })
}

// Lead returns the lead with this ID, or an error wrapping ErrNotFound.
func (t *Tx) Lead(id lead.ID) (*lead.Lead, error) {
	l, err := t.getLead(id)
	if err != nil {
		return nil, fmt.Errorf("store: lead %d: %w", id, err)
	}
	return l, nil
}

// Lead returns the lead with this ID, or an error wrapping ErrNotFound.
func (db *DB) Lead(id lead.ID) (l *lead.Lead, err error) {
	err = db.View(func(t *Tx) error { l, err = t.Lead(id); return err })
	return l, err
}

// LeadByEmail returns the lead holding an address (primary or not).
func (t *Tx) LeadByEmail(email string) (*lead.Lead, error) {
	e := lead.NormalizeEmail(email)
	if e == "" {
		return nil, fmt.Errorf("store: lead by email %q: %w", email, ErrInvalid)
	}
	id := t.emailOwner(e)
	if id == 0 {
		return nil, fmt.Errorf("store: lead by email %s: %w", e, ErrNotFound)
	}
	return t.Lead(id)
}

// LeadByEmail returns the lead holding an address (primary or not).
func (db *DB) LeadByEmail(email string) (l *lead.Lead, err error) {
	err = db.View(func(t *Tx) error { l, err = t.LeadByEmail(email); return err })
	return l, err
}

// LeadByDomain returns the (oldest) lead whose own website has the website key of domain,
// which may be a host name or a URL (lead.WebsiteKey: its registrable domain, or a site
// builder's host or path). A page shared by many businesses is no lead's: ErrNotFound.
func (t *Tx) LeadByDomain(domain string) (*lead.Lead, error) {
	if lead.RegistrableDomain(domain) == "" {
		return nil, fmt.Errorf("store: lead by domain %q: %w", domain, ErrInvalid)
	}
	d := lead.WebsiteKey(domain)
	if d == "" {
		return nil, fmt.Errorf("store: lead by domain %s: shared by many businesses: %w", domain, ErrNotFound)
	}
	id := t.firstInIndex(bucketLeadDomain, d)
	if id == 0 {
		return nil, fmt.Errorf("store: lead by domain %s: %w", d, ErrNotFound)
	}
	return t.Lead(id)
}

// LeadByDomain returns the (oldest) lead whose own website has the website key of domain;
// see Tx.LeadByDomain.
func (db *DB) LeadByDomain(domain string) (l *lead.Lead, err error) {
	err = db.View(func(t *Tx) error { l, err = t.LeadByDomain(domain); return err })
	return l, err
}

// FindLead resolves what a user typed: a numeric lead ID or an address.
func (t *Tx) FindLead(ref string) (*lead.Lead, error) {
	ref = strings.TrimSpace(ref)
	if n, err := strconv.ParseUint(ref, 10, 64); err == nil {
		return t.Lead(lead.ID(n))
	}
	return t.LeadByEmail(ref)
}

// FindLead resolves what a user typed: a numeric lead ID or an address.
func (db *DB) FindLead(ref string) (l *lead.Lead, err error) {
	err = db.View(func(t *Tx) error { l, err = t.FindLead(ref); return err })
	return l, err
}

// ForEachLead calls fn for every lead in ID order. It reads pageSize leads per transaction
// and calls fn outside it, so fn may use the store; an error from fn stops the walk and is
// returned as is.
func (db *DB) ForEachLead(fn func(*lead.Lead) error) error {
	return scanPages(db, bucketLeads, nil, func(_ *Tx, k, v []byte) (*lead.Lead, bool, error) {
		l, err := decodeJSON[lead.Lead](bucketLeads, k, v)
		return l, true, err
	}, fn)
}

// LeadsWithStatus calls fn for every lead in status s, in ID order, reading only the
// status index; paged like ForEachLead.
func (db *DB) LeadsWithStatus(s lead.Status, fn func(*lead.Lead) error) error {
	if !s.Valid() {
		return fmt.Errorf("store: leads with status %q: %w", s, ErrInvalid)
	}
	return scanPages(db, bucketLeadStatus, join(string(s), []byte{}), func(t *Tx, k, _ []byte) (*lead.Lead, bool, error) {
		l, err := t.getLead(tailID(k))
		if errors.Is(err, ErrNotFound) {
			return nil, false, nil
		}
		return l, err == nil, err
	}, fn)
}

// CountLeads returns how many leads are stored.
func (t *Tx) CountLeads() (int, error) { return t.b(bucketLeads).Stats().KeyN, nil }

// CountLeads returns how many leads are stored.
func (db *DB) CountLeads() (n int, err error) {
	err = db.View(func(t *Tx) error { n, err = t.CountLeads(); return err })
	return n, err
}

// CountByStatus returns how many leads are in each status (statuses with none are absent).
func (t *Tx) CountByStatus() (map[lead.Status]int, error) {
	counts := make(map[lead.Status]int)
	c := t.b(bucketLeadStatus).Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		if len(k) > 9 {
			counts[lead.Status(k[:len(k)-9])]++
		}
	}
	return counts, nil
}

// CountByStatus returns how many leads are in each status (statuses with none are absent).
func (db *DB) CountByStatus() (m map[lead.Status]int, err error) {
	err = db.View(func(t *Tx) error { m, err = t.CountByStatus(); return err })
	return m, err
}

// SetStatus moves a lead to status s. A final status (replied, bounced, unsubscribed,
// complained) is never replaced by new or contacted: that call succeeds and changes nothing.
func (t *Tx) SetStatus(id lead.ID, s lead.Status) error {
	if !s.Valid() {
		return fmt.Errorf("store: set status of lead %d: %w: %q", id, ErrInvalid, s)
	}
	l, err := t.getLead(id)
	if err != nil {
		return fmt.Errorf("store: set status of lead %d: %w", id, err)
	}
	if l.Status == s || (l.Status.Final() && !s.Final()) {
		return nil
	}
	old := *l
	l.Status = s
	l.UpdatedAt = t.now()
	if err := t.writeLead(&old, l); err != nil {
		return fmt.Errorf("store: set status of lead %d: %w", id, err)
	}
	return nil
}

// SetStatus moves a lead to status s; see Tx.SetStatus.
func (db *DB) SetStatus(id lead.ID, s lead.Status) error {
	return db.Update(func(t *Tx) error { return t.SetStatus(id, s) })
}
