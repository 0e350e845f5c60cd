package store

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/clientele/clientele/lead"
)

func TestRetention(t *testing.T) {
	day := 24 * time.Hour
	start := time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC)
	clock := start
	db, err := Open(filepath.Join(t.TempDir(), "r.db"), Options{Now: func() time.Time { return clock }})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	at := func(d time.Duration) time.Time { return start.Add(d) }

	put := func(name, email string, status lead.Status, outcome lead.Outcome, created time.Time) lead.ID {
		t.Helper()
		clock = created
		l := &lead.Lead{Name: name, Email: email, Status: status, Outcome: outcome, Phone: name}
		if email != "" {
			l.Emails = []string{email}
		}
		if err := db.PutLead(l); err != nil {
			t.Fatal(err)
		}
		return l.ID
	}
	enrol := func(id lead.ID, email string, state lead.State, step int, updated time.Time) {
		t.Helper()
		clock = updated
		e := &lead.Enrollment{LeadID: id, Campaign: "c", Email: email, State: state, Step: step, EnrolledAt: updated}
		if state == lead.StateActive {
			e.NextAt = updated.Add(day)
		}
		if err := db.PutEnrollment(e); err != nil {
			t.Fatal(err)
		}
	}

	oldNew := put("old new", "a@old.test", lead.StatusNew, "", at(0))
	put("young new", "b@young.test", lead.StatusNew, "", at(300*day))
	unanswered := put("unanswered", "c@unanswered.test", lead.StatusContacted, "", at(0))
	enrol(unanswered, "c@unanswered.test", lead.StateFinished, 3, at(20*day))
	live := put("live", "d@live.test", lead.StatusContacted, "", at(0))
	enrol(live, "d@live.test", lead.StateActive, 1, at(10*day))
	put("replied", "e@replied.test", lead.StatusReplied, "", at(0))
	put("interested", "f@interested.test", lead.StatusContacted, lead.OutcomeInterested, at(0))
	optedOut := put("opted out", "g@optout.test", lead.StatusUnsubscribed, "", at(0))
	enrol(optedOut, "g@optout.test", lead.StateStopped, 1, at(5*day))
	if err := db.Suppress("g@optout.test", "unsubscribe"); err != nil {
		t.Fatal(err)
	}
	noEmail := put("no email", "", lead.StatusNew, "", at(0))
	// Step 1 went out with a fate nobody knows, and the user stopped the sequence: the
	// lead may have been written to, so it is forgotten as one that was, and suppressed.
	doubt := put("doubt", "i@doubt.test", lead.StatusNew, "", at(0))
	enrol(doubt, "i@doubt.test", lead.StateStopped, 0, at(5*day))
	clock = at(5 * day)
	if err := db.PutSent(&lead.SentMessage{MessageID: "<s@studio.test>", LeadID: doubt, Campaign: "c", Step: 1, Mailbox: "me",
		To: "i@doubt.test", State: lead.SendUnknown, StartedAt: at(5 * day)}); err != nil {
		t.Fatal(err)
	}
	recent := put("recently ended", "h@recent.test", lead.StatusContacted, "", at(0))
	enrol(recent, "h@recent.test", lead.StateFinished, 2, at(200*day))

	now := at(390 * day)
	sum, err := db.Retention(now, 365*day)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Due != 5 || sum.ByReason[ExpiredNeverContacted] != 2 || sum.ByReason[ExpiredUnanswered] != 3 {
		t.Errorf("due %d %v; want 2 never contacted (old new, no email) and 3 unanswered (unanswered, opted out, doubt)", sum.Due, sum.ByReason)
	}
	if want := at(565 * day); !sum.Next.Equal(want) || sum.NextDue != 1 {
		t.Errorf("next %s (%d); want %s (1: recently ended)", sum.Next, sum.NextDue, want)
	}

	// Nothing is forgotten before its time.
	n, err := db.ForgetExpired(at(364*day), 365*day)
	if err != nil || n != 0 {
		t.Fatalf("a day early: forgot %d (%v)", n, err)
	}
	clock = now
	n, err = db.ForgetExpired(now, 365*day)
	if err != nil || n != 5 {
		t.Fatalf("forgot %d (%v), want 5", n, err)
	}
	for _, id := range []lead.ID{oldNew, unanswered, optedOut, noEmail, doubt} {
		if _, err := db.Lead(id); err == nil {
			t.Errorf("lead %d still stored", id)
		}
		if es, _ := db.EnrollmentsOf(id); len(es) != 0 {
			t.Errorf("lead %d still has enrolments", id)
		}
	}
	if c, _ := db.CountLeads(); c != 5 {
		t.Errorf("%d leads left, want 5", c)
	}
	sups, err := db.Suppressions()
	if err != nil {
		t.Fatal(err)
	}
	reasons := map[string]string{}
	for _, s := range sups {
		reasons[s.Value] = s.Reason
	}
	if reasons["c@unanswered.test"] != SuppressRetention || reasons["i@doubt.test"] != SuppressRetention {
		t.Errorf("an address written to and forgotten is not suppressed: %v", reasons)
	}
	if reasons["g@optout.test"] != "unsubscribe" {
		t.Errorf("the opt-out's suppression changed: %v", reasons)
	}
	if _, ok := reasons["a@old.test"]; ok {
		t.Errorf("a lead never written to left a suppression: %v", reasons)
	}
	// A forgotten lead never written to may be found again; one written to is not written to again.
	if sup, _ := db.IsSuppressed("a@old.test"); sup {
		t.Error("never-contacted address suppressed")
	}
}
