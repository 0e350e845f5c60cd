package store

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strconv"
	"testing"

	"github.com/clientele/clientele/lead"
)

// recount is the funnel computed from the enrolments themselves.
func recount(t *testing.T, db *DB, campaign string) Funnel {
	t.Helper()
	f := Funnel{Campaign: campaign, ByState: map[lead.State]int{}}
	step := func(i int) *FunnelStep {
		for len(f.Steps) < i {
			f.Steps = append(f.Steps, FunnelStep{})
		}
		return &f.Steps[i-1]
	}
	err := db.ForEachEnrollment(func(e *lead.Enrollment) error {
		if e.Campaign != campaign {
			return nil
		}
		f.ByState[e.State]++
		for i := 1; i <= e.Step; i++ {
			step(i).Sent++
		}
		switch {
		case e.State == lead.StateUnknown:
			step(e.Step+1).Unknown++
		case e.State == lead.StateStopped && e.Step > 0:
			switch stopClass(e.Reason) {
			case "replied":
				step(e.Step).Replied++
			case "bounced":
				step(e.Step).Bounced++
			case "unsubscribed":
				step(e.Step).Unsubscribed++
			default:
				step(e.Step).Other++
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for s, n := range f.ByState {
		if n == 0 {
			delete(f.ByState, s)
		}
	}
	return f
}

func TestFunnelCountersFollowEveryWrite(t *testing.T) {
	db, _ := openTest(t)
	r := rand.New(rand.NewPCG(1, 2))
	// Some enrolments exist before the counters do.
	var ids []lead.ID
	for i := range 60 {
		l := &lead.Lead{Name: fmt.Sprintf("Shop %d", i), Email: "shop" + strconv.Itoa(i) + "@example.com"}
		if err := db.PutLead(l); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, l.ID)
		if i < 20 {
			if err := db.PutEnrollment(&lead.Enrollment{LeadID: l.ID, Campaign: "a", Step: i % 3, Email: l.Email}); err != nil {
				t.Fatal(err)
			}
		}
	}
	check := func(when string) {
		t.Helper()
		got, err := db.Funnels([]string{"a", "b"})
		if err != nil {
			t.Fatal(err)
		}
		for i, name := range []string{"a", "b"} {
			want := recount(t, db, name)
			// The recount has no trailing empty steps the counters may keep, and vice versa.
			for len(got[i].Steps) > len(want.Steps) && got[i].Steps[len(got[i].Steps)-1] == (FunnelStep{}) {
				got[i].Steps = got[i].Steps[:len(got[i].Steps)-1]
			}
			if !reflect.DeepEqual(got[i], want) {
				t.Fatalf("%s: campaign %s\ncounters %+v\nrecount  %+v", when, name, got[i], want)
			}
		}
	}
	check("built")
	states := []lead.State{lead.StateActive, lead.StateFinished, lead.StateStopped, lead.StateUnknown}
	reasons := []string{"replied", "bounced", "unsubscribed", "soft_bounce", "complaint", "stopped by hand", "outcome lost"}
	for i := range 150 {
		id := ids[r.IntN(len(ids))]
		campaign := []string{"a", "b"}[r.IntN(2)]
		switch r.IntN(5) {
		case 0:
			if _, err := db.StopEnrollments(id, reasons[r.IntN(len(reasons))]); err != nil {
				t.Fatal(err)
			}
		case 1:
			l, err := db.Lead(id)
			if err != nil {
				continue // forgotten
			}
			if i%7 == 0 {
				if err := db.ForgetLead(l.Email); err != nil {
					t.Fatal(err)
				}
			}
		default:
			l, err := db.Lead(id)
			if err != nil {
				continue
			}
			e := &lead.Enrollment{LeadID: id, Campaign: campaign, Step: r.IntN(4), Email: l.Email,
				State: states[r.IntN(len(states))], Reason: reasons[r.IntN(len(reasons))]}
			if err := db.PutEnrollment(e); err != nil {
				t.Fatal(err)
			}
		}
	}
	check("after 150 writes")
}
