package store

import (
	"slices"
	"testing"

	"github.com/clientele/clientele/lead"
)

// putOldLead stores a lead the way an earlier version did: its website indexed by the
// registrable domain of whatever URL it held, and the identity repair not yet run.
func putOldLead(t *testing.T, db *DB, l *lead.Lead) *lead.Lead {
	t.Helper()
	err := db.Update(func(tx *Tx) error {
		if err := normalizeLead(l); err != nil {
			return err
		}
		seq, err := tx.b(bucketLeads).NextSequence()
		if err != nil {
			return err
		}
		l.ID = lead.ID(seq)
		l.CreatedAt, l.UpdatedAt = tx.now(), tx.now()
		for _, e := range l.Emails {
			if err := tx.b(bucketLeadEmail).Put([]byte(e), idKey(l.ID)); err != nil {
				return err
			}
		}
		if d := lead.RegistrableDomain(l.Website); d != "" {
			if err := tx.b(bucketLeadDomain).Put(join(d, idKey(l.ID)), nil); err != nil {
				return err
			}
		}
		if err := tx.b(bucketLeadStatus).Put(join(string(l.Status), idKey(l.ID)), nil); err != nil {
			return err
		}
		if err := tx.b(bucketMeta).Delete(keyLeadIdentity); err != nil {
			return err
		}
		return tx.putJSON(bucketLeads, idKey(l.ID), l)
	})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// leadsByEmail returns every stored lead, by primary address.
func leadsByEmail(t *testing.T, db *DB) map[string]*lead.Lead {
	t.Helper()
	out := map[string]*lead.Lead{}
	if err := db.ForEachLead(func(l *lead.Lead) error { out[l.Email] = l; return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

// A results page whose businesses all linked to their page on the directory was stored as
// one lead holding every business's address. A re-crawl of that page must give one lead
// per business, not merge them all again.
func TestRecrawlSplitsLeadsMergedByTheDirectorysPage(t *testing.T) {
	db, _ := openTest(t)
	merged := putOldLead(t, db, &lead.Lead{
		Name: "Acme Plumbing", Email: "info@acme.test", Source: "bizdir", Category: "plumbing",
		Website: "https://www.dir.test/biz/acme-plumbing", Phone: "+49 30 1234567",
		Emails: []string{"info@acme.test", "office@acme.test", "hello@bolt.test", "casa.nova@gmail.com", "dora@dora.test"},
	})
	page := "https://www.dir.test/c/plumbing?page=1"
	recrawl := []*lead.Lead{
		{Name: "Acme Plumbing", Email: "info@acme.test", Website: "https://dir.test/biz/acme-plumbing", SourceURL: page, Source: "bizdir"},
		{Name: "Bolt Pipes", Email: "hello@bolt.test", Website: "https://dir.test/biz/bolt-pipes", SourceURL: page, Source: "bizdir"},
		{Name: "Casa Nova", Email: "casa.nova@gmail.com", Website: "https://www.dir.test/biz/casa-nova", SourceURL: page, Source: "bizdir"},
		{Name: "Dora Drains", Email: "dora@dora.test", Website: "https://dora.test/", SourceURL: page, Source: "bizdir"},
		{Name: "Eli Heating", Website: "https://dir.test/biz/eli", SourceURL: page, Source: "bizdir"},
	}
	res, err := db.UpsertLeads(recrawl)
	if err != nil {
		t.Fatal(err)
	}
	if res.IDs[0] != merged.ID {
		t.Errorf("the first business moved to lead %d, want %d", res.IDs[0], merged.ID)
	}
	got := leadsByEmail(t, db)
	if len(got) != 5 {
		t.Fatalf("%d leads, want 5 (one per business): %v", len(got), got)
	}
	for _, b := range recrawl {
		l := got[b.Email]
		if l == nil || l.Name != b.Name {
			t.Errorf("business %q: stored as %+v", b.Name, l)
			continue
		}
		if lead.RegistrableDomain(l.Website) == "dir.test" {
			t.Errorf("%s keeps the directory's page %q as its website", l.Name, l.Website)
		}
	}
	acme := got["info@acme.test"]
	if !slices.Equal(acme.Emails, []string{"info@acme.test", "office@acme.test"}) || acme.Phone == "" {
		t.Errorf("the first business lost its own data: %+v", acme)
	}
	if got["dora@dora.test"].Website != "https://dora.test/" {
		t.Errorf("own website not taken: %q", got["dora@dora.test"].Website)
	}
	// A second crawl of the same page changes nothing.
	res, err = db.UpsertLeads(recrawl)
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != 0 || res.Merged != len(recrawl) {
		t.Errorf("second crawl: %+v", res)
	}
}

// Leads merged because every card carried the same map link are split when the database
// is opened by this version, before any crawl, and the old index keys are gone.
func TestRepairSplitsLeadsMergedByASharedPage(t *testing.T) {
	db, _ := openTest(t)
	maps := putOldLead(t, db, &lead.Lead{
		Name: "Anna Hair", Email: "anna@annahair.test", Source: "salons",
		Website: "https://maps.google.com/?daddr=Hauptstr+1", SourceURL: "",
		Emails: []string{"anna@annahair.test", "b@b.test", "c@c.test", "d@d.test"},
		Site:   &lead.Site{HTTPS: true},
	})
	imported := putOldLead(t, db, &lead.Lead{Name: "Own Choice", Email: "me@own.test", Source: lead.SourceImport,
		Website: "https://facebook.com/ownchoice"})
	own := putOldLead(t, db, &lead.Lead{Name: "Real Shop", Email: "shop@real.test", Source: "salons",
		Website: "https://real.test", Emails: []string{"shop@real.test", "real.shop@gmail.com", "x@partner.test"}})
	staff := putOldLead(t, db, &lead.Lead{Name: "Staff Shop", Email: "info@staff.test", Source: "salons",
		Website: "https://staff.test", Emails: []string{"info@staff.test", "ana.staff@gmail.com", "rui.staff@hotmail.com", "eva.staff@yahoo.com"}})
	many := putOldLead(t, db, &lead.Lead{Name: "First", Email: "a@one.test", Source: "salons",
		Website: "https://listing.test/p/1", Emails: []string{"a@one.test", "a@two.test", "a@three.test", "a@four.test"}})

	res, err := db.RepairLeads()
	if err != nil {
		t.Fatal(err)
	}
	if res.Repaired != 2 || res.Split != 6 {
		t.Errorf("repair = %+v, want 2 repaired, 6 split off", res)
	}
	got := leadsByEmail(t, db)
	if l := got["anna@annahair.test"]; l.Website != "" || l.Site != nil || l.ID != maps.ID || len(l.Emails) != 1 {
		t.Errorf("map-link lead after repair: %+v", l)
	}
	for _, e := range []string{"b@b.test", "c@c.test", "d@d.test", "a@two.test", "a@three.test", "a@four.test"} {
		if l := got[e]; l == nil || len(l.Emails) != 1 || l.Name != "" {
			t.Errorf("%s: split lead %+v", e, l)
		}
	}
	if l := got["b@b.test"]; l.Source != "salons" {
		t.Errorf("split lead lost its source: %+v", l)
	}
	if l := got["me@own.test"]; l.Website != imported.Website {
		t.Errorf("a user's own import lost its website: %+v", l)
	}
	if l := got["shop@real.test"]; l.Website != own.Website || len(l.Emails) != 3 {
		t.Errorf("a business with its own site and a free-mail address was split: %+v", l)
	}
	if l := got["info@staff.test"]; l.ID != staff.ID || l.Website != staff.Website || len(l.Emails) != 4 {
		t.Errorf("a business whose staff write from free mail was split: %+v", l)
	}
	if l := got["a@one.test"]; l.ID != many.ID || l.Website != "" {
		t.Errorf("lead merged by an unproven page: %+v", l)
	}
	for _, k := range indexKeys(t, db, bucketLeadDomain) {
		if k[:len(k)-9] == "google.com" {
			t.Errorf("old index key %q kept", k)
		}
	}
	again, err := db.RepairLeads()
	if err != nil || again != (RepairResult{}) {
		t.Errorf("second repair = %+v, %v", again, err)
	}
	// A new business with a website on the map host is not merged into anything.
	r, err := db.UpsertLeads([]*lead.Lead{{Name: "New", Website: "https://maps.google.com/?daddr=Hauptstr+1"}})
	if err != nil || r.Created != 1 {
		t.Errorf("upsert after repair: %+v, %v", r, err)
	}
}

// Two businesses merged by their directory page look like one business with two domains;
// only the crawl of that directory shows the website was the directory's, and splits them.
func TestRecrawlSplitsTwoBusinessesMergedByTheDirectorysPage(t *testing.T) {
	db, _ := openTest(t)
	putOldLead(t, db, &lead.Lead{
		Name: "Acme Plumbing", Email: "info@acme.test", Source: "bizdir",
		Website: "https://dir.test/biz/acme-plumbing", Emails: []string{"info@acme.test", "hello@bolt.test"},
	})
	if res, err := db.RepairLeads(); err != nil || res.Repaired != 0 {
		t.Fatalf("repair without knowing the directory: %+v, %v", res, err)
	}
	if got := leadsByEmail(t, db); len(got) != 1 {
		t.Fatalf("%d leads before the crawl", len(got))
	}
	page := "https://dir.test/c/plumbing"
	recrawl := []*lead.Lead{
		{Name: "Bolt Pipes", Email: "hello@bolt.test", Website: "https://dir.test/biz/bolt-pipes", SourceURL: page, Source: "bizdir"},
		{Name: "Acme Plumbing", Email: "info@acme.test", Website: "https://dir.test/biz/acme-plumbing", SourceURL: page, Source: "bizdir"},
	}
	if _, err := db.UpsertLeads(recrawl); err != nil {
		t.Fatal(err)
	}
	got := leadsByEmail(t, db)
	if len(got) != 2 || got["hello@bolt.test"].Name != "Bolt Pipes" || got["info@acme.test"].Name != "Acme Plumbing" {
		t.Errorf("after the crawl: %v", got)
	}
	for _, l := range got {
		if l.Website != "" || len(l.Emails) != 1 {
			t.Errorf("%s: website %q, emails %q", l.Name, l.Website, l.Emails)
		}
	}
}

// Text stored before control characters were removed on every write is cleaned once.
func TestRepairCleansStoredText(t *testing.T) {
	db, _ := openTest(t)
	l := putOldLead(t, db, &lead.Lead{Name: "Acme", Email: "info@acme.test", Address: "Rua 1"})
	err := db.Update(func(tx *Tx) error {
		dirty := *l
		dirty.Name, dirty.City, dirty.Extra = "Ac\x00me\x1b[2J", "Lis\nboa", map[string]string{"note": "a\x07b"}
		return tx.putJSON(bucketLeads, idKey(l.ID), &dirty)
	})
	if err != nil {
		t.Fatal(err)
	}
	res, err := db.RepairLeads()
	if err != nil || res.Cleaned != 1 {
		t.Fatalf("repair = %+v, %v", res, err)
	}
	got, err := db.Lead(l.ID)
	if err != nil || got.Name != "Acme[2J" || got.City != "Lis boa" || got.Extra["note"] != "ab" {
		t.Errorf("after repair: %+v, %v", got, err)
	}
}
