package outreach

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/clientele/clientele/lead"
)

// TestStatsCountsOutcomesAtTheLastStep marks outcomes on leads that got one and two steps
// (not_interested stops a sequence, interested does not) and checks they count against
// those steps, per campaign and in `stats`.
func TestStatsCountsOutcomesAtTheLastStep(t *testing.T) {
	clk := newClock(monday10)
	srv := newSMTPServer(t)
	db, _ := newDB(t, clk)
	e := newEngine(testConfig(t, srv.port), db, clk)
	addLeads(t, db, 3, nil)
	send(t, e, false) // step 1 to all three
	l0, _ := db.LeadByEmail(addLeadsEmail(0))
	if _, err := db.SetOutcome(l0.ID, lead.OutcomeNotInterested); err != nil { // stops its sequence
		t.Fatal(err)
	}
	clk.Advance(3 * 24 * time.Hour)
	send(t, e, false) // step 2 to the two others
	l1, _ := db.LeadByEmail(addLeadsEmail(1))
	if _, err := db.SetOutcome(l1.ID, lead.OutcomeWon); err != nil {
		t.Fatal(err)
	}
	l2, _ := db.LeadByEmail(addLeadsEmail(2))
	if _, err := db.SetOutcome(l2.ID, lead.OutcomeInterested); err != nil {
		t.Fatal(err)
	}
	st, err := e.StatsData()
	if err != nil {
		t.Fatal(err)
	}
	c := st.Campaigns[0]
	if got := c.Steps[0].Outcomes; got != (Outcomes{NotInterested: 1}) {
		t.Errorf("step 1 outcomes %+v", got)
	}
	if got := c.Steps[1].Outcomes; got != (Outcomes{Won: 1, Interested: 1}) {
		t.Errorf("step 2 outcomes %+v", got)
	}
	if got := c.Total.Outcomes; got != (Outcomes{Interested: 1, Won: 1, NotInterested: 1}) {
		t.Errorf("total outcomes %+v", got)
	}
	var out bytes.Buffer
	if err := e.Stats(&out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "outcomes of "+c.Name) {
		t.Errorf("stats lacks the outcomes:\n%s", out.String())
	}
}
