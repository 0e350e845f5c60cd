package store

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/clientele/clientele/lead"
)

// Run with: go test ./store -run '^$' -bench . -benchtime 1x

const benchLeads = 100_000

func genLeads(n int) []*lead.Lead {
	ls := make([]*lead.Lead, n)
	for i := range ls {
		ls[i] = genLead(i)
	}
	return ls
}

// openBench opens a fresh database with default durability (fsync on every commit).
func openBench(b *testing.B) *DB {
	b.Helper()
	db, err := Open(filepath.Join(b.TempDir(), "bench.db"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// BenchmarkUpsertLeads stores 100,000 new leads per op, as `leads import` does.
func BenchmarkUpsertLeads(b *testing.B) {
	ls := genLeads(benchLeads)
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		db := openBench(b)
		b.StartTimer()
		res, err := db.UpsertLeads(ls)
		if err != nil || res.Created != benchLeads {
			b.Fatalf("%+v, %v", res.Created, err)
		}
	}
	b.ReportMetric(float64(benchLeads*b.N)/b.Elapsed().Seconds(), "leads/s")
}

// BenchmarkForEachLead walks 100,000 leads per op, as `leads export` does.
func BenchmarkForEachLead(b *testing.B) {
	db := openBench(b)
	if _, err := db.UpsertLeads(genLeads(benchLeads)); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		n := 0
		if err := db.ForEachLead(func(*lead.Lead) error { n++; return nil }); err != nil || n != benchLeads {
			b.Fatalf("%d, %v", n, err)
		}
	}
	b.ReportMetric(float64(benchLeads*b.N)/b.Elapsed().Seconds(), "leads/s")
}

// BenchmarkDue finds the 20 due enrolments among 1,000 and among 100,000: a send pass
// should cost the same in both.
func BenchmarkDue(b *testing.B) {
	for _, stored := range []int{1_000, 100_000} {
		b.Run(fmt.Sprintf("stored=%d", stored), func(b *testing.B) {
			const due = 20
			db := openBench(b)
			db.bolt.NoSync = true // setup only; Due does not write
			now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
			res, err := db.UpsertLeads(genLeads(stored))
			if err != nil {
				b.Fatal(err)
			}
			for start := 0; start < stored; start += 10_000 {
				err := db.Update(func(tx *Tx) error {
					for i := start; i < min(start+10_000, stored); i++ {
						at := now.Add(time.Duration(i-due+1) * time.Minute)
						if err := tx.PutEnrollment(&lead.Enrollment{LeadID: res.IDs[i], Campaign: "c", NextAt: at}); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ResetTimer()
			for range b.N {
				n := 0
				if err := db.Due(now, func(*lead.Enrollment) bool { n++; return true }); err != nil || n != due {
					b.Fatalf("%d due, %v", n, err)
				}
			}
		})
	}
}
