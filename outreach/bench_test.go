package outreach

import (
	"context"
	"fmt"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/clientele/clientele/config"
	"github.com/clientele/clientele/lead"
	"github.com/clientele/clientele/store"
)

// The benchmarks measure what a send pass costs as the store grows. Run them with
//
//	go test ./outreach -run '^$' -bench . -benchtime 20x
//
// and compare the figures of the two sizes of each pair (BENCHMARKS.md).

// enrolledStore builds a store of n leads, all contacted and in the campaign's sequence,
// with step 2 due in a month, except due (the last ones) whose step 2 is due now.
func enrolledStore(b *testing.B, n int, clk *clock) *store.DB {
	b.Helper()
	db, _ := newDB(b, clk)
	addLeads(b, db, n, nil)
	for start := 1; start <= n; start += 5000 {
		err := db.Update(func(tx *store.Tx) error {
			for id := start; id < start+5000 && id <= n; id++ {
				en := &lead.Enrollment{LeadID: lead.ID(id), Campaign: "plumbers", State: lead.StateActive, Step: 1,
					NextAt: clk.Now().Add(30 * 24 * time.Hour), Mailbox: "ana", Email: addrOf(id - 1),
					FirstSubject: "A question", MessageIDs: []string{fmt.Sprintf("<m%d@example.com>", id)}}
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

func addrOf(i int) string { return fmt.Sprintf("b%d@biz%d.example", i, i) }

// makeDue puts step 2 of the last k enrolments due now.
func makeDue(b *testing.B, db *store.DB, n, k int, now time.Time) {
	err := db.Update(func(tx *store.Tx) error {
		for id := n - k + 1; id <= n; id++ {
			en, err := tx.Enrollment("plumbers", lead.ID(id))
			if err != nil {
				return err
			}
			en.State, en.Step, en.NextAt = lead.StateActive, 1, now
			en.MessageIDs = en.MessageIDs[:1]
			if err := tx.PutEnrollment(en); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}

// BenchmarkPassDue: a pass over a store of n enrolled leads of which 20 are due.
func BenchmarkPassDue(b *testing.B) {
	for _, n := range []int{1000, 100000} {
		b.Run(fmt.Sprintf("enrolled=%d", n), func(b *testing.B) {
			clk := newClock(monday10)
			srv := newSMTPServer(b)
			db := enrolledStore(b, n, clk)
			e := newEngine(testConfig(b, srv.port), db, clk)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				makeDue(b, db, n, 20, clk.Now())
				b.StartTimer()
				sum, err := e.Send(context.Background(), "", false, nil)
				if err != nil || sum.Sent != 20 {
					b.Fatalf("%+v %v", sum, err)
				}
			}
			reportRSS(b)
		})
	}
}

// BenchmarkFirstPass: the first pass after importing n new leads, with a daily limit of
// 20, real and dry run. Each iteration is the next day, so it enrols the next 20.
func BenchmarkFirstPass(b *testing.B) {
	for _, dry := range []bool{false, true} {
		for _, n := range []int{1000, 100000} {
			b.Run(fmt.Sprintf("dry=%v/new=%d", dry, n), func(b *testing.B) {
				clk := newClock(monday10)
				srv := newSMTPServer(b)
				db, _ := newDB(b, clk)
				addLeads(b, db, n, nil)
				cfg := testConfig(b, srv.port)
				cfg.Campaigns[0].Steps = cfg.Campaigns[0].Steps[:1]
				cfg.Mailboxes[0].DailyLimit = 20
				e := newEngine(cfg, db, clk)
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					sum, err := e.Send(context.Background(), "", dry, nil)
					if err != nil || sum.Sent != 20 {
						b.Fatalf("%+v %v", sum, err)
					}
					clk.Advance(24 * time.Hour)
				}
				reportRSS(b)
			})
		}
	}
}

// BenchmarkThroughput sends 1,000 messages to a loopback SMTP server with limits off,
// through the engine (enrolment, rendering, the exactly-once bookkeeping and its fsyncs
// included) and with a bare go-mail loop on one connection, alternately in each iteration
// so both see the same machine load; "ratio" is the engine's rate over the bare loop's.
func BenchmarkThroughput(b *testing.B) {
	const msgs = 1000
	srv := newSMTPServer(b)
	from, _ := parseFrom("Ana Lima <ana@example.com>")
	var engineTime, bareTime time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db, err := store.Open(filepath.Join(b.TempDir(), "db"), store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		addLeads(b, db, msgs, nil)
		e := New(testConfig(b, srv.port), db, nil) // the real clock, as in production
		b.StartTimer()

		start := time.Now()
		sum, err := e.Send(context.Background(), "", false, nil)
		if err != nil || sum.Sent != msgs {
			b.Fatalf("%+v %v", sum, err)
		}
		engineTime += time.Since(start)

		start = time.Now()
		c, err := gomail.NewClient("127.0.0.1", gomail.WithPort(srv.port), gomail.WithTLSPolicy(gomail.NoTLS))
		if err != nil {
			b.Fatal(err)
		}
		if err := c.DialWithContext(context.Background()); err != nil {
			b.Fatal(err)
		}
		for j := 0; j < msgs; j++ {
			o := &Outgoing{MessageID: NewMessageID("ana@example.com"), From: from, To: addrOf(j),
				Subject: "A question about Business", Text: "Hello,\n\nThis is step 1.\n",
				UnsubscribeURL: "https://reach.example.com/u/1/x", Date: monday10}
			m, _ := o.Msg()
			if err := c.Send(m); err != nil {
				b.Fatal(err)
			}
		}
		_ = c.Close()
		bareTime += time.Since(start)

		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(msgs*b.N)/engineTime.Seconds(), "engine-msgs/s")
	b.ReportMetric(float64(msgs*b.N)/bareTime.Seconds(), "bare-msgs/s")
	b.ReportMetric(bareTime.Seconds()/engineTime.Seconds(), "ratio")
}

// reportRSS adds the process's peak resident set size to the figures.
func reportRSS(b *testing.B) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err == nil {
		b.ReportMetric(float64(ru.Maxrss)/1024, "peak-RSS-MB")
	}
}

var _ = config.Duration(0)
