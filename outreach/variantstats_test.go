package outreach

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/clientele/clientele/lead"
	"github.com/clientele/clientele/store"
)

func TestWilson(t *testing.T) {
	cases := []struct {
		k, n      int
		low, high float64
	}{
		{4, 40, 0.0396, 0.2305},
		{0, 40, 0, 0.0876},
		{40, 40, 0.9124, 1},
		{0, 0, 0, 0},
	}
	for _, tc := range cases {
		low, high := wilson(tc.k, tc.n)
		if math.Abs(low-tc.low) > 0.001 || math.Abs(high-tc.high) > 0.001 {
			t.Errorf("wilson(%d, %d) = %.4f–%.4f, want %.4f–%.4f", tc.k, tc.n, low, high, tc.low, tc.high)
		}
	}
}

// TestStatsPerVariant: stats count each variant's enrolled, sent, replies and outcomes from
// what was recorded, with the reply rate's interval, and `stats` prints a row per variant.
func TestStatsPerVariant(t *testing.T) {
	clk := newClock(monday10)
	srv := newSMTPServer(t)
	db, _ := newDB(t, clk)
	e := newEngine(variantConfig(t, srv.port, 1), db, clk)
	addLeads(t, db, 40, nil)
	if sum, _ := send(t, e, false); sum.Sent != 40 {
		t.Fatalf("first pass %+v", sum)
	}
	want := map[string]*VariantStats{"A": {}, "B": {}}
	for i := 0; i < 40; i++ {
		en := enrolment(t, db, "plumbers", addrOf(i))
		w := want[en.Variants[0]]
		w.Enrolled++
		w.Sent++
		if i%4 == 0 {
			w.Replied++
			if err := db.Update(func(tx *store.Tx) error { return tx.SetStatus(en.LeadID, lead.StatusReplied) }); err != nil {
				t.Fatal(err)
			}
		}
		if i%8 == 0 {
			w.Won++
			l, _ := db.Lead(en.LeadID)
			l.Outcome = lead.OutcomeWon
			if err := db.Update(func(tx *store.Tx) error { return tx.PutLead(l) }); err != nil {
				t.Fatal(err)
			}
		}
	}
	st, err := e.StatsData()
	if err != nil {
		t.Fatal(err)
	}
	vs := st.Campaigns[0].Steps[0].Variants
	if len(vs) != 2 || vs[0].Variant != "A" || vs[1].Variant != "B" {
		t.Fatalf("variants %+v", vs)
	}
	for _, v := range vs {
		w := want[v.Variant]
		if v.Enrolled != w.Enrolled || v.Sent != w.Sent || v.Replied != w.Replied || v.Won != w.Won || v.Weight != 1 {
			t.Errorf("variant %s: %+v, want enrolled %d sent %d replied %d won %d", v.Variant, v, w.Enrolled, w.Sent, w.Replied, w.Won)
		}
		if low, high := wilson(w.Replied, w.Sent); v.ReplyLow != low || v.ReplyHigh != high || !(low <= v.ReplyRate && v.ReplyRate <= high) {
			t.Errorf("variant %s interval %.3f–%.3f around %.3f", v.Variant, v.ReplyLow, v.ReplyHigh, v.ReplyRate)
		}
	}
	if len(st.Campaigns[0].Steps[1].Variants) != 0 {
		t.Errorf("a step without variants has %+v", st.Campaigns[0].Steps[1].Variants)
	}
	var out bytes.Buffer
	if err := e.Stats(&out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "plumbers  1/A") || !strings.Contains(out.String(), "plumbers  1/B") {
		t.Errorf("stats output lacks the variant rows:\n%s", out.String())
	}
}
