package replies

import (
	"os"
	"path/filepath"
	"strings"
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

// BenchmarkClassifyReply classifies people's answers (replies, removal requests, replies
// that use the removal words in another sense), which the sample set of machine reports
// does not contain, and reports messages per second.
func BenchmarkClassifyReply(b *testing.B) {
	bodies := []string{
		"Sounds good, call me on Tuesday. What would it cost?",
		"Please remove me from your list.",
		"our site keeps showing the unsubscribe page of our newsletter by mistake. Can you fix that? Call me.",
		"Hallo Ana,\n\nich möchte mich abmelden.\n\nGrüße\nMaria",
		"Bonjour, je ne souhaite plus recevoir vos e-mails. Merci.",
		strings.Repeat("Thanks, we are interested in a new website for the bakery, with online orders and a gallery. ", 30),
	}
	var msgs [][]byte
	for _, body := range bodies {
		msgs = append(msgs, personReply(leadAddr, "Re: A faster website", body+"\n\n"+quoted(ourQuote)))
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, m := range msgs {
			Classify(m)
		}
	}
	b.ReportMetric(float64(b.N*len(msgs))/b.Elapsed().Seconds(), "msgs/s")
}
