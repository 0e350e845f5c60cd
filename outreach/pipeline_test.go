package outreach

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/clientele/clientele/lead"
)

// TestPipelineSendsEachOnce sends a pass large enough to fill several batches, with the
// default pipeline and with one message per batch (intent recorded just before each
// message), and checks every lead got its first step once and nothing is left in flight.
func TestPipelineSendsEachOnce(t *testing.T) {
	const leads = 120
	for _, tc := range []struct {
		name string
		opts []Option
	}{
		{"default", nil},
		{"batch=1", []Option{WithBatchSize(1)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clk := newClock(monday10)
			srv := newSMTPServer(t)
			db, _ := newDB(t, clk)
			addLeads(t, db, leads, nil)
			opts := append([]Option{WithClock(clk.Now), WithRand(rand.New(rand.NewPCG(1, 2)))}, tc.opts...)
			e := New(testConfig(t, srv.port), db, nil, opts...)
			sum, err := e.Send(context.Background(), "", false, nil)
			if err != nil || sum.Sent != leads {
				t.Fatalf("%+v %v", sum, err)
			}
			got := map[string]int{}
			for _, m := range srv.messages() {
				for _, to := range m.To {
					got[to]++
				}
			}
			for i := 0; i < leads; i++ {
				addr := addrOf(i)
				if got[addr] != 1 {
					t.Errorf("%s received %d messages", addr, got[addr])
				}
				l, err := db.LeadByEmail(addr)
				if err != nil {
					t.Fatal(err)
				}
				en, err := db.Enrollment("plumbers", l.ID)
				if err != nil {
					t.Fatal(err)
				}
				if en.Sending != nil || en.Step != 1 || len(en.MessageIDs) != 1 {
					t.Errorf("%s: step %d, sending %v, message IDs %v", addr, en.Step, en.Sending, en.MessageIDs)
				}
				m, err := db.Sent(en.MessageIDs[0])
				if err != nil || m.State != lead.SendSent {
					t.Errorf("%s: message record %+v %v", addr, m, err)
				}
			}
			if t.Failed() {
				t.Log(fmt.Sprint(len(srv.messages()), " messages at the server"))
			}
		})
	}
}
