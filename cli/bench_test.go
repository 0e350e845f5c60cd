package cli

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"testing"
	"time"

	"github.com/clientele/clientele/store"
)

// benchCSV generates n leads in the import format.
func benchCSV(n int) []byte {
	var b bytes.Buffer
	b.WriteString("name,email,website,phone,city,category\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "Business %d Lda,info@business%d.example,https://www.business%d.example/,+351 21%07d,Lisboa,plumbing\n", i, i, i, i)
	}
	return b.Bytes()
}

// BenchmarkImport10k imports 10,000 rows into a fresh database per iteration;
// bench/import-export.sh runs the 100,000-row case with the real binary.
func BenchmarkImport10k(b *testing.B) {
	data := benchCSV(10000)
	now := func() time.Time { return time.Now() }
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db, err := store.Open(filepath.Join(b.TempDir(), "bench.db"), store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if err := importCSV(db, bytes.NewReader(data), "bench.csv", io.Discard, io.Discard, now); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		db.Close()
	}
	b.ReportMetric(float64(10000*b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkExport10k exports 10,000 leads as CSV and as JSON.
func BenchmarkExport10k(b *testing.B) {
	db, err := store.Open(filepath.Join(b.TempDir(), "bench.db"), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if err := importCSV(db, bytes.NewReader(benchCSV(10000)), "bench.csv", io.Discard, io.Discard, time.Now); err != nil {
		b.Fatal(err)
	}
	for _, format := range []string{"csv", "json"} {
		b.Run(format, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				var err error
				if format == "csv" {
					err = exportCSV(db, io.Discard)
				} else {
					err = exportJSON(db, io.Discard)
				}
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(10000*b.N)/b.Elapsed().Seconds(), "leads/s")
		})
	}
}
