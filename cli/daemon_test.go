package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/clientele/clientele/localapi"
)

// startDaemon starts `clientele run` as a real second process and waits until it answers.
func startDaemon(t *testing.T, e *testEnv) (stop func() (int, string)) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := e.command(ctx, "run", "--log-format", "json")
	var logs bytes.Buffer
	cmd.Stderr = &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sock := localapi.SocketPath(filepath.Join(e.dir, "clientele.db"))
	deadline := time.Now().Add(20 * time.Second)
	for {
		if _, err := os.Stat(sock); err == nil {
			break
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("daemon did not start:\n%s", logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	return func() (int, string) {
		defer cancel()
		cmd.Process.Signal(syscall.SIGTERM)
		err := cmd.Wait()
		code := 0
		if err != nil {
			code = cmd.ProcessState.ExitCode()
		}
		return code, logs.String()
	}
}

func TestCommandsWorkWhileTheDaemonRuns(t *testing.T) {
	e := newTestEnv(t)
	// The mailbox's password comes from the daemon's environment only.
	cfg := strings.Replace(e.read("clientele.yaml"), `# password: "${SMTP_PASSWORD}"`, `password: "${SMTP_PASSWORD}"`, 1)
	cfg = strings.Replace(cfg, "# username: you@example.com", "username: you@example.com", 1)
	e.write("clientele.yaml", cfg)
	stop := startDaemon(t, e)

	// Input files travel to the daemon, output files come back from it.
	out, stderr, code := e.run("leads", "import", e.write("l.csv", sampleCSV))
	if code != 0 || !strings.Contains(out, "3 new leads") {
		t.Fatalf("import through the daemon: exit %d\n%s%s", code, out, stderr)
	}
	if !strings.Contains(stderr, "l.csv:4: skipped") {
		t.Errorf("bad row not reported through the daemon:\n%s", stderr)
	}
	out, _, code = e.run("leads", "list")
	if code != 0 || !strings.Contains(out, "Acme Plumbing") {
		t.Errorf("list through the daemon: exit %d\n%s", code, out)
	}
	if _, _, code := e.run("suppress", "add", "@nope.example"); code != 0 {
		t.Error("suppress add through the daemon failed")
	}
	if out, stderr, code := e.run("leads", "mark", "ana@bolt.example", "interested"); code != 0 || !strings.Contains(out, "interested") {
		t.Errorf("leads mark through the daemon: exit %d\n%s%s", code, out, stderr)
	}
	backup := filepath.Join(e.dir, "backup.db")
	if _, stderr, code := e.run("backup", backup); code != 0 {
		t.Fatalf("backup through the daemon: %s", stderr)
	}
	if fi, err := os.Stat(backup); err != nil || fi.Size() == 0 {
		t.Errorf("backup file: %v", err)
	}
	if _, _, code := e.run("leads", "show", "nobody@nowhere.example"); code != ExitFailure {
		t.Errorf("exit status of a failing forwarded command: %d, want 1", code)
	}
	// A shell without the daemon's secrets still reaches it.
	bare := *e
	bare.vars = map[string]string{}
	if out, stderr, code := bare.run("stats"); code != 0 || !strings.Contains(out, "intro") {
		t.Errorf("stats without the secrets in the environment: exit %d\n%s%s", code, out, stderr)
	}
	// Backing up onto the database itself is refused, not a silent replacement.
	if _, stderr, code := e.run("backup", filepath.Join(e.dir, "clientele.db")); code != ExitUsage {
		t.Errorf("backup onto the live database: exit %d, %s", code, stderr)
	}

	// A second daemon on the same database is refused with a clear message: a failure at
	// run time (1), not bad usage (2).
	second := e.command(context.Background(), "run")
	msg, _ := second.CombinedOutput()
	if second.ProcessState.ExitCode() != ExitFailure || !strings.Contains(string(msg), "second daemon") {
		t.Errorf("second daemon: exit %d, %s", second.ProcessState.ExitCode(), msg)
	}

	code, logs := stop()
	if code != 0 {
		t.Errorf("daemon exit %d after SIGTERM\n%s", code, logs)
	}
	// With the daemon gone, the commands open the database themselves and see the same data.
	out, _, _ = e.run("suppress", "list")
	if !strings.Contains(out, "@nope.example") {
		t.Errorf("change made through the daemon is missing:\n%s", out)
	}
}
