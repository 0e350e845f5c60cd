package outreach

import (
	"strings"
	"testing"
	"time"

	"github.com/clientele/clientele/config"
	"github.com/clientele/clientele/lead"
)

func TestDailyLimitAcrossRestart(t *testing.T) {
	clk := newClock(monday10)
	srv := newSMTPServer(t)
	path := t.TempDir() + "/clientele.db"
	db := openStore(t, path, clk)
	cfg := testConfig(t, srv.port)
	cfg.Mailboxes[0].DailyLimit = 3
	addLeads(t, db, 10, nil)
	if sum, _ := send(t, newEngine(cfg, db, clk), false); sum.Sent != 3 {
		t.Fatalf("first pass sent %d, want the daily limit 3", sum.Sent)
	}
	db.Close()

	// A restart: a new process, a new engine, the same file.
	clk.Advance(2 * time.Hour)
	db = openStore(t, path, clk)
	defer db.Close()
	e := newEngine(cfg, db, clk)
	if sum, _ := send(t, e, false); sum.Sent != 0 {
		t.Fatalf("after a restart on the same day sent %d", sum.Sent)
	}
	clk.Set(time.Date(2026, 1, 13, 0, 30, 0, 0, time.UTC)) // the next calendar day
	if sum, _ := send(t, e, false); sum.Sent != 3 {
		t.Fatalf("next day sent %d, want 3", sum.Sent)
	}
	if n := len(srv.messages()); n != 6 {
		t.Fatalf("server got %d messages", n)
	}
}

func TestMinIntervalWithJitter(t *testing.T) {
	clk := newClock(monday10)
	srv := newSMTPServer(t)
	db, _ := newDB(t, clk)
	cfg := testConfig(t, srv.port)
	cfg.Mailboxes[0].MinInterval = config.Duration(4 * time.Minute)
	cfg.Mailboxes[0].Jitter = config.Duration(3 * time.Minute)
	e := newEngine(cfg, db, clk)
	addLeads(t, db, 20, nil)
	sent := 0
	var gaps []time.Duration
	last := time.Time{}
	for i := 0; i < 7*60; i++ { // a pass every 10 s for 70 minutes
		sum, _ := send(t, e, false)
		if sum.Sent > 1 {
			t.Fatalf("one pass sent %d despite min_interval", sum.Sent)
		}
		if sum.Sent == 1 {
			if !last.IsZero() {
				gaps = append(gaps, clk.Now().Sub(last))
			}
			last = clk.Now()
			sent++
		}
		clk.Advance(10 * time.Second)
	}
	if sent < 10 || sent > 18 {
		t.Fatalf("sent %d in 70 minutes with a 4-7 minute gap", sent)
	}
	distinct := map[time.Duration]bool{}
	for _, g := range gaps {
		if g < 4*time.Minute || g > 7*time.Minute+10*time.Second {
			t.Fatalf("gap %s outside min_interval..min_interval+jitter", g)
		}
		distinct[g] = true
	}
	if len(distinct) < 2 {
		t.Fatalf("jitter never varied the gaps: %v", gaps)
	}
}

func TestWarmupRamp(t *testing.T) {
	clk := newClock(monday10)
	srv := newSMTPServer(t)
	db, _ := newDB(t, clk)
	cfg := testConfig(t, srv.port)
	cfg.Mailboxes[0].DailyLimit = 10
	cfg.Mailboxes[0].Warmup = &config.Warmup{Start: 2, Increment: 3}
	e := newEngine(cfg, db, clk)
	addLeads(t, db, 60, nil)
	for day, want := range []int{2, 5, 8, 10, 10} {
		sum, _ := send(t, e, false)
		// step 1 of new leads only: follow-ups are 3 days away, so count all sends
		if sum.Sent != want {
			t.Fatalf("day %d sent %d, want %d", day+1, sum.Sent, want)
		}
		clk.Advance(24 * time.Hour)
	}
}

func TestRotationAndFollowUpFromSameMailbox(t *testing.T) {
	clk := newClock(monday10)
	srv := newSMTPServer(t)
	db, _ := newDB(t, clk)
	cfg := testConfig(t, srv.port, srv.port)
	cfg.Mailboxes[0].DailyLimit = 2
	cfg.Mailboxes[1].DailyLimit = 2
	e := newEngine(cfg, db, clk)
	addLeads(t, db, 6, nil)
	if sum, _ := send(t, e, false); sum.Sent != 4 {
		t.Fatalf("two mailboxes of 2 sent %d", sum.Sent)
	}
	from := map[string]int{}
	first := map[string]string{}
	for _, m := range srv.messages() {
		from[m.From]++
		first[m.To[0]] = m.From
	}
	if from["ana@example.com"] != 2 || from["bea@example.com"] != 2 {
		t.Fatalf("rotation: %v", from)
	}
	clk.Advance(3 * 24 * time.Hour)
	send(t, e, false)
	for _, m := range srv.messages()[4:] {
		if strings.Contains(m.Body, "step 2") && first[m.To[0]] != m.From {
			t.Errorf("follow-up to %s from %s, step 1 came from %s", m.To[0], m.From, first[m.To[0]])
		}
	}
}

func TestOneSequencePerAddressAndCompany(t *testing.T) {
	clk := newClock(monday10)
	srv := newSMTPServer(t)
	db, _ := newDB(t, clk)
	cfg := testConfig(t, srv.port)
	second := cfg.Campaigns[0]
	second.Name = "builders"
	cfg.Campaigns = append(cfg.Campaigns, second)
	e := newEngine(cfg, db, clk)
	addLeads(t, db, 4, func(i int, l *lead.Lead) {
		l.Email = []string{"ana@acme.example", "rui@acme.example", "joe@gmail.com", "eva@gmail.com"}[i]
	})
	sum, _ := send(t, e, false)
	// acme: one person in each campaign's live sequences, and never one address in two:
	// ana in one campaign, rui in the other; both free-mail people are enrolled.
	if sum.Enrolled != 4 || sum.Sent != 4 {
		t.Fatalf("%+v", sum)
	}
	perAddr := map[string]int{}
	for _, m := range srv.messages() {
		perAddr[m.To[0]]++
	}
	for addr, n := range perAddr {
		if n != 1 {
			t.Errorf("%s got %d first steps", addr, n)
		}
	}
	for _, c := range []string{"plumbers", "builders"} {
		if n, _ := db.CountLiveInDomain(c, "acme.example"); n != 1 {
			t.Errorf("%s has %d live sequences at acme.example", c, n)
		}
	}
}

func TestLazyEnrolment(t *testing.T) {
	clk := newClock(monday10)
	srv := newSMTPServer(t)
	db, _ := newDB(t, clk)
	cfg := testConfig(t, srv.port)
	cfg.Mailboxes[0].DailyLimit = 5
	e := newEngine(cfg, db, clk)
	addLeads(t, db, 3000, func(i int, l *lead.Lead) {
		if i%2 == 0 {
			l.Category = "bakery" // not in the audience below
		}
	})
	e.cfg.Campaigns[0].Audience.Categories = []string{"Plumbing"}
	sum, _ := send(t, e, false)
	if sum.Enrolled != 5 || sum.Sent != 5 {
		t.Fatalf("%+v", sum)
	}
	for _, m := range srv.messages() {
		l, _ := db.LeadByEmail(m.To[0])
		if l.Category != "plumbing" {
			t.Fatalf("%s outside the audience got a message", m.To[0])
		}
	}
}
