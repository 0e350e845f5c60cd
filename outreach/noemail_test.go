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

// A lead the crawl kept without an email (name and phone only) is stored but never
// enrolled; once a later crawl adds an address, it is.
func TestLeadWithoutEmailIsNeverEnrolled(t *testing.T) {
	clk := newClock(monday10)
	srv := newSMTPServer(t)
	db, _ := newDB(t, clk)
	e := newEngine(testConfig(t, srv.port), db, clk)
	addLeads(t, db, 3, func(i int, l *lead.Lead) {
		if i > 0 {
			l.Email, l.Phone = "", "+351 21 555 000"+string(rune('0'+i))
		}
	})
	sum, _ := send(t, e, false)
	if sum.Sent != 1 || sum.Enrolled != 1 {
		t.Fatalf("summary %+v, want one lead enrolled and sent to", sum)
	}
	n := 0
	_ = db.ForEachEnrollment(func(en *lead.Enrollment) error { n++; return nil })
	if n != 1 {
		t.Fatalf("%d enrolments, want 1", n)
	}
	// A later crawl finds the second business's address: it merges by name and phone.
	if _, err := db.UpsertLeads([]*lead.Lead{{Name: "Business 1", Phone: "+351 21 555 0001", Email: "b1@biz1.example", Emails: []string{"b1@biz1.example"}}}); err != nil {
		t.Fatal(err)
	}
	if sum, _ := send(t, e, false); sum.Enrolled != 1 || sum.Sent != 1 {
		t.Fatalf("after the address was found: %+v", sum)
	}
}
