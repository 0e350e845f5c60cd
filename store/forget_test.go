package store

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/clientele/clientele/lead"
	"go.etcd.io/bbolt"
)

// tracesOf lists every key and value in the file, at any depth, that contains needle.
func tracesOf(t *testing.T, db *DB, needle string) []string {
	t.Helper()
	var found []string
	n := []byte(strings.ToLower(needle))
	var walk func(path string, b *bbolt.Bucket) error
	walk = func(path string, b *bbolt.Bucket) error {
		return b.ForEach(func(k, v []byte) error {
			if bytes.Contains(bytes.ToLower(k), n) || bytes.Contains(bytes.ToLower(v), n) {
				found = append(found, path+"/"+string(k))
			}
			if v == nil {
				if sub := b.Bucket(k); sub != nil {
					return walk(path+"/"+string(k), sub)
				}
			}
			return nil
		})
	}
	err := db.bolt.View(func(tx *bbolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bbolt.Bucket) error { return walk(string(name), b) })
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// seedPerson stores a lead with everything that can hang off one: enrolments in two
// campaigns, messages, events, and a mention in another lead.
func seedPerson(t *testing.T, db *DB, l *lead.Lead) {
	t.Helper()
	mustPut(t, db, l)
	for i, c := range []string{"spring", "autumn"} {
		mid := fmt.Sprintf("%s-%d@us.test", c, l.ID)
		en := &lead.Enrollment{LeadID: l.ID, Campaign: c, Email: l.Email, NextAt: db.now().Add(1e9), MessageIDs: []string{mid}}
		if i == 1 {
			en.State = lead.StateFinished
		}
		if err := db.PutEnrollment(en); err != nil {
			t.Fatal(err)
		}
		if err := db.PutSent(&lead.SentMessage{MessageID: "<" + mid + ">", LeadID: l.ID, Campaign: c, To: l.Email, Mailbox: "m1"}); err != nil {
			t.Fatal(err)
		}
		if err := db.RecordSend("m1", db.now(), mid); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.AddEvent(&lead.Event{LeadID: l.ID, Kind: lead.KindReply, From: l.Email, Snippet: "thanks"}); err != nil {
		t.Fatal(err)
	}
}

func TestForgetLeadLeavesNoTrace(t *testing.T) {
	db, _ := openTest(t)
	const addr = "jane.doe@corner-shop.test"
	seedPerson(t, db, &lead.Lead{Name: "Jane Doe", Email: "Jane.Doe@corner-shop.test", Emails: []string{"info@corner-shop.test"}})
	other := &lead.Lead{Name: "Someone", Email: "someone@else.test", Extra: map[string]string{"referred_by": addr, "country": "PT"}}
	seedPerson(t, db, other)
	// An event about the address that no lead owns (an unmatched reply).
	if err := db.AddEvent(&lead.Event{Kind: lead.KindReply, From: addr}); err != nil {
		t.Fatal(err)
	}
	if got := tracesOf(t, db, addr); len(got) < 8 {
		t.Fatalf("seeding left only %d traces: %v", len(got), got)
	}

	if err := db.ForgetLead("JANE.DOE@corner-shop.test"); err != nil {
		t.Fatal(err)
	}
	if got := tracesOf(t, db, addr); !slices.Equal(got, []string{"suppress/" + addr}) {
		t.Errorf("traces left: %q, want only the suppression entry", got)
	}
	if got := tracesOf(t, db, "info@corner-shop.test"); len(got) != 0 {
		t.Errorf("the forgotten lead's other address is left: %q", got)
	}
	if s, _ := db.Suppressions(); len(s) != 1 || s[0].Reason != "forget" {
		t.Errorf("Suppressions = %+v", s)
	}
	// The other person is untouched apart from the mention.
	o, err := db.Lead(other.ID)
	if err != nil || o.Extra["country"] != "PT" || len(o.Extra) != 1 {
		t.Errorf("other lead = %+v, %v", o, err)
	}
	if es, _ := db.EnrollmentsOf(other.ID); len(es) != 2 {
		t.Errorf("other lead's enrolments = %d", len(es))
	}
	if n, _ := db.SendsBetween("m1", db.now().Add(-1e9), db.now().Add(1e9)); n != 4 {
		t.Errorf("send log lost entries: %d, want 4: limits count real sends", n)
	}
	s, _ := db.Stats()
	if s.Leads != 1 || s.Enrollments != 2 || s.Sent != 2 || s.Events != 1 || s.Scheduled != 1 {
		t.Errorf("Stats = %+v", s)
	}
}

func TestForgetSecondaryAddress(t *testing.T) {
	db, _ := openTest(t)
	l := mustPut(t, db, &lead.Lead{Name: "Shop", Email: "info@shop.test", Emails: []string{"old.owner@shop.test"}})
	if err := db.AddEvent(&lead.Event{LeadID: l.ID, Kind: lead.KindReply, From: "old.owner@shop.test"}); err != nil {
		t.Fatal(err)
	}
	if err := db.AddEvent(&lead.Event{LeadID: l.ID, Kind: lead.KindDelivered, From: "postmaster@shop.test"}); err != nil {
		t.Fatal(err)
	}
	if err := db.ForgetLead("old.owner@shop.test"); err != nil {
		t.Fatal(err)
	}
	got, err := db.Lead(l.ID)
	if err != nil || !slices.Equal(got.Emails, []string{"info@shop.test"}) {
		t.Fatalf("lead = %+v, %v", got, err)
	}
	if evs, _ := db.EventsOf(l.ID); len(evs) != 1 || evs[0].Kind != lead.KindDelivered {
		t.Errorf("events = %+v", evs)
	}
	if got := tracesOf(t, db, "old.owner@shop.test"); !slices.Equal(got, []string{"suppress/old.owner@shop.test"}) {
		t.Errorf("traces: %q", got)
	}
}

func TestForgetUnknownStillSuppresses(t *testing.T) {
	db, _ := openTest(t)
	if err := db.ForgetLead("ghost@x.test"); !errors.Is(err, ErrNotFound) {
		t.Errorf("err = %v, want ErrNotFound", err)
	}
	if ok, _ := db.IsSuppressed("ghost@x.test"); !ok {
		t.Error("not suppressed")
	}
	if err := db.ForgetLead("not an address"); !errors.Is(err, ErrInvalid) {
		t.Errorf("err = %v, want ErrInvalid", err)
	}
}

func TestForgetLeavesNoBytesInTheFile(t *testing.T) {
	db, _ := openTest(t)
	var ls []*lead.Lead
	for i := 0; i < 300; i++ {
		ls = append(ls, &lead.Lead{Name: fmt.Sprintf("Shop %d", i), Email: fmt.Sprintf("owner%d@shop%d.example", i, i)})
	}
	ls = append(ls, &lead.Lead{Name: "Maria Forgettable", Email: "maria.forgettable@private.example", Phone: "+351 999 888 777"})
	if _, err := db.UpsertLeads(ls); err != nil {
		t.Fatal(err)
	}
	// Rewrite the lead a few times so older copies sit in freed pages too.
	for i := 0; i < 3; i++ {
		l, err := db.LeadByEmail("maria.forgettable@private.example")
		if err != nil {
			t.Fatal(err)
		}
		l.City = fmt.Sprintf("City %d", i)
		if err := db.PutLead(l); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.ForgetLead("maria.forgettable@private.example"); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(db.Path())
	if err != nil {
		t.Fatal(err)
	}
	// The suppression entry keeps the address itself; the name and phone must be gone.
	for _, trace := range []string{"Maria Forgettable", "999 888 777"} {
		if bytes.Contains(raw, []byte(trace)) {
			t.Errorf("%q is still in the database file", trace)
		}
	}
	// A suppression entry is stored as key then value: addr{"value":"addr",...}. Copies of
	// that entry may remain; no other occurrence of the address may.
	addr := "maria.forgettable@private.example"
	all := bytes.Count(raw, []byte(addr))
	entries := bytes.Count(raw, []byte(addr+`{"value":"`+addr))
	if all != 2*entries || entries == 0 {
		t.Errorf("the address appears %d times in the file, %d of them in suppression entries", all, 2*entries)
	}
}
