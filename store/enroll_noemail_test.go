package store

import (
	"errors"
	"testing"

	"github.com/clientele/clientele/lead"
)

// A lead without an address is kept but never in a live sequence, by any path that
// writes enrolments.
func TestLeadWithoutEmailIsNeverEnrolled(t *testing.T) {
	db, _ := openTest(t)
	none := mustPut(t, db, &lead.Lead{Name: "No Mail Co", Phone: "+351 210 000 000"})
	err := db.PutEnrollment(&lead.Enrollment{LeadID: none.ID, Campaign: "c", State: lead.StateActive})
	if !errors.Is(err, ErrInvalid) {
		t.Errorf("PutEnrollment of a lead without email: %v, want ErrInvalid", err)
	}
	err = db.OutreachCommit([]*lead.Enrollment{{LeadID: none.ID, Campaign: "c", State: lead.StateActive}}, nil, nil)
	if !errors.Is(err, ErrInvalid) {
		t.Errorf("OutreachCommit of a lead without email: %v, want ErrInvalid", err)
	}
	if ens, _ := db.EnrollmentsOf(none.ID); len(ens) != 0 {
		t.Errorf("enrolments stored: %+v", ens)
	}
	// A lead with an address gets it on an enrolment that names none.
	with := mustPut(t, db, &lead.Lead{Name: "Mail Co", Email: "hi@mail.test"})
	if err := db.PutEnrollment(&lead.Enrollment{LeadID: with.ID, Campaign: "c"}); err != nil {
		t.Fatal(err)
	}
	if en, err := db.Enrollment("c", with.ID); err != nil || en.Email != "hi@mail.test" {
		t.Errorf("enrolment = %+v, %v", en, err)
	}
}
