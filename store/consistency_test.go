package store

import (
	"maps"
	"slices"
	"testing"

	"github.com/clientele/clientele/lead"
)

// checkIndexes rebuilds every index from the records and compares it with the stored one,
// so each test that writes also proves the indexes stayed in step.
func checkIndexes(t testing.TB, db *DB) {
	t.Helper()
	if err := db.View(func(tx *Tx) error { checkIndexesTx(t, tx); return nil }); err != nil {
		t.Errorf("check indexes: %v", err)
	}
}

// checkIndexesTx is checkIndexes inside a transaction, which sees its uncommitted writes.
func checkIndexesTx(t testing.TB, tx *Tx) {
	t.Helper()
	want := map[string]map[string]string{}
	add := func(bucket []byte, k, v []byte) {
		if want[string(bucket)] == nil {
			want[string(bucket)] = map[string]string{}
		}
		want[string(bucket)][string(k)] = string(v)
	}
	err := func() error {
		err := tx.b(bucketLeads).ForEach(func(k, v []byte) error {
			l, err := decodeJSON[lead.Lead](bucketLeads, k, v)
			if err != nil {
				return err
			}
			for _, e := range l.Emails {
				add(bucketLeadEmail, []byte(e), idKey(l.ID))
			}
			if d := leadDomain(l); d != "" {
				add(bucketLeadDomain, join(d, idKey(l.ID)), nil)
			}
			if np := namePhoneKey(l); np != "" {
				add(bucketLeadNamePhone, join(np, idKey(l.ID)), nil)
			}
			if np := namePlaceKey(l); np != "" {
				add(bucketLeadNamePlace, join(np, idKey(l.ID)), nil)
			}
			add(bucketLeadStatus, join(string(l.Status), idKey(l.ID)), nil)
			return nil
		})
		if err != nil {
			return err
		}
		err = tx.b(bucketEnrollments).ForEach(func(k, v []byte) error {
			e, err := decodeJSON[lead.Enrollment](bucketEnrollments, k, v)
			if err != nil {
				return err
			}
			for bucket, ik := range enrollIndexKeys(e) {
				add([]byte(bucket), ik, nil)
			}
			return nil
		})
		if err != nil {
			return err
		}
		err = tx.b(bucketSent).ForEach(func(k, v []byte) error {
			m, err := decodeJSON[lead.SentMessage](bucketSent, k, v)
			if err == nil && m.LeadID != 0 {
				add(bucketSentLead, join(idKey(m.LeadID), k), nil)
			}
			return err
		})
		if err != nil {
			return err
		}
		err = tx.b(bucketEvents).ForEach(func(k, v []byte) error {
			e, err := decodeJSON[lead.Event](bucketEvents, k, v)
			if err == nil && e.LeadID != 0 {
				add(bucketEventLead, join(idKey(e.LeadID), k), nil)
			}
			return err
		})
		if err != nil {
			return err
		}
		for _, bucket := range [][]byte{
			bucketLeadEmail, bucketLeadDomain, bucketLeadStatus, bucketLeadNamePhone, bucketLeadNamePlace,
			bucketEnrollDue, bucketEnrollLead, bucketEnrollEmail, bucketEnrollDomain,
			bucketSentLead, bucketEventLead,
		} {
			got := map[string]string{}
			if b := tx.tx.Bucket(bucket); b != nil {
				b.ForEach(func(k, v []byte) error { got[string(k)] = string(v); return nil })
			}
			w := want[string(bucket)]
			if w == nil {
				w = map[string]string{}
			}
			if !maps.Equal(got, w) {
				gk, wk := slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(w))
				t.Errorf("index %s out of step with the records:\n got %q\nwant %q", bucket, gk, wk)
			}
		}
		return nil
	}()
	if err != nil {
		t.Errorf("check indexes: %v", err)
	}
}
