package outreach

import (
	"testing"

	"github.com/clientele/clientele/lead"
)

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
