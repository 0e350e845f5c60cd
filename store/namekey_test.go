package store

import (
	"testing"

	"github.com/clientele/clientele/lead"
)

// One business written two ways ("Tile Co." on one directory, "tile co" on another) with
// one phone is one lead, as the crawler reads it; a store whose name index was built with
// the earlier key (lower case, spaces collapsed) is rebuilt before the upsert.
func TestNamesCompareAsTheCrawlerCompares(t *testing.T) {
	db, _ := openTest(t)
	first := mustPut(t, db, &lead.Lead{Name: "Tile Co.", Phone: "+44 113 555 0101"})
	// The index as an earlier version wrote it, and its identity version.
	err := db.Update(func(tx *Tx) error {
		b := tx.b(bucketLeadNamePhone)
		if err := b.Delete(join(namePhoneKey(first), idKey(first.ID))); err != nil {
			return err
		}
		if err := b.Put(join("tile co.|441135550101", idKey(first.ID)), nil); err != nil {
			return err
		}
		return tx.b(bucketMeta).Put(keyLeadIdentity, u64Key(1))
	})
	if err != nil {
		t.Fatal(err)
	}
	res, err := db.UpsertLeads([]*lead.Lead{{Name: "TILE CO", Phone: "+44 113 555 0101", Email: "sales@tileco.test", Emails: []string{"sales@tileco.test"}}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != 0 || res.IDs[0] != first.ID {
		t.Errorf("the same name written another way made another lead: %+v", res)
	}
}
