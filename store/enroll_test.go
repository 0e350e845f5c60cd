package store

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/clientele/clientele/lead"
)

func TestEnrollmentIndexes(t *testing.T) {
	db, clk := openTest(t)
	l := mustPut(t, db, &lead.Lead{Email: "ana@mail.studio.test"})
	due := clk.Now().Add(time.Hour)
	e := &lead.Enrollment{LeadID: l.ID, Campaign: "spring", Email: "ANA@mail.studio.test", NextAt: due}
	if err := db.PutEnrollment(e); err != nil {
		t.Fatal(err)
	}
	if e.State != lead.StateActive || e.Email != "ana@mail.studio.test" || e.Domain != "studio.test" || !e.EnrolledAt.Equal(clk.Now()) {
		t.Errorf("stored enrolment = %+v", e)
	}
	ek := "spring\x00" + string(idKey(l.ID))
	wantIdx := func(name string, due, email, domain []string) {
		t.Helper()
		for bucket, want := range map[string][]string{
			string(bucketEnrollDue): due, string(bucketEnrollEmail): email, string(bucketEnrollDomain): domain,
			string(bucketEnrollLead): {string(idKey(l.ID)) + "spring"},
		} {
			if got := indexKeys(t, db, []byte(bucket)); !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
				t.Errorf("%s: %s = %q, want %q", name, bucket, got, want)
			}
		}
	}
	wantIdx("active", []string{string(timeKey(due)) + ek}, []string{"ana@mail.studio.test\x00" + ek}, []string{"studio.test\x00" + ek})

	later := due.Add(72 * time.Hour)
	e.NextAt, e.Step = later, 1
	if err := db.PutEnrollment(e); err != nil {
		t.Fatal(err)
	}
	wantIdx("rescheduled", []string{string(timeKey(later)) + ek}, []string{"ana@mail.studio.test\x00" + ek}, []string{"studio.test\x00" + ek})

	e.State = lead.StateUnknown
	if err := db.PutEnrollment(e); err != nil {
		t.Fatal(err)
	}
	wantIdx("unknown: live but not due", nil, []string{"ana@mail.studio.test\x00" + ek}, []string{"studio.test\x00" + ek})

	e.State = lead.StateFinished
	if err := db.PutEnrollment(e); err != nil {
		t.Fatal(err)
	}
	wantIdx("finished", nil, nil, nil)

	got, err := db.Enrollment("spring", l.ID)
	if err != nil || got.State != lead.StateFinished || got.Step != 1 || !got.EnrolledAt.Equal(e.EnrolledAt) {
		t.Errorf("Enrollment = %+v, %v", got, err)
	}
	if _, err := db.Enrollment("autumn", l.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing enrolment: %v", err)
	}
}

func TestPutEnrollmentRejects(t *testing.T) {
	db, _ := openTest(t)
	l := mustPut(t, db, &lead.Lead{Email: "a@x.test"})
	tests := []struct {
		name string
		e    lead.Enrollment
		want error
	}{
		{"no campaign", lead.Enrollment{LeadID: l.ID}, ErrInvalid},
		{"no lead", lead.Enrollment{Campaign: "c"}, ErrInvalid},
		{"unknown lead", lead.Enrollment{LeadID: 99, Campaign: "c"}, ErrNotFound},
		{"bad state", lead.Enrollment{LeadID: l.ID, Campaign: "c", State: "paused"}, ErrInvalid},
		{"bad address", lead.Enrollment{LeadID: l.ID, Campaign: "c", Email: "nope"}, ErrInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := db.PutEnrollment(&tc.e); !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestLiveRulesAndStop(t *testing.T) {
	db, clk := openTest(t)
	a := mustPut(t, db, &lead.Lead{Email: "a@acme.test"})
	b := mustPut(t, db, &lead.Lead{Email: "b@sales.acme.test"})
	now := clk.Now()
	put := func(id lead.ID, c, email string, s lead.State) {
		t.Helper()
		if err := db.PutEnrollment(&lead.Enrollment{LeadID: id, Campaign: c, Email: email, State: s, NextAt: now}); err != nil {
			t.Fatal(err)
		}
	}
	put(a.ID, "spring", "a@acme.test", lead.StateActive)
	put(a.ID, "autumn", "a@acme.test", lead.StateUnknown)
	put(a.ID, "winter", "a@acme.test", lead.StateFinished)
	put(b.ID, "spring", "b@sales.acme.test", lead.StateActive)

	live, err := db.LiveByEmail("A@ACME.test")
	if err != nil || len(live) != 2 {
		t.Fatalf("LiveByEmail = %d, %v", len(live), err)
	}
	for _, tc := range []struct {
		campaign, domain string
		want             int
	}{
		{"spring", "acme.test", 2},
		{"spring", "www.acme.test", 2},
		{"autumn", "acme.test", 1},
		{"winter", "acme.test", 0},
		{"", "acme.test", 3},
		{"spring", "other.test", 0},
	} {
		if n, err := db.CountLiveInDomain(tc.campaign, tc.domain); err != nil || n != tc.want {
			t.Errorf("CountLiveInDomain(%q, %q) = %d, %v; want %d", tc.campaign, tc.domain, n, err, tc.want)
		}
	}

	n, err := db.StopEnrollments(a.ID, "replied")
	if err != nil || n != 2 {
		t.Fatalf("StopEnrollments = %d, %v; want 2 (active and unknown)", n, err)
	}
	es, _ := db.EnrollmentsOf(a.ID)
	for _, e := range es {
		if e.Campaign != "winter" && (e.State != lead.StateStopped || e.Reason != "replied" || !e.NextAt.IsZero()) {
			t.Errorf("%s after stop: %+v", e.Campaign, e)
		}
	}
	if live, _ := db.LiveByEmail("a@acme.test"); len(live) != 0 {
		t.Errorf("still live: %d", len(live))
	}
	if n, _ := db.CountLiveInDomain("spring", "acme.test"); n != 1 {
		t.Errorf("CountLiveInDomain after stop = %d, want 1", n)
	}
	var due []lead.ID
	db.Due(now, func(e *lead.Enrollment) bool { due = append(due, e.LeadID); return true })
	if !slices.Equal(due, []lead.ID{b.ID}) {
		t.Errorf("due after stop = %v, want only lead %d", due, b.ID)
	}
}

func TestDueReadsOnlyWhatIsDue(t *testing.T) {
	db, clk := openTest(t)
	now := clk.Now()
	const stored, due = 3000, 25
	var ls []*lead.Lead
	for i := range stored {
		ls = append(ls, genLead(i))
	}
	res, err := db.UpsertLeads(ls)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *Tx) error {
		for i, id := range res.IDs {
			at := now.Add(time.Duration(i-due+1) * time.Minute) // the first `due` are at or before now
			if err := tx.PutEnrollment(&lead.Enrollment{LeadID: id, Campaign: "c", Email: ls[i].Email, NextAt: at}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	db.dueVisited.Store(0)
	var got []time.Time
	if err := db.Due(now, func(e *lead.Enrollment) bool { got = append(got, e.NextAt); return true }); err != nil {
		t.Fatal(err)
	}
	if len(got) != due || !slices.IsSortedFunc(got, time.Time.Compare) {
		t.Errorf("Due gave %d enrolments (sorted %v), want %d oldest first", len(got), slices.IsSortedFunc(got, time.Time.Compare), due)
	}
	if v := db.dueVisited.Load(); v > due+1 {
		t.Errorf("Due read %d index entries for %d due of %d stored", v, due, stored)
	}
	if at, ok, _ := db.NextDue(); !ok || !at.Equal(got[0]) {
		t.Errorf("NextDue = %v %v, want %v", at, ok, got[0])
	}

	// fn may write: sending moves the enrolment on, out of the due range.
	n := 0
	err = db.Due(now, func(e *lead.Enrollment) bool {
		e.NextAt = now.Add(24 * time.Hour)
		if err := db.PutEnrollment(e); err != nil {
			t.Error(err)
		}
		n++
		return n < 10 // and stop early
	})
	if err != nil || n != 10 {
		t.Errorf("Due with writes: %d, %v", n, err)
	}
	left := 0
	db.Due(now, func(*lead.Enrollment) bool { left++; return true })
	if left != due-10 {
		t.Errorf("due after moving 10 = %d, want %d", left, due-10)
	}
}

func TestDuePages(t *testing.T) {
	db, clk := openTest(t)
	now := clk.Now()
	const n = pageSize*2 + 7
	err := db.Update(func(tx *Tx) error {
		for i := range n {
			l := genLead(i)
			if err := tx.PutLead(l); err != nil {
				return err
			}
			if err := tx.PutEnrollment(&lead.Enrollment{LeadID: l.ID, Campaign: "c", NextAt: now.Add(-time.Duration(i) * time.Second)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[lead.ID]bool{}
	db.Due(now, func(e *lead.Enrollment) bool { seen[e.LeadID] = true; return true })
	if len(seen) != n {
		t.Errorf("Due over %d pages saw %d of %d", n/pageSize+1, len(seen), n)
	}
	count := 0
	db.ForEachEnrollment(func(*lead.Enrollment) error { count++; return nil })
	if count != n {
		t.Errorf("ForEachEnrollment = %d, want %d", count, n)
	}
	if _, ok, _ := db.NextDue(); !ok {
		t.Error("NextDue found nothing")
	}
	empty, _ := openTest(t)
	if _, ok, err := empty.NextDue(); ok || err != nil {
		t.Errorf("NextDue on empty = %v, %v", ok, err)
	}
}

func TestTimeKeyOrder(t *testing.T) {
	times := []time.Time{
		time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Unix(0, -1),
		time.Unix(0, 0),
		time.Unix(0, 1),
		time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC),
		time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	for i := range times {
		if got := keyTime(timeKey(times[i])); !got.Equal(times[i]) {
			t.Errorf("round trip %v = %v", times[i], got)
		}
		if i > 0 && string(timeKey(times[i-1])) >= string(timeKey(times[i])) {
			t.Errorf("%v does not sort before %v", times[i-1], times[i])
		}
	}
}
