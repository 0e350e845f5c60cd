package app

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clientele/clientele/config"
	"github.com/clientele/clientele/internal/mailtest"
	"github.com/clientele/clientele/lead"
	"github.com/clientele/clientele/localapi"
	"github.com/clientele/clientele/store"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// syncBuffer is a log destination that tests read while the daemon writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type daemonFixture struct {
	t      *testing.T
	dir    string
	cfg    string
	logs   *syncBuffer
	d      *Daemon
	db     *store.DB
	cancel context.CancelFunc
	done   chan error
}

// startDaemon writes a starter config with fast schedules and runs the daemon in-process.
func startDaemon(t *testing.T, edit func(string) string) *daemonFixture {
	t.Helper()
	dir := t.TempDir()
	if _, err := config.Starter(dir); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "clientele.yaml")
	raw, _ := os.ReadFile(path)
	text := strings.NewReplacer(
		"listen: 127.0.0.1:8090", "listen: 127.0.0.1:0",
		`send: "*/5 * * * *"`, `send: "@every 1s"`,
		`replies: "*/10 * * * *"`, `replies: ""`,
	).Replace(string(raw))
	if edit != nil {
		text = edit(text)
	}
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path, os.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(cfg.Database, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	f := &daemonFixture{t: t, dir: dir, cfg: path, logs: &syncBuffer{}, db: db, done: make(chan error, 1)}
	errLog := NewErrorLog(slog.NewTextHandler(f.logs, nil), 20)
	f.d = NewDaemon(cfg, db, DaemonOptions{
		Getenv: os.Getenv, Log: slog.New(errLog), Errors: errLog,
		Exec: func(*Services) localapi.Exec {
			return func(_ context.Context, _ []string, _ io.Reader, stdout, _ io.Writer) int {
				io.WriteString(stdout, "forwarded\n")
				return 0
			}
		},
	})
	ctx, cancel := context.WithCancel(context.Background())
	f.cancel = cancel
	go func() { f.done <- f.d.Run(ctx) }()
	select {
	case <-f.d.Ready():
	case err := <-f.done:
		t.Fatalf("daemon did not start: %v\n%s", err, f.logs)
	case <-time.After(10 * time.Second):
		t.Fatalf("daemon did not start:\n%s", f.logs)
	}
	t.Cleanup(func() { f.stop(); db.Close() })
	return f
}

// stop cancels the daemon and checks it stops within the shutdown budget.
func (f *daemonFixture) stop() {
	if f.cancel == nil {
		return
	}
	f.cancel()
	f.cancel = nil
	select {
	case err := <-f.done:
		if err != nil {
			f.t.Errorf("daemon stopped with %v", err)
		}
	case <-time.After(ShutdownTimeout + 2*time.Second):
		f.t.Error("daemon did not stop in time")
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestDaemonRunsJobsAndStops(t *testing.T) {
	f := startDaemon(t, nil)
	waitFor(t, "the send job to run", func() bool {
		for _, j := range f.d.sched.Jobs() {
			if j.Name == "send" && !j.LastRun.IsZero() {
				return true
			}
		}
		return false
	})
	// The local API answers other processes' commands.
	var out bytes.Buffer
	code, err := localapi.Forward(context.Background(), localapi.SocketPath(f.d.Services().Config.Database), []string{"stats"}, nil, &out, io.Discard)
	if err != nil || code != 0 || out.String() != "forwarded\n" {
		t.Errorf("forward: %d %v %q", code, err, out.String())
	}
	f.stop()
	if !strings.Contains(f.logs.String(), "job finished") {
		t.Errorf("no job finished in the log:\n%s", f.logs)
	}
}

func TestReloadAppliesValidEditsAndRefusesInvalidOnes(t *testing.T) {
	f := startDaemon(t, nil)
	raw, _ := os.ReadFile(f.cfg)
	good := strings.Replace(string(raw), "daily_limit: 40", "daily_limit: 25", 1)
	if err := os.WriteFile(f.cfg+".tmp", []byte(good), 0o600); err != nil {
		t.Fatal(err)
	}
	// Saved the way many editors do: a new file renamed over the old one.
	if err := os.Rename(f.cfg+".tmp", f.cfg); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the valid edit to apply", func() bool { return f.d.Services().Config.Mailboxes[0].DailyLimit == 25 })

	bad := strings.Replace(good, "daily_limit: 25", "daily_limit: many", 1)
	if err := os.WriteFile(f.cfg, []byte(bad), 0o600); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the invalid edit to be refused", func() bool { return strings.Contains(f.logs.String(), "config not reloaded") })
	if got := f.d.Services().Config.Mailboxes[0].DailyLimit; got != 25 {
		t.Errorf("daily_limit = %d after an invalid edit, want the old 25", got)
	}
	if !strings.Contains(f.logs.String(), "clientele.yaml:") {
		t.Errorf("the refusal does not name file:line:col:\n%s", f.logs)
	}
}

func TestMetricsAndStatusPage(t *testing.T) {
	f := startDaemon(t, nil)
	if _, err := f.db.UpsertLeads([]*lead.Lead{
		{Name: "Acme Plumbing", Email: "info@acme.example", Category: "plumbing"},
		{Name: "Bolt", Email: "ana@bolt.example", Status: lead.StatusReplied},
	}); err != nil {
		t.Fatal(err)
	}
	base := "http://" + f.d.HTTPAddr()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatalf("metrics are not in the Prometheus text format: %v", err)
	}
	leads := families["clientele_leads"]
	if leads == nil {
		t.Fatalf("no clientele_leads in %v", keys(families))
	}
	total := 0.0
	for _, m := range leads.Metric {
		total += m.GetGauge().GetValue()
	}
	if total != 2 {
		t.Errorf("clientele_leads sums to %v, want 2", total)
	}
	resp, err = http.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{"intro", "me", "send"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("status page lacks %q", want)
		}
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestUnsubscribeLinkThroughTheDaemon(t *testing.T) {
	sink := mailtest.StartSink(t)
	f := startDaemon(t, sink.PointConfig)
	if _, err := f.db.UpsertLeads([]*lead.Lead{
		{Name: "Acme Plumbing", Email: "info@acme.example", Category: "plumbing"},
		{Name: "Maria Silva", Email: "maria@silva.example", Category: "plumbing"},
	}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the send job to send both", func() bool { return len(sink.Messages()) == 2 })

	var link string
	for _, m := range sink.Messages() {
		if m.To[0] == "maria@silva.example" {
			i := strings.Index(m.Data, "List-Unsubscribe: <")
			if i < 0 {
				t.Fatalf("no List-Unsubscribe header:\n%s", m.Data)
			}
			rest := m.Data[i+len("List-Unsubscribe: <"):]
			link = rest[:strings.IndexByte(rest, '>')]
		}
	}
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + f.d.HTTPAddr()
	forged := base + u.Path[:strings.LastIndexByte(u.Path, '/')] + "/AAAA"
	resp, err := http.Post(forged, "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("forged link: status %d", resp.StatusCode)
	}
	resp, err = http.Post(base+u.Path, "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("one-click unsubscribe: status %d", resp.StatusCode)
	}
	// In effect before the response: no waiting.
	l, err := f.db.LeadByEmail("maria@silva.example")
	if err != nil || l.Status != lead.StatusUnsubscribed {
		t.Errorf("lead after unsubscribe: %+v %v", l, err)
	}
	if ok, _ := f.db.IsSuppressed("maria@silva.example"); !ok {
		t.Error("address not suppressed")
	}
	if ok, _ := f.db.IsSuppressed("info@acme.example"); ok {
		t.Error("the other lead was suppressed too")
	}
	// A second click answers the same and records nothing more.
	resp, err = http.Post(base+u.Path, "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	events, _ := f.db.EventsOf(l.ID)
	if resp.StatusCode != http.StatusOK || len(events) != 1 {
		t.Errorf("second click: status %d, %d events", resp.StatusCode, len(events))
	}

	resp, err = http.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	// Step 1 of the intro campaign: 2 sent, 1 unsubscribed; the mailbox sent 2 today.
	for _, want := range []string{`<td>1</td><td class="n">2</td>`, `<td class="n">1</td><td class="n hide-narrow">0</td><td class="n">0.0%</td>`} {
		if !strings.Contains(string(page), want) {
			t.Errorf("status page lacks %s:\n%s", want, page)
		}
	}
}
