package cli

import (
	"strings"
	"testing"

	"github.com/clientele/clientele/internal/mailtest"
)

func (e *testEnv) read(name string) string {
	e.t.Helper()
	b, err := readFile(e.dir, name)
	if err != nil {
		e.t.Fatal(err)
	}
	return b
}

func TestSendPreviewAndStatsFromTheCommandLine(t *testing.T) {
	e := newTestEnv(t)
	sink := mailtest.StartSink(t)
	e.write("clientele.yaml", sink.PointConfig(e.read("clientele.yaml")))
	if _, stderr, code := e.run("config", "check"); code != 0 {
		t.Fatalf("config: %s", stderr)
	}
	e.run("leads", "import", e.write("l.csv", "name,email,category\nAcme Plumbing,info@acme.example,plumbing\nMaria Silva,maria@silva.example,plumbing\nBolt,bolt@bolt.example,electrical\n"))

	out, stderr, code := e.run("send", "--dry-run")
	if code != 0 || strings.Count(out, "\n") != 2 || !strings.Contains(out, "info@acme.example") || strings.Contains(out, "bolt@") {
		t.Fatalf("dry run: exit %d\n%s%s", code, out, stderr)
	}
	if len(sink.Messages()) != 0 {
		t.Fatal("a dry run sent mail")
	}

	preview, stderr, code := e.run("preview", "--campaign", "intro", "--lead", "maria@silva.example", "--step", "1")
	if code != 0 {
		t.Fatalf("preview: %s", stderr)
	}
	for _, h := range []string{"Message-ID: <", "List-Unsubscribe: <", "List-Unsubscribe-Post: List-Unsubscribe=One-Click", "To: ", "Subject: "} {
		if !strings.Contains(preview, h) {
			t.Errorf("preview lacks %q:\n%s", h, preview)
		}
	}

	if _, stderr, code := e.run("send"); code != 0 {
		t.Fatalf("send: %s", stderr)
	}
	msgs := sink.Messages()
	if len(msgs) != 2 {
		t.Fatalf("%d messages reached the SMTP server, want 2", len(msgs))
	}
	for _, m := range msgs {
		if !strings.Contains(m.Data, "List-Unsubscribe-Post: List-Unsubscribe=One-Click") {
			t.Errorf("message to %v has no one-click header", m.To)
		}
	}
	// A second pass right away sends nothing: step 2 is days away.
	e.run("send")
	if n := len(sink.Messages()); n != 2 {
		t.Errorf("second pass sent %d more", n-2)
	}
	stats, _, _ := e.run("stats")
	if !strings.Contains(stats, "intro     1     2         2") {
		t.Errorf("stats:\n%s", stats)
	}
	show, _, _ := e.run("leads", "show", "maria@silva.example")
	if !strings.Contains(show, "contacted") || !strings.Contains(show, "intro: active, 1 sent") {
		t.Errorf("leads show after sending:\n%s", show)
	}
}

func TestPreviewOfVariants(t *testing.T) {
	e := newTestEnv(t)
	cfg := e.read("clientele.yaml")
	withVariants := strings.Replace(cfg, "        template: templates/intro.txt\n",
		"        variants:\n          - {template: templates/intro.txt}\n          - {template: templates/intro.txt, subject: \"Variant B for {{.Lead.Name}}\", weight: 2}\n", 1)
	if withVariants == cfg {
		t.Fatal("the starter's first step changed; update the test")
	}
	e.write("clientele.yaml", withVariants)
	if _, stderr, code := e.run("config", "check"); code != 0 {
		t.Fatalf("config check: %s", stderr)
	}
	e.run("leads", "import", e.write("l.csv", "name,email,category\nMaria Silva,maria@silva.example,plumbing\n"))
	all, stderr, code := e.run("preview", "--campaign", "intro", "--lead", "maria@silva.example", "--step", "1")
	if code != 0 || !strings.Contains(all, "=== variant A (weight 1") || !strings.Contains(all, "=== variant B (weight 2") ||
		!strings.Contains(all, "Subject: Variant B for Maria Silva") || !strings.Contains(all, ", this lead's) ===") {
		t.Fatalf("preview of both variants: exit %d\n%s%s", code, all, stderr)
	}
	one, _, code := e.run("preview", "--campaign", "intro", "--lead", "maria@silva.example", "--step", "1", "--variant", "b")
	if code != 0 || strings.Contains(one, "=== variant") || !strings.Contains(one, "Subject: Variant B for Maria Silva") {
		t.Errorf("preview --variant b: exit %d\n%s", code, one)
	}
	if _, stderr, code := e.run("preview", "--campaign", "intro", "--lead", "maria@silva.example", "--step", "1", "--variant", "C"); code == 0 || !strings.Contains(stderr, `no variant "C"`) {
		t.Errorf("preview of a variant that does not exist: exit %d, %s", code, stderr)
	}
}
