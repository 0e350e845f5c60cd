package replies

import (
	"fmt"
	"os"
	"testing"
)

func TestDebugDump(t *testing.T) {
	f := os.Getenv("DUMP")
	if f == "" {
		t.Skip()
	}
	raw, _ := os.ReadFile(f)
	p := parse(raw)
	fmt.Printf("from=%q name=%q null=%v rt=%q dsn=%+v orig=%+v parts=%d\n", p.from, p.fromName, p.nullSender, p.reportType, p.dsn, p.original, p.parts)
	rep, orig := splitOriginal(unquote(p.mainText()))
	fmt.Printf("REPORT:\n%s\nORIG(%d)\n", rep, len(orig))
	fmt.Printf("%+v\n", Classify(raw))
}

func TestDebugAll(t *testing.T) {
	if os.Getenv("DUMPALL") == "" {
		t.Skip()
	}
	for _, row := range readTruth(t) {
		r, _ := ClassifyFile("testdata/sisimai/" + row.file)
		fmt.Printf("%-28s %-9s %-6v %-8s %-22v %v | %v\n", row.file, r.Kind, r.Hard, r.Status, row.statuses, r.Recipients, r.InReplyTo)
	}
}
