package store

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"

	"github.com/clientele/clientele/lead"
)

// sharedDomains host pages of many unrelated businesses, so a website there says nothing
// about who a lead is: they are not indexed for merging by domain.
var sharedDomains = map[string]bool{
	"facebook.com": true, "fb.com": true, "instagram.com": true, "linkedin.com": true,
	"twitter.com": true, "x.com": true, "tiktok.com": true, "youtube.com": true,
	"pinterest.com": true, "google.com": true, "goo.gl": true, "yelp.com": true,
	"tripadvisor.com": true, "booking.com": true, "linktr.ee": true, "wa.me": true,
	"wixsite.com": true, "wordpress.com": true, "blogspot.com": true,
}

// leadDomain is the key of a lead in the domain index, "" when it has none.
func leadDomain(l *lead.Lead) string {
	d := lead.RegistrableDomain(l.Website)
	if sharedDomains[d] {
		return ""
	}
	return d
}

// namePhoneKey is the key of a lead in the name+phone index: its lower-cased name with
// runs of space collapsed, and the digits of its phone. "" unless both are there.
func namePhoneKey(l *lead.Lead) string {
	name := strings.Join(strings.Fields(strings.ToLower(l.Name)), " ")
	var digits strings.Builder
	for _, r := range l.Phone {
		if unicode.IsDigit(r) {
			digits.WriteRune(r)
		}
	}
	if name == "" || digits.Len() < 6 || strings.IndexByte(name, sep) >= 0 {
		return ""
	}
	return name + "|" + digits.String()
}

// normalizeEmail is lead.NormalizeEmail, refusing also addresses that hold the key
// separator: such an address could not be told apart from its neighbours in an index.
func normalizeEmail(s string) string {
	e := lead.NormalizeEmail(s)
	if strings.IndexByte(e, sep) >= 0 {
		return ""
	}
	return e
}

// normalizeLead puts a lead in its stored form: addresses normalised, Email first in
// Emails, invalid secondary addresses dropped, RoleEmail derived, Status "" → new.
func normalizeLead(l *lead.Lead) error {
	if l.Email != "" {
		e := normalizeEmail(l.Email)
		if e == "" {
			return fmt.Errorf("%w: email %q", ErrInvalid, l.Email)
		}
		l.Email = e
	}
	emails := make([]string, 0, len(l.Emails)+1)
	seen := make(map[string]bool, len(l.Emails)+1)
	add := func(e string) {
		if e != "" && !seen[e] {
			seen[e] = true
			emails = append(emails, e)
		}
	}
	add(l.Email)
	for _, raw := range l.Emails {
		add(normalizeEmail(raw))
	}
	l.Emails = emails
	l.RoleEmail = l.Email != "" && lead.IsRoleAddress(l.Email)
	if l.Status == "" {
		l.Status = lead.StatusNew
	}
	if !l.Status.Valid() {
		return fmt.Errorf("%w: status %q", ErrInvalid, l.Status)
	}
	fillCountry(l)
	return nil
}

// emailOwner returns the lead holding an address, 0 if none.
func (t *Tx) emailOwner(email string) lead.ID {
	v := t.b(bucketLeadEmail).Get([]byte(email))
	if v == nil {
		return 0
	}
	return lead.ID(keyU64(v))
}

// firstInIndex returns the lowest lead id filed under key in a multi-valued index
// (key, sep, id), 0 if none.
func (t *Tx) firstInIndex(bucket []byte, key string) lead.ID {
	if key == "" {
		return 0
	}
	prefix := join(key, []byte{})
	k, _ := t.b(bucket).Cursor().Seek(prefix)
	if k == nil || !bytes.HasPrefix(k, prefix) || len(k) != len(prefix)+8 {
		return 0
	}
	return tailID(k)
}

// indexLead adds l's entries to every lead index.
func (t *Tx) indexLead(l *lead.Lead) error {
	id := idKey(l.ID)
	for _, e := range l.Emails {
		if err := t.b(bucketLeadEmail).Put([]byte(e), id); err != nil {
			return err
		}
	}
	if d := leadDomain(l); d != "" {
		if err := t.b(bucketLeadDomain).Put(join(d, id), nil); err != nil {
			return err
		}
	}
	if np := namePhoneKey(l); np != "" {
		if err := t.b(bucketLeadNamePhone).Put(join(np, id), nil); err != nil {
			return err
		}
	}
	return t.b(bucketLeadStatus).Put(join(string(l.Status), id), nil)
}

// unindexLead removes l's entries from every lead index. An address entry is removed only
// while it still points at l.
func (t *Tx) unindexLead(l *lead.Lead) error {
	id := idKey(l.ID)
	for _, e := range l.Emails {
		if t.emailOwner(e) == l.ID {
			if err := t.b(bucketLeadEmail).Delete([]byte(e)); err != nil {
				return err
			}
		}
	}
	if d := leadDomain(l); d != "" {
		if err := t.b(bucketLeadDomain).Delete(join(d, id)); err != nil {
			return err
		}
	}
	if np := namePhoneKey(l); np != "" {
		if err := t.b(bucketLeadNamePhone).Delete(join(np, id)); err != nil {
			return err
		}
	}
	return t.b(bucketLeadStatus).Delete(join(string(l.Status), id))
}

// writeLead stores l (already normalised, with its ID) and moves its index entries from
// what old had to what l has. old is nil for a new lead.
func (t *Tx) writeLead(old, l *lead.Lead) error {
	if old != nil {
		if err := t.unindexLead(old); err != nil {
			return err
		}
	}
	if err := t.indexLead(l); err != nil {
		return err
	}
	return t.putJSON(bucketLeads, idKey(l.ID), l)
}

// deleteLead removes a lead and its index entries (not its enrolments, events or messages).
func (t *Tx) deleteLead(l *lead.Lead) error {
	if err := t.unindexLead(l); err != nil {
		return err
	}
	return t.b(bucketLeads).Delete(idKey(l.ID))
}
