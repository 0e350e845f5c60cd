package store

import (
	"testing"
	"time"

	"github.com/clientele/clientele/lead"
)

// A reply taken back (corrected to an auto-reply) puts each enrolment back as it was: a
// follow-up keeps the delay it had, and a step whose delivery nobody knows stays unknown,
// never resent on its own.
func TestReopenRestoresWhatTheStopReplaced(t *testing.T) {
	db, clk := openTest(t)
	l := mustPut(t, db, &lead.Lead{Name: "Rio Plumbing", Email: "ana@rio.example", Emails: []string{"ana@rio.example"}, Status: lead.StatusContacted})
	due := clk.Now().Add(72 * time.Hour)
	for _, e := range []*lead.Enrollment{
		{LeadID: l.ID, Campaign: "waiting", Email: l.Email, Step: 1, State: lead.StateActive, NextAt: due},
		{LeadID: l.ID, Campaign: "doubt", Email: l.Email, Step: 1, State: lead.StateUnknown, Reason: "interrupted"},
	} {
		if err := db.PutEnrollment(e); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := db.StopEnrollments(l.ID, "replied"); err != nil || n != 2 {
		t.Fatalf("stopped %d: %v", n, err)
	}
	if err := db.SetStatus(l.ID, lead.StatusReplied); err != nil {
		t.Fatal(err)
	}
	clk.Add(time.Hour)
	if n, err := db.ReopenAfterReply(l.ID); err != nil || n != 2 {
		t.Fatalf("reopened %d: %v", n, err)
	}
	waiting, _ := db.Enrollment("waiting", l.ID)
	if waiting.State != lead.StateActive || !waiting.NextAt.Equal(due) {
		t.Errorf("the follow-up came back %s, due %s; want active, due %s as before", waiting.State, waiting.NextAt, due)
	}
	doubt, _ := db.Enrollment("doubt", l.ID)
	if doubt.State != lead.StateUnknown || !doubt.NextAt.IsZero() {
		t.Errorf("the step of unknown fate came back %s, due %s; want unknown, not due", doubt.State, doubt.NextAt)
	}
	n := 0
	if err := db.Due(clk.Now().Add(24*time.Hour), func(*lead.Enrollment) bool { n++; return true }); err != nil || n != 0 {
		t.Errorf("%d enrolments due within a day of the reopen (%v)", n, err)
	}
}

// An enrolment stopped by an earlier version (no record of what the stop replaced) is not
// resent a step whose message went out with a fate nobody knows.
func TestReopenOfAnOldStopKeepsAnUnknownStep(t *testing.T) {
	db, clk := openTest(t)
	l := mustPut(t, db, &lead.Lead{Name: "Old Pipes", Email: "o@old.example", Emails: []string{"o@old.example"}, Status: lead.StatusReplied})
	if err := db.PutEnrollment(&lead.Enrollment{LeadID: l.ID, Campaign: "c", Email: l.Email, Step: 0, State: lead.StateStopped, Reason: "replied"}); err != nil {
		t.Fatal(err)
	}
	if err := db.PutSent(&lead.SentMessage{MessageID: "<s1@studio.example>", LeadID: l.ID, Campaign: "c", Step: 1, Mailbox: "me",
		To: l.Email, State: lead.SendUnknown, StartedAt: clk.Now()}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ReopenAfterReply(l.ID); err != nil {
		t.Fatal(err)
	}
	if e, _ := db.Enrollment("c", l.ID); e.State != lead.StateUnknown {
		t.Errorf("state %s, want unknown", e.State)
	}
}
