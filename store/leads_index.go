package store

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"

	"github.com/clientele/clientele/lead"
	"go.etcd.io/bbolt"
)

// leadDomain is the key of a lead in the website index: the identity of its own website
// (lead.OwnWebsiteKey), "" when it has none. A page shared by many businesses (maps, social
// networks, review and booking sites) and a page of the directory the lead was listed on
// are never keys, so they never make two businesses one lead.
func leadDomain(l *lead.Lead) string {
	k := lead.OwnWebsiteKey(l.Website, l.SourceURL)
	if strings.IndexByte(k, sep) >= 0 {
		return ""
	}
	return k
}

// bucketLeadNamePlace indexes leads by name and place (namePlaceKey). It is newer than the
// other lead indexes, so it is created by the first write that needs it rather than by
// Open: a database written by an earlier version still opens read-only.
var bucketLeadNamePlace = []byte("lead_name_place")

// namePlaceKey is the key of a lead in the name+place index: its name with its address, or,
// without an address, with the directory page it was listed on. It is what tells a
// business with no address, phone or website of its own apart from the others on one
// directory page, so a re-crawl finds it again instead of storing it twice; two different
// names never share a key. "" unless there is a name and a place.
func namePlaceKey(l *lead.Lead) string {
	name := nameKey(l.Name)
	if name == "" || strings.IndexByte(name, sep) >= 0 {
		return ""
	}
	var place string
	if a := nameKey(l.Address); a != "" {
		place = "a:" + a
	} else if l.SourceURL != "" {
		place = "u:" + strings.ToLower(l.SourceURL)
	} else {
		return ""
	}
	if strings.IndexByte(place, sep) >= 0 {
		return ""
	}
	return name + "|" + place
}

// namePlaceIndex returns the name+place index, created in a write transaction when an
// earlier version's file lacks it; nil in a read-only one that lacks it.
func (t *Tx) namePlaceIndex() (*bbolt.Bucket, error) {
	if b := t.tx.Bucket(bucketLeadNamePlace); b != nil || !t.tx.Writable() {
		return b, nil
	}
	return t.tx.CreateBucket(bucketLeadNamePlace)
}

// nameKey is a name as compared for merging: lead.NameKey, as the crawler compares it.
func nameKey(name string) string { return lead.NameKey(name) }

// namePhoneKey is the key of a lead in the name+phone index: its name's key and the digits
// of its phone. "" unless both are there.
func namePhoneKey(l *lead.Lead) string {
	name := nameKey(l.Name)
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

// normalizeLead puts a lead in its stored form: text fields cleaned (lead.CleanText), no
// website for a lead listed on a directory when it is that directory's page or a page
// shared by many businesses (lead.OwnWebsiteKey), addresses normalised, Email first in
// Emails, invalid secondary addresses dropped, RoleEmail derived, Status "" → new.
func normalizeLead(l *lead.Lead) error {
	for _, f := range []*string{&l.Name, &l.Phone, &l.Website, &l.Address, &l.City, &l.Category,
		&l.Source, &l.SourceURL, &l.EmailSource, &l.Country} {
		*f = lead.CleanText(*f)
	}
	for k, v := range l.Extra {
		if c := lead.CleanText(v); c != v {
			l.Extra[k] = c
		}
	}
	if l.SourceURL != "" && l.Website != "" && lead.OwnWebsiteKey(l.Website, l.SourceURL) == "" {
		l.Website = "" // a listed lead's website is never its directory's page nor a shared page
	}
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
	b := t.tx.Bucket(bucket)
	if b == nil {
		return 0
	}
	prefix := join(key, []byte{})
	k, _ := b.Cursor().Seek(prefix)
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
	if np := namePlaceKey(l); np != "" {
		b, err := t.namePlaceIndex()
		if err != nil {
			return err
		}
		if err := b.Put(join(np, id), nil); err != nil {
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
	if np := namePlaceKey(l); np != "" {
		if b := t.tx.Bucket(bucketLeadNamePlace); b != nil {
			if err := b.Delete(join(np, id)); err != nil {
				return err
			}
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
	if err := t.reindexSearch(old, l); err != nil {
		return err
	}
	return t.putJSON(bucketLeads, idKey(l.ID), l)
}

// deleteLead removes a lead and its index entries (not its enrolments, events or messages).
func (t *Tx) deleteLead(l *lead.Lead) error {
	if err := t.unindexLead(l); err != nil {
		return err
	}
	if err := t.reindexSearch(l, nil); err != nil {
		return err
	}
	return t.b(bucketLeads).Delete(idKey(l.ID))
}
