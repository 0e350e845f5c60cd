package store

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/clientele/clientele/lead"
)

func TestPutLeadCreate(t *testing.T) {
	db, clk := openTest(t)
	a := mustPut(t, db, &lead.Lead{
		Name: "Maria Silva", Email: " Maria@Example.COM ", Emails: []string{"maria@example.com", "info@example.com", "not an address"},
		Website: "https://www.example.com/about", Phone: "+351 912 345 678",
	})
	b := mustPut(t, db, &lead.Lead{Name: "Acme", Email: "info@acme.test"})
	if a.ID != 1 || b.ID != 2 {
		t.Errorf("ids = %d, %d; want 1, 2", a.ID, b.ID)
	}
	if a.Email != "maria@example.com" || !slices.Equal(a.Emails, []string{"maria@example.com", "info@example.com"}) {
		t.Errorf("addresses not normalised: %q %q", a.Email, a.Emails)
	}
	if a.Status != lead.StatusNew || a.RoleEmail || !b.RoleEmail {
		t.Errorf("status %q, role %v/%v", a.Status, a.RoleEmail, b.RoleEmail)
	}
	if !a.CreatedAt.Equal(clk.Now()) || !a.UpdatedAt.Equal(clk.Now()) {
		t.Errorf("times %v %v, want %v", a.CreatedAt, a.UpdatedAt, clk.Now())
	}
	got, err := db.Lead(a.ID)
	if err != nil || got.Name != "Maria Silva" || got.Phone != a.Phone {
		t.Fatalf("Lead(%d) = %+v, %v", a.ID, got, err)
	}
	for _, ref := range []string{"1", "maria@example.com", "INFO@example.com", "<maria@example.com>"} {
		if l, err := db.FindLead(ref); err != nil || l.ID != a.ID {
			t.Errorf("FindLead(%q) = %v, %v", ref, l, err)
		}
	}
	if l, err := db.LeadByDomain("shop.example.com"); err != nil || l.ID != a.ID {
		t.Errorf("LeadByDomain = %v, %v", l, err)
	}
	for _, ref := range []string{"99", "nobody@example.com"} {
		if _, err := db.FindLead(ref); !errors.Is(err, ErrNotFound) {
			t.Errorf("FindLead(%q) err = %v, want ErrNotFound", ref, err)
		}
	}
	if _, err := db.FindLead("garbage"); !errors.Is(err, ErrInvalid) {
		t.Errorf("FindLead(garbage) err = %v, want ErrInvalid", err)
	}
}

func TestPutLeadRejects(t *testing.T) {
	db, _ := openTest(t)
	mustPut(t, db, &lead.Lead{Name: "A", Email: "a@x.test"})
	tests := []struct {
		name string
		l    lead.Lead
		want error
	}{
		{"bad primary address", lead.Lead{Email: "not-an-address"}, ErrInvalid},
		{"bad status", lead.Lead{Email: "b@x.test", Status: "angry"}, ErrInvalid},
		{"address of another lead", lead.Lead{Email: "b@x.test", Emails: []string{"A@x.test"}}, ErrDuplicate},
		{"unknown id", lead.Lead{ID: 42, Email: "c@x.test"}, ErrNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := db.PutLead(&tc.l); !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want %v", err, tc.want)
			}
		})
	}
	if n, _ := db.CountLeads(); n != 1 {
		t.Errorf("CountLeads = %d after rejected writes, want 1", n)
	}
	// A rejected create does not use up an id.
	if l := mustPut(t, db, &lead.Lead{Email: "d@x.test"}); l.ID != 2 {
		t.Errorf("next id = %d, want 2", l.ID)
	}
}

func TestPutLeadMovesIndexEntries(t *testing.T) {
	db, clk := openTest(t)
	l := mustPut(t, db, &lead.Lead{Name: "Bob's Garage", Email: "bob@old.test", Website: "old.test", Phone: "555 123 456"})
	created := l.CreatedAt
	clk.Add(time.Hour)

	upd := *l
	upd.Email = "bob@new.test"
	upd.Emails = nil
	upd.Website = "http://new.test"
	upd.Phone = "555 999 999"
	upd.Status = lead.StatusContacted
	upd.CreatedAt = time.Time{}
	if err := db.PutLead(&upd); err != nil {
		t.Fatal(err)
	}
	if !upd.CreatedAt.Equal(created) || !upd.UpdatedAt.Equal(clk.Now()) {
		t.Errorf("times after replace: created %v updated %v", upd.CreatedAt, upd.UpdatedAt)
	}
	want := map[string][]string{
		string(bucketLeadEmail):     {"bob@new.test"},
		string(bucketLeadDomain):    {"new.test\x00" + string(idKey(l.ID))},
		string(bucketLeadStatus):    {"contacted\x00" + string(idKey(l.ID))},
		string(bucketLeadNamePhone): {"bobsgarage|555999999\x00" + string(idKey(l.ID))},
	}
	for bucket, keys := range want {
		if got := indexKeys(t, db, []byte(bucket)); !slices.Equal(got, keys) {
			t.Errorf("%s = %q, want %q", bucket, got, keys)
		}
	}
	if _, err := db.LeadByEmail("bob@old.test"); !errors.Is(err, ErrNotFound) {
		t.Errorf("old address still finds the lead: %v", err)
	}
	if _, err := db.LeadByDomain("old.test"); !errors.Is(err, ErrNotFound) {
		t.Errorf("old domain still finds the lead: %v", err)
	}
}

func TestSetStatus(t *testing.T) {
	tests := []struct {
		name     string
		from, to lead.Status
		want     lead.Status
	}{
		{"new to contacted", lead.StatusNew, lead.StatusContacted, lead.StatusContacted},
		{"contacted to replied", lead.StatusContacted, lead.StatusReplied, lead.StatusReplied},
		{"replied stays over contacted", lead.StatusReplied, lead.StatusContacted, lead.StatusReplied},
		{"bounced stays over new", lead.StatusBounced, lead.StatusNew, lead.StatusBounced},
		{"final to final", lead.StatusReplied, lead.StatusUnsubscribed, lead.StatusUnsubscribed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			db, _ := openTest(t)
			l := mustPut(t, db, &lead.Lead{Email: "a@x.test", Status: tc.from})
			if err := db.SetStatus(l.ID, tc.to); err != nil {
				t.Fatal(err)
			}
			got, _ := db.Lead(l.ID)
			if got.Status != tc.want {
				t.Errorf("status = %q, want %q", got.Status, tc.want)
			}
			if keys := indexKeys(t, db, bucketLeadStatus); !slices.Equal(keys, []string{string(tc.want) + "\x00" + string(idKey(l.ID))}) {
				t.Errorf("status index = %q", keys)
			}
		})
	}
	db, _ := openTest(t)
	if err := db.SetStatus(7, lead.StatusReplied); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown lead: %v", err)
	}
	l := mustPut(t, db, &lead.Lead{Email: "a@x.test"})
	if err := db.SetStatus(l.ID, "happy"); !errors.Is(err, ErrInvalid) {
		t.Errorf("bad status: %v", err)
	}
}

func TestPutLeadKeepsFinalStatus(t *testing.T) {
	db, _ := openTest(t)
	l := mustPut(t, db, &lead.Lead{Email: "a@x.test"})
	stale := *l
	if err := db.SetStatus(l.ID, lead.StatusReplied); err != nil {
		t.Fatal(err)
	}
	stale.Status = lead.StatusContacted
	if err := db.PutLead(&stale); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.Lead(l.ID); got.Status != lead.StatusReplied {
		t.Errorf("a stale write moved a replied lead to %q", got.Status)
	}
}

func TestListingAndCounting(t *testing.T) {
	db, _ := openTest(t)
	const n = 2500 // more than two pages
	for i := 1; i <= n; i++ {
		s := lead.StatusNew
		if i%10 == 0 {
			s = lead.StatusContacted
		}
		mustPut(t, db, &lead.Lead{Email: fmt.Sprintf("p%d@x.test", i), Status: s})
	}
	if c, _ := db.CountLeads(); c != n {
		t.Errorf("CountLeads = %d", c)
	}
	counts, _ := db.CountByStatus()
	if counts[lead.StatusNew] != n-n/10 || counts[lead.StatusContacted] != n/10 || len(counts) != 2 {
		t.Errorf("CountByStatus = %v", counts)
	}

	// fn runs outside a transaction: it can write, here moving every lead to contacted.
	var ids []lead.ID
	err := db.ForEachLead(func(l *lead.Lead) error {
		ids = append(ids, l.ID)
		return db.SetStatus(l.ID, lead.StatusContacted)
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != n || !slices.IsSorted(ids) {
		t.Errorf("ForEachLead visited %d leads (sorted %v)", len(ids), slices.IsSorted(ids))
	}
	seen := 0
	err = db.LeadsWithStatus(lead.StatusContacted, func(l *lead.Lead) error {
		if l.Status != lead.StatusContacted {
			t.Errorf("lead %d in status %q listed as contacted", l.ID, l.Status)
		}
		seen++
		return nil
	})
	if err != nil || seen != n {
		t.Errorf("LeadsWithStatus(contacted) = %d, %v", seen, err)
	}
	stop := errors.New("stop")
	seen = 0
	err = db.ForEachLead(func(*lead.Lead) error { seen++; return stop })
	if !errors.Is(err, stop) || seen != 1 {
		t.Errorf("an error from fn did not stop the walk: %v after %d", err, seen)
	}
}

func TestLeadsGetTheirCountry(t *testing.T) {
	db, _ := openTest(t)
	in := []*lead.Lead{
		{Name: "Müller", Email: "info@mueller.example", Phone: "+49 30 901820"},
		{Name: "Bloggs", Email: "joe@bloggs.co.uk"},
		{Name: "Silva", Email: "geral@silva.example", Country: "PT", Phone: "+49 30 901821"},
		{Name: "Nobody", Email: "hi@nobody.example"},
	}
	res, err := db.UpsertLeads(in)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{"DE", "GB", "PT", ""} {
		l, err := db.Lead(res.IDs[i])
		if err != nil {
			t.Fatal(err)
		}
		if l.Country != want {
			t.Errorf("%s: country %q, want %q", l.Name, l.Country, want)
		}
	}
}
