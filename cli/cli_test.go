package cli

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestMain lets the test binary act as the clientele command, so tests can start real
// second processes (a daemon, a command next to it) without building anything.
func TestMain(m *testing.M) {
	if os.Getenv("CLIENTELE_TEST_MAIN") == "1" {
		ctx, stop := signalContext()
		code := Run(ctx, os.Args[1:], Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv})
		stop()
		os.Exit(code)
	}
	os.Exit(m.Run())
}

// testEnv is a starter config in a temp folder with its secrets in a fake environment.
type testEnv struct {
	t      *testing.T
	dir    string
	config string
	vars   map[string]string
}

const testSecret = "s3cret-unsubscribe-key-0123456789"

func newTestEnv(t *testing.T) *testEnv {
	t.Helper()
	dir := t.TempDir()
	e := &testEnv{t: t, dir: dir, config: filepath.Join(dir, "clientele.yaml"), vars: map[string]string{
		"SMTP_PASSWORD":      "smtp-pass-xyz",
		"IMAP_PASSWORD":      "imap-pass-xyz",
		"UNSUBSCRIBE_SECRET": testSecret,
		"HTTP_TOKEN":         "http-token-xyz",
	}}
	if _, _, code := e.run("init", dir); code != 0 {
		t.Fatalf("init failed")
	}
	// Tests run side by side: let the daemon's HTTP server take any free port.
	cfg, _ := os.ReadFile(e.config)
	e.write("clientele.yaml", strings.Replace(string(cfg), "listen: 127.0.0.1:8090", "listen: 127.0.0.1:0", 1))
	return e
}

func (e *testEnv) getenv(k string) string { return e.vars[k] }

// run runs one command in-process and returns its output and exit status.
func (e *testEnv) run(args ...string) (string, string, int) {
	return e.runIn("", args...)
}

func (e *testEnv) runIn(stdin string, args ...string) (string, string, int) {
	e.t.Helper()
	var out, errb bytes.Buffer
	full := append([]string{"--config", e.config}, args...)
	code := Run(context.Background(), full, Env{
		Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb,
		Getenv: e.getenv, Now: func() time.Time { return time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC) },
	})
	return out.String(), errb.String(), code
}

// command returns the test binary set up to act as the clientele command.
func (e *testEnv) command(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, os.Args[0], append([]string{"--config", e.config}, args...)...)
	cmd.Env = append(os.Environ(), "CLIENTELE_TEST_MAIN=1")
	for k, v := range e.vars {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	return cmd
}

func (e *testEnv) write(name, content string) string {
	e.t.Helper()
	p := filepath.Join(e.dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		e.t.Fatal(err)
	}
	return p
}

func TestHelpListsEveryCommand(t *testing.T) {
	e := newTestEnv(t)
	out, _, code := e.run("--help")
	if code != 0 {
		t.Fatalf("--help exit %d", code)
	}
	commands := [][]string{
		{"init"}, {"config", "check"}, {"run"}, {"doctor"}, {"crawl"}, {"send"}, {"replies", "poll"},
		{"replies", "classify"}, {"leads", "list"}, {"leads", "show"}, {"leads", "export"},
		{"leads", "import"}, {"leads", "forget"}, {"suppress", "add"}, {"suppress", "remove"},
		{"suppress", "list"}, {"preview"}, {"stats"}, {"demo"}, {"backup"}, {"version"},
	}
	for _, c := range commands {
		if !strings.Contains(out, "\n  "+c[0]+" ") {
			t.Errorf("clientele --help does not list %q", c[0])
		}
		help, _, code := e.run(append(c, "--help")...)
		if code != 0 || !strings.Contains(help, "Usage:") {
			t.Errorf("%s --help: exit %d, output %q", strings.Join(c, " "), code, help)
		}
	}
}

func TestUsageErrorsExitTwo(t *testing.T) {
	e := newTestEnv(t)
	for name, args := range map[string][]string{
		"unknown command":    {"frobnicate"},
		"unknown flag":       {"leads", "list", "--colour"},
		"missing argument":   {"leads", "show"},
		"bad status filter":  {"leads", "list", "--status", "happy"},
		"bad export format":  {"leads", "export", "--format", "xml"},
		"bad suppress value": {"suppress", "add", "not an address"},
		"bad log format":     {"--log-format", "xml", "leads", "list"},
	} {
		t.Run(name, func(t *testing.T) {
			_, stderr, code := e.run(args...)
			if code != ExitUsage {
				t.Errorf("exit %d, want 2 (stderr %q)", code, stderr)
			}
			if stderr == "" {
				t.Error("no message on stderr")
			}
		})
	}
}

func TestVersion(t *testing.T) {
	e := newTestEnv(t)
	out, _, code := e.run("version")
	if code != 0 || !strings.HasPrefix(out, "clientele ") {
		t.Errorf("version: exit %d, %q", code, out)
	}
}

func readFile(dir, name string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, name))
	return string(b), err
}

func TestPlural(t *testing.T) {
	for _, tc := range []struct {
		n    int
		word string
		want string
	}{
		{1, "entry", "1 entry"}, {0, "entry", "0 entries"}, {3, "business", "3 businesses"},
		{2, "day", "2 days"}, {2, "mailbox", "2 mailboxes"}, {5, "lead", "5 leads"}, {2, "failed fetch", "2 failed fetches"},
	} {
		if got := plural(tc.n, tc.word); got != tc.want {
			t.Errorf("plural(%d, %q) = %q, want %q", tc.n, tc.word, got, tc.want)
		}
	}
}
