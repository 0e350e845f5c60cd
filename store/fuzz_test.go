package store

import (
	"errors"
	"testing"

	"github.com/clientele/clientele/lead"
)

// FuzzUpsertLeads feeds leads made of arbitrary text (as a crawl or a CSV import may
// produce) through UpsertLeads and PutLead: each is stored or refused with ErrInvalid, and
// the indexes stay in step with the records.
func FuzzUpsertLeads(f *testing.F) {
	f.Add("Ana Lima", "Ana@Studio.test", "x@studio.test", "https://studio.test", "+351 912 345 678", "replied")
	f.Add("", "a\x00b@x.test", "", "http://[::1]/", "", "")
	f.Add("Bob", "bob@bücher.de", "<bob@xn--bcher-kva.de>", "bücher.de", "12-34-56", "new")
	f.Add("\x00", "@", "a@b", "facebook.com/x", "000000", "bogus")
	db, _ := openTest(f) // shared: each input also meets what earlier ones stored
	seed := mustPut(f, db, &lead.Lead{Name: "Seed", Email: "seed@studio.test", Website: "studio.test", Phone: "+351 912 345 678"})
	f.Fuzz(func(t *testing.T, name, email, other, website, phone, status string) {
		in := []*lead.Lead{
			{Name: name, Email: email, Emails: []string{other, email}, Website: website, Phone: phone, Status: lead.Status(status)},
			{Name: name, Emails: []string{other}, Website: website, Phone: phone},
		}
		res, err := db.UpsertLeads(in)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("UpsertLeads: %v", err)
			}
			return
		}
		for i, id := range res.IDs {
			l, err := db.Lead(id)
			if err != nil {
				t.Fatalf("lead %d of input %d: %v", id, i, err)
			}
			for _, e := range l.Emails {
				if got, err := db.LeadByEmail(e); err != nil || got.ID != id {
					t.Errorf("LeadByEmail(%q) = %v, %v; want lead %d", e, got, err, id)
				}
			}
		}
		if _, err := db.Lead(seed.ID); err != nil {
			t.Errorf("seed lead lost: %v", err)
		}
	})
}
