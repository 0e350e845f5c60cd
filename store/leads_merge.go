package store

import (
	"bytes"
	"errors"
	"fmt"
	"maps"

	"github.com/clientele/clientele/lead"
)

// upsertBatch is how many leads UpsertLeads writes per transaction: large enough that an
// import of 100,000 rows costs a hundred commits, small enough that other writers (the
// daemon's send pass) wait only briefly.
const upsertBatch = 1000

// UpsertResult says what UpsertLeads did. It is defined in package lead so the packages
// that call UpsertLeads through an interface need not import the store.
type UpsertResult = lead.MergeResult

// UpsertLeads stores many leads, merging each into the lead it duplicates. A duplicate is
// found, in this order, by any of its normalised addresses; by name and phone; by name and
// address (or, without an address, name and the directory page it was listed on); or by
// its own website (lead.OwnWebsiteKey: never a page shared by many businesses, nor one on
// the directory it was listed on) when the names agree or one is empty. Leads earlier in
// the same call count too. Merging fills the stored lead's empty fields from the incoming
// one, adds its addresses (the stored primary stays first; an address held by a third lead
// is left there) and its Extra keys, takes its Site when that was checked more recently,
// and takes its Status only while the stored one is new. Before storing, it repairs leads
// wrongly merged by an earlier version (RepairLeads), and those filed under the website of
// each directory the leads were listed on. ID and CreatedAt of the stored lead are kept; a
// new lead gets a fresh ID whatever the input says, and keeps a non-zero CreatedAt. The
// inputs are not modified. Leads are written upsertBatch per transaction; on error the
// batches already written stay written.
func (db *DB) UpsertLeads(ls []*lead.Lead) (UpsertResult, error) {
	res := UpsertResult{IDs: make([]lead.ID, 0, len(ls))}
	dirs := make(map[string]bool) // directories whose leads were repaired in this call
	for start := 0; start < len(ls); start += upsertBatch {
		end := min(start+upsertBatch, len(ls))
		var batch UpsertResult
		err := db.Update(func(t *Tx) error {
			batch = UpsertResult{}
			var repaired RepairResult // counted for RepairLeads' callers; an upsert reports leads only
			if start == 0 {
				var err error
				if repaired, err = t.repairIdentity(); err != nil {
					return fmt.Errorf("store: repair leads: %w", err)
				}
			}
			for i := start; i < end; i++ {
				if ls[i] != nil && ls[i].SourceURL != "" {
					if dir := lead.WebsiteKey(ls[i].SourceURL); !dirs[dir] {
						dirs[dir] = true
						if err := t.repairDirectory(dir, &repaired); err != nil {
							return fmt.Errorf("store: repair leads of %s: %w", dir, err)
						}
					}
				}
				if t.forgotten(ls[i]) {
					batch.IDs = append(batch.IDs, 0)
					batch.Skipped++
					continue
				}
				id, created, err := t.upsertLead(ls[i])
				if err != nil {
					return fmt.Errorf("store: upsert lead %d of %d: %w", i+1, len(ls), err)
				}
				batch.IDs = append(batch.IDs, id)
				if created {
					batch.Created++
				} else {
					batch.Merged++
				}
			}
			return nil
		})
		if err != nil {
			return res, err
		}
		res.Created += batch.Created
		res.Merged += batch.Merged
		res.Skipped += batch.Skipped
		res.IDs = append(res.IDs, batch.IDs...)
	}
	return res, nil
}

// forgotten reports whether one of l's addresses belongs to a person who asked to be
// forgotten (suppressed with reason "forget"): their data is not collected again, by a
// crawl or an import.
func (t *Tx) forgotten(l *lead.Lead) bool {
	if l == nil {
		return false
	}
	for _, e := range append([]string{l.Email}, l.Emails...) {
		n := lead.NormalizeEmail(e)
		if n == "" {
			continue
		}
		k := []byte(n)
		if v := t.b(bucketSuppress).Get(k); v != nil {
			if s, err := decodeJSON[lead.Suppression](bucketSuppress, k, v); err == nil && s.Reason == "forget" {
				return true
			}
		}
	}
	return false
}

// UpsertLead stores one lead the way UpsertLeads does, inside t. It reports the stored
// lead's ID and whether it was created.
func (t *Tx) UpsertLead(in *lead.Lead) (lead.ID, bool, error) {
	id, created, err := t.upsertLead(in)
	if err != nil {
		return 0, false, fmt.Errorf("store: upsert lead: %w", err)
	}
	return id, created, nil
}

func (t *Tx) upsertLead(in *lead.Lead) (lead.ID, bool, error) {
	if in == nil {
		return 0, false, fmt.Errorf("%w: nil lead", ErrInvalid)
	}
	l := *in
	l.Extra = maps.Clone(in.Extra)
	if l.Site != nil {
		s := *l.Site
		l.Site = &s
	}
	if err := normalizeLead(&l); err != nil {
		return 0, false, err
	}
	old, err := t.matchLead(&l)
	if err != nil {
		return 0, false, err
	}
	if old == nil {
		l.ID = 0
		if err := t.PutLead(&l); err != nil {
			return 0, false, err
		}
		return l.ID, true, nil
	}
	m := t.mergeLead(old, &l)
	if err := t.writeLead(old, m); err != nil {
		return 0, false, err
	}
	return m.ID, false, nil
}

// matchLead finds the stored lead l duplicates, nil if none.
func (t *Tx) matchLead(l *lead.Lead) (*lead.Lead, error) {
	var id lead.ID
	for _, e := range l.Emails {
		if id = t.emailOwner(e); id != 0 {
			break
		}
	}
	if id == 0 {
		id = t.firstInIndex(bucketLeadNamePhone, namePhoneKey(l))
	}
	if id == 0 {
		id = t.firstInIndex(bucketLeadNamePlace, namePlaceKey(l))
	}
	if id != 0 {
		return t.getLead(id)
	}
	return t.sameWebsite(l)
}

// maxSameWebsite bounds how many leads sharing a website key matchLead reads: a chain's
// branches share one site, and past this many it is not worth telling which one is meant.
const maxSameWebsite = 64

// sameWebsite finds the stored lead with l's own website whose name agrees with l's (the
// same, or one of them empty), nil if none. Two different names on one website are kept
// apart: they may be a chain's branches, and a wrong merge loses a business while a missed
// one only leaves a duplicate the user can see.
func (t *Tx) sameWebsite(l *lead.Lead) (*lead.Lead, error) {
	key := leadDomain(l)
	if key == "" {
		return nil, nil
	}
	name := nameKey(l.Name)
	prefix := join(key, []byte{})
	c := t.b(bucketLeadDomain).Cursor()
	n := 0
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) && n < maxSameWebsite; k, _ = c.Next() {
		if len(k) != len(prefix)+8 {
			continue
		}
		n++
		old, err := t.getLead(tailID(k))
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if on := nameKey(old.Name); name == "" || on == "" || on == name {
			return old, nil
		}
	}
	return nil, nil
}

// mergeLead returns old with in merged into it by UpsertLeads' rules; old is not modified.
func (t *Tx) mergeLead(old, in *lead.Lead) *lead.Lead {
	m := *old
	m.Extra = maps.Clone(old.Extra)
	fill := func(dst *string, src string) {
		if *dst == "" {
			*dst = src
		}
	}
	fill(&m.Name, in.Name)
	fill(&m.Phone, in.Phone)
	fill(&m.Website, in.Website) // normalizeLead dropped a listed lead's directory or shared page
	fill(&m.SourceURL, in.SourceURL)
	fill(&m.Country, in.Country)
	if m.Outcome == "" {
		m.Outcome = in.Outcome
	}
	fill(&m.Address, in.Address)
	fill(&m.City, in.City)
	fill(&m.Category, in.Category)
	fill(&m.Source, in.Source)

	free := func(e string) bool { o := t.emailOwner(e); return o == 0 || o == old.ID }
	if m.Email == "" && in.Email != "" && free(in.Email) {
		m.Email = in.Email
		m.EmailSource = in.EmailSource
	} else if m.EmailSource == "" && m.Email != "" && m.Email == in.Email {
		m.EmailSource = in.EmailSource
	}
	m.Emails = append([]string(nil), old.Emails...)
	for _, e := range in.Emails {
		if free(e) {
			m.Emails = append(m.Emails, e)
		}
	}
	for k, v := range in.Extra {
		if _, ok := m.Extra[k]; !ok {
			if m.Extra == nil {
				m.Extra = make(map[string]string)
			}
			m.Extra[k] = v
		}
	}
	if in.Site != nil && (m.Site == nil || in.Site.CheckedAt.After(m.Site.CheckedAt)) {
		m.Site = in.Site
	}
	if m.Status == lead.StatusNew {
		m.Status = in.Status
	}
	_ = normalizeLead(&m) // both sides are normalised already; this re-orders Emails and RoleEmail
	m.UpdatedAt = t.now()
	return &m
}
