package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/mailtest"
)

func TestComplianceInSendAndStats(t *testing.T) {
	e := newTestEnv(t) // the starter: consent_required [DE, AT], corporate_only [GB], forget_after 365d
	sink := mailtest.StartSink(t)
	e.write("clientele.yaml", sink.PointConfig(e.read("clientele.yaml")))
	if _, stderr, code := e.run("leads", "import", e.write("l.csv", "name,email,phone,category\n"+
		"Acme Plumbing,info@acme.example,,plumbing\n"+
		"Müller Sanitär,info@mueller.example,+49 30 901820,plumbing\n"+
		"Joe Bloggs Plumbing,joe@bloggs.co.uk,,plumbing\n"+
		"Bloggs Heating Ltd,office@bloggs-heating.co.uk,,plumbing\n")); code != 0 {
		t.Fatalf("import: %s", stderr)
	}
	out, stderr, code := e.run("send", "--dry-run")
	if code != 0 || strings.Count(out, "\n") != 2 || strings.Contains(out, "mueller") || strings.Contains(out, "joe@") {
		t.Fatalf("dry run: exit %d\n%s%s", code, out, stderr)
	}
	if !strings.Contains(stderr, "held back by compliance, never enrolled: 1 consent_required, 1 corporate_only in intro") {
		t.Errorf("dry run summary:\n%s", stderr)
	}
	if _, stderr, code := e.run("send"); code != 0 || len(sink.Messages()) != 2 {
		t.Fatalf("send: exit %d, %d messages\n%s", code, len(sink.Messages()), stderr)
	}
	for _, m := range sink.Messages() {
		if strings.Contains(strings.Join(m.To, ","), "mueller") || strings.Contains(strings.Join(m.To, ","), "joe@") {
			t.Errorf("a held-back lead was written to: %v", m.To)
		}
	}
	stats, _, _ := e.run("stats")
	for _, want := range []string{"campaign intro held back: 1 consent_required, 1 corporate_only",
		"forget_after 365d: 0 leads due to be forgotten now; next: 2 leads on 2027-03-02"} {
		if !strings.Contains(stats, want) {
			t.Errorf("stats lack %q:\n%s", want, stats)
		}
	}

	// A year and a month on, the two leads never written to are due.
	var later bytes.Buffer
	code = Run(context.Background(), []string{"--config", e.config, "stats"}, Env{Stdout: &later, Stderr: &later, Getenv: e.getenv,
		Now: func() time.Time { return time.Date(2027, 4, 2, 10, 0, 0, 0, time.UTC) }})
	if code != 0 || !strings.Contains(later.String(), "forget_after 365d: 2 leads due to be forgotten now") {
		t.Errorf("stats a year on: exit %d\n%s", code, later.String())
	}
}
