package cli

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

func TestInitWritesAConfigThatPassesCheck(t *testing.T) {
	e := newTestEnv(t)
	out, stderr, code := e.run("config", "check")
	if code != 0 {
		t.Fatalf("config check of the starter: exit %d\n%s", code, stderr)
	}
	if !strings.Contains(out, "is valid") {
		t.Errorf("output %q", out)
	}
	if strings.Contains(out+stderr, testSecret) || strings.Contains(out+stderr, "smtp-pass-xyz") {
		t.Error("a secret was printed")
	}
}

func TestInitRefusesToOverwrite(t *testing.T) {
	e := newTestEnv(t)
	before, _ := os.ReadFile(e.config)
	_, stderr, code := e.run("init", e.dir)
	if code == 0 {
		t.Error("second init succeeded")
	}
	if stderr == "" {
		t.Error("no message")
	}
	after, _ := os.ReadFile(e.config)
	if string(before) != string(after) {
		t.Error("init changed an existing config")
	}
}

func TestConfigCheckReportsEveryProblemWithPosition(t *testing.T) {
	e := newTestEnv(t)
	starter, err := os.ReadFile(e.config)
	if err != nil {
		t.Fatal(err)
	}
	broken := string(starter) + "\nfrobnicate: true\n"
	broken = strings.Replace(broken, "daily_limit: 40", "daily_limit: lots", 1)
	e.write("clientele.yaml", broken)
	_, stderr, code := e.run("config", "check")
	if code != ExitUsage {
		t.Fatalf("exit %d, want 2\n%s", code, stderr)
	}
	pos := regexp.MustCompile(`clientele\.yaml:\d+:\d+: `)
	if got := len(pos.FindAllString(stderr, -1)); got < 2 {
		t.Errorf("want both problems with file:line:col, got %d:\n%s", got, stderr)
	}
	for _, want := range []string{"frobnicate", "daily_limit"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("no mention of %s in:\n%s", want, stderr)
		}
	}
	if strings.Contains(stderr, testSecret) {
		t.Error("the unsubscribe secret was printed")
	}
}

func TestMissingConfigIsAUsageError(t *testing.T) {
	e := newTestEnv(t)
	e.config = e.dir + "/nope.yaml"
	_, stderr, code := e.run("leads", "list")
	if code != ExitUsage || !strings.Contains(stderr, "clientele init") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

func TestConfigCheckRunsTheTemplates(t *testing.T) {
	e := newTestEnv(t)
	e.write("templates/intro.txt", "Hello {{.Lead.Nmae}},\n")
	_, stderr, code := e.run("config", "check")
	if code != ExitUsage || !strings.Contains(stderr, "Nmae") || !strings.Contains(stderr, "intro.txt") {
		t.Errorf("a misspelt field: exit %d\n%s", code, stderr)
	}
}
