package replies

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkClassify classifies every message of the sample set per iteration and reports
// messages per second.
func BenchmarkClassify(b *testing.B) {
	var msgs [][]byte
	total := 0
	for _, row := range readTruth(b) {
		raw, err := os.ReadFile(filepath.Join("testdata", "sisimai", row.file))
		if err != nil {
			b.Fatal(err)
		}
		msgs = append(msgs, raw)
		total += len(raw)
	}
	b.SetBytes(int64(total))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, m := range msgs {
			Classify(m)
		}
	}
	b.ReportMetric(float64(b.N*len(msgs))/b.Elapsed().Seconds(), "msgs/s")
}
