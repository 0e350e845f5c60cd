package outreach

import (
	"testing"

	"github.com/clientele/clientele/lead"
)

// Every business a crawl finds is kept, with or without an email; one without is never
// enrolled, in any pass, and sending to the others is not held up by it.
func TestLeadsWithoutEmailAreNeverEnrolled(t *testing.T) {
	clk := newClock(monday10)
	srv := newSMTPServer(t)
	db, _ := newDB(t, clk)
	e := newEngine(testConfig(t, srv.port), db, clk)
	ls := addLeads(t, db, 4, func(i int, l *lead.Lead) {
		if i%2 == 1 {
			l.Email = ""
			l.Phone = "+351 210 000 00" + string(rune('0'+i))
		}
	})
	if sum, _ := send(t, e, false); sum.Sent != 2 || sum.Enrolled != 2 {
		t.Fatalf("first pass: %+v", sum)
	}
	if sum, _ := send(t, e, false); sum.Enrolled != 0 {
		t.Fatalf("second pass enrolled %d", sum.Enrolled)
	}
	n := 0
	err := db.ForEachLead(func(l *lead.Lead) error {
		n++
		ens, err := db.EnrollmentsOf(l.ID)
		if err != nil {
			return err
		}
		if l.Email == "" && len(ens) > 0 {
			t.Errorf("lead %d (%s) has no email and was enrolled: %+v", l.ID, l.Name, ens[0])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != len(ls) {
		t.Errorf("%d leads stored, want all %d kept", n, len(ls))
	}
}
