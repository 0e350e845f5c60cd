package store

import (
	"fmt"
	"testing"

	"github.com/clientele/clientele/lead"
	"go.etcd.io/bbolt"
)

func names(ls []lead.Lead) []string {
	var out []string
	for _, l := range ls {
		out = append(out, l.Name)
	}
	return out
}

func TestSearchIndexFollowsEveryWrite(t *testing.T) {
	db, _ := openTest(t)
	l := &lead.Lead{Name: "Acme Plumbing", Email: "info@acme.example", City: "Lisboa", Category: "plumbing"}
	if err := db.PutLead(l); err != nil {
		t.Fatal(err)
	}
	find := func(q LeadQuery) []string {
		t.Helper()
		ls, _, err := db.SearchLeads(q)
		if err != nil {
			t.Fatal(err)
		}
		return names(ls)
	}
	if got := find(LeadQuery{Q: "acm"}); len(got) != 1 {
		t.Errorf("prefix: %v", got)
	}
	l.Name = "Bolt Electric"
	if err := db.PutLead(l); err != nil {
		t.Fatal(err)
	}
	if got := find(LeadQuery{Q: "acme plumbing"}); len(got) != 0 {
		t.Errorf("old name still found: %v", got)
	}
	if got := find(LeadQuery{Q: "bolt"}); len(got) != 1 {
		t.Errorf("new name not found: %v", got)
	}
	if got := find(LeadQuery{Q: "acme.example"}); len(got) != 1 {
		t.Errorf("email domain not found: %v", got)
	}
	if got := find(LeadQuery{Q: "bolt electric."}); len(got) != 1 {
		t.Errorf("words with a full stop not found: %v", got)
	}
	if got := find(LeadQuery{Q: "@acme.example"}); len(got) != 1 {
		t.Errorf("@domain not found: %v", got)
	}
	if _, err := db.SetOutcome(l.ID, lead.OutcomeMeeting); err != nil {
		t.Fatal(err)
	}
	if got := find(LeadQuery{Outcome: "meeting"}); len(got) != 1 {
		t.Errorf("outcome: %v", got)
	}
	if err := db.ForgetLead("info@acme.example"); err != nil {
		t.Fatal(err)
	}
	if got := find(LeadQuery{Q: "bolt"}); len(got) != 0 {
		t.Errorf("forgotten lead still found: %v", got)
	}
	if got := find(LeadQuery{Outcome: "meeting"}); len(got) != 0 {
		t.Errorf("forgotten lead still has an outcome entry: %v", got)
	}
}

func TestSearchIndexIsBuiltForLeadsStoredBeforeIt(t *testing.T) {
	db, _ := openTest(t)
	for i := range 30 {
		if err := db.PutLead(&lead.Lead{Name: fmt.Sprintf("Shop %d", i), City: "Porto"}); err != nil {
			t.Fatal(err)
		}
	}
	// As a database written before the index existed: no bucket at all.
	if err := db.bolt.Update(func(tx *bbolt.Tx) error { return tx.DeleteBucket(bucketLeadSearch) }); err != nil {
		t.Fatal(err)
	}
	ls, _, err := db.SearchLeads(LeadQuery{City: "porto", Limit: 100})
	if err != nil || len(ls) != 30 {
		t.Fatalf("after building: %d leads, %v", len(ls), err)
	}
}

func TestSearchLeadsPages(t *testing.T) {
	db, _ := openTest(t)
	for i := range 25 {
		st := lead.StatusNew
		if i%2 == 0 {
			st = lead.StatusContacted
		}
		if err := db.PutLead(&lead.Lead{Name: fmt.Sprintf("Shop %02d Store", i), Status: st, Category: "bakery"}); err != nil {
			t.Fatal(err)
		}
	}
	for name, q := range map[string]LeadQuery{
		"all":                              {},
		"status":                           {Status: "contacted"},
		"category":                         {Category: "Bakery"},
		"word":                             {Q: "shop"},
		"prefix of two words of each lead": {Q: "s"},
		"combined":                         {Q: "shop", Status: "new", Category: "bakery"},
	} {
		t.Run(name, func(t *testing.T) {
			var all []string
			q.Limit = 4
			seen := map[string]bool{}
			for page := 0; page < 20; page++ {
				ls, next, err := db.SearchLeads(q)
				if err != nil {
					t.Fatal(err)
				}
				for _, l := range ls {
					if seen[l.Name] {
						t.Fatalf("%s twice", l.Name)
					}
					seen[l.Name] = true
					if q.Before != 0 && l.ID >= q.Before {
						t.Fatalf("page not below its cursor")
					}
				}
				all = append(all, names(ls)...)
				if next == 0 {
					break
				}
				q.Before = next
			}
			want := 25
			switch name {
			case "status":
				want = 13
			case "combined":
				want = 12
			}
			if len(all) != want || all[0] != "Shop 24 Store" && all[0] != "Shop 23 Store" {
				t.Errorf("%d leads, first %v, want %d newest first", len(all), all[:1], want)
			}
		})
	}
}

func TestSetOutcomeStopsOnNo(t *testing.T) {
	db, _ := openTest(t)
	l := &lead.Lead{Name: "Acme", Email: "info@acme.example"}
	if err := db.PutLead(l); err != nil {
		t.Fatal(err)
	}
	if err := db.PutEnrollment(&lead.Enrollment{LeadID: l.ID, Campaign: "c", State: lead.StateActive, Email: l.Email}); err != nil {
		t.Fatal(err)
	}
	if n, err := db.SetOutcome(l.ID, lead.OutcomeInterested); err != nil || n != 0 {
		t.Fatalf("interested: %d %v", n, err)
	}
	if n, err := db.SetOutcome(l.ID, lead.OutcomeNotInterested); err != nil || n != 1 {
		t.Fatalf("not_interested: %d %v", n, err)
	}
	if _, err := db.SetOutcome(l.ID, "maybe"); err == nil {
		t.Error("an unknown outcome was accepted")
	}
	events, _ := db.EventsOf(l.ID)
	if len(events) != 2 || events[1].Kind != KindAction || events[1].Snippet != "outcome set to not_interested; 1 sequence(s) stopped" {
		t.Errorf("timeline: %+v", events)
	}
	counts, err := db.CountOutcomes()
	if err != nil || len(counts) != 1 || counts[0].Outcome != lead.OutcomeNotInterested || counts[0].Campaign != "c" {
		t.Errorf("counts %+v %v", counts, err)
	}
}

func TestEventsBeforePages(t *testing.T) {
	db, _ := openTest(t)
	for i := range 7 {
		k := lead.KindReply
		if i%3 == 0 {
			k = KindAction
		}
		if err := db.AddEvent(&lead.Event{LeadID: 1, Kind: k, Snippet: fmt.Sprint(i)}); err != nil {
			t.Fatal(err)
		}
	}
	replies := func(e *lead.Event) bool { return e.Kind == lead.KindReply }
	var got []string
	var before uint64
	for range 5 {
		es, next, err := db.EventsBefore(before, 2, replies)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range es {
			got = append(got, e.Snippet)
		}
		if next == 0 {
			break
		}
		before = next
	}
	if fmt.Sprint(got) != "[5 4 2 1]" {
		t.Errorf("pages gave %v, want the replies newest first, each once", got)
	}
}

func TestEventsOfKindFollowsCorrections(t *testing.T) {
	db, _ := openTest(t)
	add := func(k lead.Kind, text string) uint64 {
		e := &lead.Event{LeadID: 1, Kind: k, Snippet: text}
		if err := db.AddEvent(e); err != nil {
			t.Fatal(err)
		}
		return e.ID
	}
	add(lead.KindReply, "r1") // before the index exists: the first query builds it
	ooo := add(lead.KindReply, "r2")
	list := func(k lead.Kind) string {
		t.Helper()
		var got []string
		var before uint64
		for range 10 {
			es, next, err := db.EventsOfKind(k, before, 1)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range es {
				got = append(got, e.Snippet)
			}
			if next == 0 {
				break
			}
			before = next
		}
		return fmt.Sprint(got)
	}
	if got := list(lead.KindReply); got != "[r2 r1]" {
		t.Errorf("replies %s", got)
	}
	add(lead.KindBounce, "b1")
	add(lead.KindReply, "r3")
	if err := db.SetEventKind(ooo, lead.KindAutoReply); err != nil {
		t.Fatal(err)
	}
	if got := list(lead.KindReply); got != "[r3 r1]" {
		t.Errorf("replies after the correction %s", got)
	}
	if got := list(lead.KindAutoReply) + list(lead.KindBounce); got != "[r2][b1]" {
		t.Errorf("auto-replies and bounces %s", got)
	}
}
