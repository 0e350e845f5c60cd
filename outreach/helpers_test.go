package outreach

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/clientele/clientele/config"
	"github.com/clientele/clientele/lead"
	"github.com/clientele/clientele/store"
)

// clock is a test clock moved by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock(t time.Time) *clock { return &clock{t: t} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// monday10 is a Monday at 10:00 in Lisbon (UTC+0 in winter), inside the usual window.
var monday10 = time.Date(2026, 1, 12, 10, 0, 0, 0, time.UTC)

// Step templates of the test campaign. Each says which step it is, so the tests can tell
// the messages apart at the server.
var testTemplates = map[string]string{
	"intro.txt":    "{Hi|Hello} {{fallback .Lead.FirstName \"there\"}},\n\nI came across {{.Lead.Name}}. This is step {{.Step}}.\n\n{{.Sender.Name}}\n",
	"followup.txt": "Hi again,\n\nJust following up. This is step {{.Step}}.\n\n{{.Sender.Name}}\n",
	"last.txt":     "Last note from me. This is step {{.Step}}.\n\n{{.Sender.Name}}\n",
}

// testConfig is a config with one mailbox per SMTP port (ana, bea, ...) and one campaign
// "plumbers" of three steps (0, 3d, 7d) using them all, without limits or window.
func testConfig(t testing.TB, ports ...int) *config.Config {
	t.Helper()
	dir := t.TempDir()
	for name, text := range testTemplates {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	names := []string{"ana", "bea", "cid"}
	cfg := &config.Config{
		File: filepath.Join(dir, "clientele.yaml"),
		HTTP: config.HTTP{PublicURL: "https://reach.example.com"},
		Compliance: config.Compliance{PostalAddress: "Ana Lima, Rua Augusta 1, 1100-048 Lisboa",
			UnsubscribeSecret: "test-secret"},
	}
	c := config.Campaign{Name: "plumbers", Steps: []config.Step{
		{Subject: "A question about {{.Lead.Name}}", Template: "intro.txt"},
		{After: config.Duration(3 * 24 * time.Hour), Template: "followup.txt"},
		{After: config.Duration(7 * 24 * time.Hour), Template: "last.txt"},
	}}
	for i, p := range ports {
		n := names[i]
		cfg.Mailboxes = append(cfg.Mailboxes, config.Mailbox{Name: n,
			From: fmt.Sprintf("%s Lima <%s@example.com>", n, n),
			SMTP: config.Server{Host: "127.0.0.1", Port: p, Security: config.SecurityNone, Timeout: config.Duration(5 * time.Second)}})
		c.Mailboxes = append(c.Mailboxes, n)
	}
	cfg.Campaigns = []config.Campaign{c}
	return cfg
}

// openStore opens a real store in dir with the test clock.
func openStore(t testing.TB, path string, clk *clock) *store.DB {
	t.Helper()
	db, err := store.Open(path, store.Options{Now: clk.Now, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// newDB opens a fresh store in a temp dir, closed at the end of the test.
func newDB(t testing.TB, clk *clock) (*store.DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "clientele.db")
	db := openStore(t, path, clk)
	t.Cleanup(func() { db.Close() })
	return db, path
}

// newEngine builds an engine on the test clock with a fixed random source.
func newEngine(cfg *config.Config, db Store, clk *clock) *Engine {
	return New(cfg, db, nil, WithClock(clk.Now), WithRand(rand.New(rand.NewPCG(1, 2))))
}

// addLeads stores n leads named "Business i" at b<i>@biz<i>.example (one company each).
func addLeads(t testing.TB, db *store.DB, n int, mod func(i int, l *lead.Lead)) []*lead.Lead {
	t.Helper()
	var ls []*lead.Lead
	for i := 0; i < n; i++ {
		l := &lead.Lead{Name: fmt.Sprintf("Business %d", i), Email: fmt.Sprintf("b%d@biz%d.example", i, i),
			Category: "plumbing", City: "Lisboa", Source: "test"}
		if mod != nil {
			mod(i, l)
		}
		ls = append(ls, l)
	}
	for start := 0; start < len(ls); start += 1000 {
		end := min(start+1000, len(ls))
		if _, err := db.UpsertLeads(ls[start:end]); err != nil {
			t.Fatal(err)
		}
	}
	return ls
}

// send runs one pass and fails the test on error.
func send(t testing.TB, e *Engine, dry bool) (Summary, string) {
	t.Helper()
	var out bytes.Buffer
	sum, err := e.Send(context.Background(), "", dry, &out)
	if err != nil {
		t.Fatalf("send: %v", err)
	}
	return sum, out.String()
}

// enrolment returns the stored enrolment of a lead found by email.
func enrolment(t testing.TB, db *store.DB, campaign, email string) *lead.Enrollment {
	t.Helper()
	l, err := db.LeadByEmail(email)
	if err != nil {
		t.Fatalf("lead %s: %v", email, err)
	}
	en, err := db.Enrollment(campaign, l.ID)
	if err != nil {
		t.Fatalf("enrolment of %s: %v", email, err)
	}
	return en
}
