package store

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/clientele/clientele/lead"
)

// Earlier versions keyed the website index by the registrable domain of any website, so a
// results page whose businesses all linked to their page on the directory (or to one map)
// became ONE lead holding every business's addresses. A re-crawl then found each address
// already held by that lead and merged everything into it again. The repair below undoes
// such merges as far as the stored data allows: it rebuilds the website index with the
// current key (lead.OwnWebsiteKey), drops websites that are the directory's page or a page
// shared by many businesses, and gives every foreign group of addresses of a wrongly merged
// lead a lead of its own, so the next crawl fills each one with its own business.

// keyLeadIdentity (in meta) records the version of the lead identity rules the website
// index was built with; the repair runs when it is older than leadIdentityVersion.
var keyLeadIdentity = []byte("lead_identity")

// leadIdentityVersion is the version of the lead identity rules: 1 is lead.OwnWebsiteKey,
// 2 names compared by lead.NameKey (the name indexes are built again).
const leadIdentityVersion = 2

// minForeignGroups is how many groups of addresses from other businesses (other domains,
// or separate free-mail addresses) a lead must hold before its website is taken for the
// reason it was merged, when nothing else shows the website was wrong. A business's own
// addresses rarely span more than a domain and a free-mail address or two.
const minForeignGroups = 3

// RepairResult says what RepairLeads did.
type RepairResult struct {
	Repaired int // leads whose wrong website was dropped or whose foreign addresses were split off
	Split    int // leads created from the addresses split off
	Cleaned  int // leads whose text held control characters, stored before they were removed
}

// cleanCopy returns l in its stored form when that differs from l (text stored before
// lead.CleanText was applied on every write), nil when l is clean already.
func cleanCopy(l *lead.Lead) *lead.Lead {
	c := *l
	c.Extra = maps.Clone(l.Extra)
	c.Emails = slices.Clone(l.Emails)
	if err := normalizeLead(&c); err != nil {
		return nil
	}
	same := c.Name == l.Name && c.Phone == l.Phone && c.Website == l.Website && c.Address == l.Address &&
		c.City == l.City && c.Category == l.Category && c.Source == l.Source && c.SourceURL == l.SourceURL &&
		c.EmailSource == l.EmailSource && c.Country == l.Country && maps.Equal(c.Extra, l.Extra)
	if same {
		return nil
	}
	return &c
}

// RepairLeads brings a database written by an earlier version to the current lead identity
// rules (see leads_repair.go): it removes control characters stored in leads' text, rebuilds
// the website and name+place indexes and splits leads that were
// merged only because they shared a directory's page or a shared page as their website. It
// does nothing once done; UpsertLeads runs it on its own before the first upsert, so a
// crawl never merges into a wrongly merged lead.
func (db *DB) RepairLeads() (res RepairResult, err error) {
	err = db.Update(func(t *Tx) error { res, err = t.repairIdentity(); return err })
	if err != nil {
		return res, fmt.Errorf("store: repair leads: %w", err)
	}
	return res, nil
}

// repairIdentity is RepairLeads inside t; it costs one read of meta when already done.
func (t *Tx) repairIdentity() (RepairResult, error) {
	var res RepairResult
	meta := t.b(bucketMeta)
	if v := meta.Get(keyLeadIdentity); len(v) == 8 && keyU64(v) >= leadIdentityVersion {
		return res, nil
	}
	if err := t.tx.DeleteBucket(bucketLeadDomain); err != nil {
		return res, fmt.Errorf("rebuild %s: %w", bucketLeadDomain, err)
	}
	idx, err := t.tx.CreateBucket(bucketLeadDomain)
	if err != nil {
		return res, fmt.Errorf("rebuild %s: %w", bucketLeadDomain, err)
	}
	if t.tx.Bucket(bucketLeadNamePlace) != nil {
		if err := t.tx.DeleteBucket(bucketLeadNamePlace); err != nil {
			return res, fmt.Errorf("rebuild %s: %w", bucketLeadNamePlace, err)
		}
	}
	places, err := t.namePlaceIndex()
	if err != nil {
		return res, fmt.Errorf("rebuild %s: %w", bucketLeadNamePlace, err)
	}
	if err := t.tx.DeleteBucket(bucketLeadNamePhone); err != nil {
		return res, fmt.Errorf("rebuild %s: %w", bucketLeadNamePhone, err)
	}
	phones, err := t.tx.CreateBucket(bucketLeadNamePhone)
	if err != nil {
		return res, fmt.Errorf("rebuild %s: %w", bucketLeadNamePhone, err)
	}
	var suspects []lead.ID
	var unclean []*lead.Lead
	err = t.b(bucketLeads).ForEach(func(k, v []byte) error {
		l, err := decodeJSON[lead.Lead](bucketLeads, k, v)
		if err != nil {
			return err
		}
		if d := leadDomain(l); d != "" {
			if err := idx.Put(join(d, idKey(l.ID)), nil); err != nil {
				return err
			}
		}
		if np := namePlaceKey(l); np != "" {
			if err := places.Put(join(np, idKey(l.ID)), nil); err != nil {
				return err
			}
		}
		if np := namePhoneKey(l); np != "" {
			if err := phones.Put(join(np, idKey(l.ID)), nil); err != nil {
				return err
			}
		}
		if l.Website != "" {
			suspects = append(suspects, l.ID)
		}
		if c := cleanCopy(l); c != nil {
			unclean = append(unclean, c)
		}
		return nil
	})
	if err != nil {
		return res, err
	}
	for _, c := range unclean {
		old, err := t.getLead(c.ID)
		if err != nil {
			return res, err
		}
		if err := t.writeLead(old, c); err != nil {
			return res, err
		}
		res.Cleaned++
	}
	for _, id := range suspects {
		if err := t.repairLead(id, "", &res); err != nil {
			return res, err
		}
	}
	return res, meta.Put(keyLeadIdentity, u64Key(leadIdentityVersion))
}

// repairDirectory repairs the leads whose website is on dir, the website key of a
// directory a crawl is reading now (lead.WebsiteKey of a page of it): a page there is never a lead's website, and a lead
// filed under it may hold the addresses of every business that linked to its directory
// page.
func (t *Tx) repairDirectory(dir string, res *RepairResult) error {
	if dir == "" {
		return nil
	}
	prefix := join(dir, []byte{})
	var ids []lead.ID
	c := t.b(bucketLeadDomain).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		if len(k) == len(prefix)+8 {
			ids = append(ids, tailID(k))
		}
	}
	for _, id := range ids {
		if err := t.repairLead(id, dir, res); err != nil {
			return err
		}
	}
	return nil
}

// repairLead repairs one lead if its website is wrong: on dir (a directory's website key,
// "" if none is known), on the domain of its own SourceURL, or (for a crawled lead)
// a page shared by many businesses; or if it holds minForeignGroups groups of other
// businesses' addresses. The website (and the site facts read from it) is dropped; the
// lead keeps its primary address with the addresses of the same group, and each other
// group becomes a lead of its own, with the source, listing and category of the lead it
// came from, so a re-crawl merges each business into its own lead.
func (t *Tx) repairLead(id lead.ID, dir string, res *RepairResult) error {
	l, err := t.getLead(id)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	key := lead.WebsiteKey(l.Website)
	badSite := l.Website != "" && (dir != "" && key == dir ||
		l.SourceURL != "" && key == lead.WebsiteKey(l.SourceURL) ||
		l.Source != lead.SourceImport && key == "")
	site := lead.RegistrableDomain(l.Website)
	groups := addressGroups(l.Emails)
	keep := 0
	for i, g := range groups {
		if slices.Contains(g.emails, l.Email) {
			keep = i
		}
	}
	// Free-mail addresses count as one foreign group together: a business's staff often
	// write from their own mailboxes, which says nothing of a merge.
	foreign := 0
	onSite, freeSeen := false, false
	for i, g := range groups {
		switch {
		case g.key == site:
			onSite = true
		case i == keep:
		case lead.IsFreeMail(g.emails[0]):
			if !freeSeen {
				foreign++
			}
			freeSeen = true
		default:
			foreign++
		}
	}
	if !badSite && foreign < minForeignGroups {
		return nil
	}
	m := *l
	if badSite || !onSite {
		m.Website, m.Site = "", nil
	}
	var split [][]string
	if len(groups) > 1 {
		m.Emails = groups[keep].emails
		for i, g := range groups {
			if i != keep {
				split = append(split, g.emails)
			}
		}
	}
	if err := t.writeLead(l, &m); err != nil {
		return err
	}
	res.Repaired++
	for _, emails := range split {
		n := &lead.Lead{
			Email: emails[0], Emails: emails, Source: l.Source, SourceURL: l.SourceURL,
			EmailSource: l.SourceURL, Category: l.Category, CreatedAt: l.CreatedAt,
		}
		if err := t.PutLead(n); err != nil {
			return err
		}
		res.Split++
	}
	return nil
}

// addressGroup is the addresses of a lead that belong to one business as far as can be
// told: one domain, or a single free-mail address.
type addressGroup struct {
	key    string
	emails []string
}

// addressGroups splits addresses into addressGroups, in order of first appearance.
func addressGroups(emails []string) []addressGroup {
	var out []addressGroup
	for _, e := range emails {
		key := lead.RegistrableDomain(lead.EmailDomain(e))
		if key == "" || lead.IsFreeMail(e) {
			key = e
		}
		i := slices.IndexFunc(out, func(g addressGroup) bool { return g.key == key })
		if i < 0 {
			out = append(out, addressGroup{key: key})
			i = len(out) - 1
		}
		out[i].emails = append(out[i].emails, e)
	}
	return out
}
