package store

import (
	"errors"
	"testing"

	"github.com/clientele/clientele/lead"
)

// errRollback ends a fuzz iteration's transaction without committing it.
var errRollback = errors.New("rollback")

// FuzzUpsertLeads feeds leads made of arbitrary text (as a crawl or a CSV import may
// produce) through the merge: each is stored or refused with ErrInvalid, every address of
// a stored lead finds it, and the indexes stay in step with the records. Each input runs in
// a transaction that is rolled back, so inputs meet the same seeded database.
func FuzzUpsertLeads(f *testing.F) {
	f.Add("Ana Lima", "Ana@Studio.test", "x@studio.test", "https://studio.test", "+351 912 345 678", "replied")
	f.Add("", "a\x00b@x.test", "", "http://[::1]/", "", "")
	f.Add("Bob", "bob@bücher.de", "<bob@xn--bcher-kva.de>", "bücher.de", "12-34-56", "new")
	f.Add("\x00", "@", "a@b", "facebook.com/x", "000000", "bogus")
	db, _ := openTest(f)
	seed := mustPut(f, db, &lead.Lead{Name: "Seed", Email: "seed@studio.test", Website: "studio.test", Phone: "+351 912 345 678"})
	mustPut(f, db, &lead.Lead{Name: "Other", Email: "x@other.test", Emails: []string{"bob@xn--bcher-kva.de"}})
	f.Fuzz(func(t *testing.T, name, email, other, website, phone, status string) {
		in := []*lead.Lead{
			{Name: name, Email: email, Emails: []string{other, email}, Website: website, Phone: phone, Status: lead.Status(status)},
			{Name: name, Emails: []string{other}, Website: website, Phone: phone},
		}
		err := db.Update(func(tx *Tx) error {
			for i, l := range in {
				id, _, err := tx.UpsertLead(l)
				if err != nil {
					if !errors.Is(err, ErrInvalid) {
						t.Errorf("input %d: %v", i, err)
					}
					continue
				}
				got, err := tx.Lead(id)
				if err != nil {
					t.Fatalf("lead %d of input %d: %v", id, i, err)
				}
				for _, e := range got.Emails {
					if owner, err := tx.LeadByEmail(e); err != nil || owner.ID != id {
						t.Errorf("LeadByEmail(%q) = %v, %v; want lead %d", e, owner, err, id)
					}
				}
			}
			if _, err := tx.Lead(seed.ID); err != nil {
				t.Errorf("seed lead lost: %v", err)
			}
			checkIndexesTx(t, tx)
			return errRollback
		})
		if !errors.Is(err, errRollback) {
			t.Fatal(err)
		}
	})
}
