package outreach

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/clientele/clientele/country"
	"github.com/clientele/clientele/lead"
	"github.com/clientele/clientele/store"
)

// benchCountries are 20 countries of one time zone each, from UTC-5 to UTC+13: at 10:00
// UTC on a Monday the 09:00-17:00 window is open in about half of them.
var benchCountries = []string{"PT", "GB", "DE", "GR", "TR", "AE", "PK", "IN", "BD", "TH",
	"SG", "JP", "KR", "NZ", "IS", "CO", "PE", "AR", "ZA", "KE"}

// BenchmarkPassRecipientWindows: a pass over n leads spread over 20 time zones, enrolled in
// a campaign that sends in each recipient's own 09:00-17:00, of which 40 come due: those
// whose window is open are sent, the others moved to their window's next opening. The
// other leads (their steps due in a month) cost nothing: the pass walks the due index
// only. due-visited is the due-index entries the pass read, lead-reads the leads.
//
//	go test ./outreach -run '^$' -bench PassRecipientWindows -benchtime 20x
func BenchmarkPassRecipientWindows(b *testing.B) {
	for _, n := range []int{1000, 100000} {
		b.Run(fmt.Sprintf("enrolled=%d", n), func(b *testing.B) {
			clk := newClock(monday10)
			srv := newSMTPServer(b)
			db := zonedStore(b, n, clk)
			cs := newCountingStore(db)
			e := newEngine(recipientConfig(b, srv.port), cs, clk)
			var sent, reads int
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				makeDue(b, db, n, 40, clk.Now())
				b.StartTimer()
				sum, err := e.Send(context.Background(), "", false, nil)
				if err != nil || sum.Sent == 0 || sum.Sent == 40 {
					b.Fatalf("%+v %v", sum, err)
				}
				sent += sum.Sent
			}
			b.StopTimer()
			for _, r := range cs.reads {
				reads += r
			}
			b.ReportMetric(float64(sent)/float64(b.N), "sent/pass")
			b.ReportMetric(float64(reads)/float64(b.N), "lead-reads/pass")
			reportRSS(b)
		})
	}
}

// zonedStore is enrolledStore with each lead in one of benchCountries, its enrolment
// carrying the zone a pass resolved for it.
func zonedStore(b *testing.B, n int, clk *clock) *store.DB {
	b.Helper()
	zones := map[string]string{}
	for _, c := range benchCountries {
		loc, ok := country.Zone(c, "", "", "")
		if !ok {
			b.Fatalf("no single zone for %s", c)
		}
		zones[c] = loc.String()
	}
	db, _ := newDB(b, clk)
	addLeads(b, db, n, func(i int, l *lead.Lead) { l.Country = benchCountries[i%len(benchCountries)] })
	for start := 1; start <= n; start += 5000 {
		err := db.Update(func(tx *store.Tx) error {
			for id := start; id < start+5000 && id <= n; id++ {
				c := benchCountries[(id-1)%len(benchCountries)]
				en := &lead.Enrollment{LeadID: lead.ID(id), Campaign: "plumbers", State: lead.StateActive, Step: 1,
					NextAt: clk.Now().Add(30 * 24 * time.Hour), Mailbox: "ana", Email: addrOf(id - 1),
					FirstSubject: "A question", MessageIDs: []string{fmt.Sprintf("<m%d@example.com>", id)},
					Zone: zones[c], Country: c}
				if err := tx.PutEnrollment(en); err != nil {
					return err
				}
				if err := tx.SetStatus(lead.ID(id), lead.StatusContacted); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	return db
}
