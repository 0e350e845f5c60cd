package cli

import (
	"regexp"
	"strings"
	"testing"
)

func TestLeadsMark(t *testing.T) {
	e := newTestEnv(t)
	if _, stderr, code := e.run("leads", "import", e.write("l.csv", sampleCSV)); code != 0 {
		t.Fatalf("import: %s", stderr)
	}
	out, stderr, code := e.run("leads", "mark", "info@acme.example", "won")
	if code != 0 || !strings.Contains(out, ": won") {
		t.Fatalf("mark: exit %d\n%s%s", code, out, stderr)
	}
	show, _, _ := e.run("leads", "show", "info@acme.example")
	if !regexp.MustCompile(`(?m)^outcome\s+won$`).MatchString(show) {
		t.Errorf("outcome not stored:\n%s", show)
	}
	if out, _, code := e.run("leads", "mark", "info@acme.example", "none"); code != 0 || !strings.Contains(out, "cleared") {
		t.Errorf("mark none: exit %d %s", code, out)
	}
	for name, args := range map[string][]string{
		"unknown outcome": {"leads", "mark", "info@acme.example", "maybe"},
		"no outcome":      {"leads", "mark", "info@acme.example"},
		"not a lead ref":  {"leads", "mark", "not an address", "won"},
	} {
		if _, stderr, code := e.run(args...); code != ExitUsage || stderr == "" {
			t.Errorf("%s: exit %d, %q", name, code, stderr)
		}
	}
	if _, _, code := e.run("leads", "mark", "nobody@nowhere.example", "won"); code != ExitFailure {
		t.Errorf("unknown lead: exit %d", code)
	}
}
