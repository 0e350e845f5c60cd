package outreach

import (
	"bytes"
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/clientele/clientele/config"
	"github.com/clientele/clientele/lead"
)

// TestStatsGolden runs a campaign where one lead replies, one bounces, one unsubscribes
// and one step's outcome is unknown, and checks the table `stats` prints.
func TestStatsGolden(t *testing.T) {
	clk := newClock(monday10)
	srv := newSMTPServer(t)
	db, _ := newDB(t, clk)
	cfg := testConfig(t, srv.port)
	e := newEngine(cfg, db, clk)
	addLeads(t, db, 6, nil)
	srv.set(func(s *smtpServer) { s.rcpt[addLeadsEmail(1)] = noUser })
	send(t, e, false) // step 1: 5 sent, 1 bounced

	// b2 replies to step 1 (what the reply poller records).
	l2, _ := db.LeadByEmail(addLeadsEmail(2))
	if err := db.SetStatus(l2.ID, lead.StatusReplied); err != nil {
		t.Fatal(err)
	}
	if _, err := db.StopEnrollments(l2.ID, "replied"); err != nil {
		t.Fatal(err)
	}
	clk.Advance(3 * 24 * time.Hour)
	srv.set(func(s *smtpServer) { s.rcpt = map[string]error{}; s.dropAfterData = false })
	send(t, e, false) // step 2 to b0, b3, b4, b5

	// b3 unsubscribes after step 2.
	l3, _ := db.LeadByEmail(addLeadsEmail(3))
	if err := e.Unsubscribe(context.Background(), l3ID(l3), Token("test-secret", l3.ID, l3.Email)); err != nil {
		t.Fatal(err)
	}
	clk.Advance(7 * 24 * time.Hour)
	srv.set(func(s *smtpServer) { s.dropAfterData = true })
	send(t, e, false) // step 3: the first message's answer never comes, the session is dropped

	var out bytes.Buffer
	if err := e.Stats(&out); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	// The unknown step's Message-ID is random; keep the rest.
	lines := strings.Split(got, "\n")
	for i, l := range lines {
		if strings.Contains(l, "@example.com>") {
			f := strings.Fields(l)
			for j, w := range f {
				if strings.HasSuffix(w, "@example.com>") {
					f[j] = "<MESSAGE-ID>"
				}
			}
			lines[i] = "  " + strings.Join(f, " ")
		}
	}
	golden(t, "stats.golden", []byte(strings.Join(lines, "\n")))

	st, err := e.StatsData()
	if err != nil {
		t.Fatal(err)
	}
	c := st.Campaigns[0]
	if c.Enrolled != 6 || c.Total.Replied != 1 || c.Total.Bounced != 1 || c.Total.Unsubscribed != 1 || c.Total.Unknown != 3 {
		t.Fatalf("%+v", c)
	}
}

func l3ID(l *lead.Lead) string {
	return strings.TrimPrefix(UnsubscribeURL("", "x", l.ID, l.Email), "/u/")[:1]
}

// stepRows returns the enrolled and sent counts of each step listed for the campaign.
func stepRows(t *testing.T, e *Engine) [][2]int {
	t.Helper()
	st, err := e.StatsData()
	if err != nil {
		t.Fatal(err)
	}
	var rows [][2]int
	for _, s := range st.Campaigns[0].Steps {
		rows = append(rows, [2]int{s.Enrolled, s.Sent})
	}
	return rows
}

// TestStatsStepEnrolled: a step counts the enrolments that reached it (sent, due now or in
// doubt), not those still waiting for its delay; steps removed from the config are listed
// only while they have messages.
func TestStatsStepEnrolled(t *testing.T) {
	clk := newClock(monday10)
	srv := newSMTPServer(t)
	db, _ := newDB(t, clk)
	cfg := testConfig(t, srv.port)
	e := newEngine(cfg, db, clk)
	addLeads(t, db, 3, nil)
	short := *cfg
	short.Campaigns = []config.Campaign{cfg.Campaigns[0]}
	short.Campaigns[0].Steps = cfg.Campaigns[0].Steps[:2]
	shortened := newEngine(&short, db, clk)

	steps := []struct {
		name    string
		advance time.Duration
		send    bool
		want    [][2]int // {enrolled, sent} per step, of the 3-step campaign
		short   [][2]int // the same with step 3 removed from the config
	}{
		{"first steps sent", 0, true, [][2]int{{3, 3}, {0, 0}, {0, 0}}, [][2]int{{3, 3}, {0, 0}}},
		{"step 2 due", 3 * 24 * time.Hour, false, [][2]int{{3, 3}, {3, 0}, {0, 0}}, [][2]int{{3, 3}, {3, 0}}},
		{"step 2 sent", 0, true, [][2]int{{3, 3}, {3, 3}, {0, 0}}, [][2]int{{3, 3}, {3, 3}}},
		{"step 3 due", 7 * 24 * time.Hour, false, [][2]int{{3, 3}, {3, 3}, {3, 0}}, [][2]int{{3, 3}, {3, 3}}},
		{"step 3 sent", 0, true, [][2]int{{3, 3}, {3, 3}, {3, 3}}, [][2]int{{3, 3}, {3, 3}, {3, 3}}},
	}
	for _, s := range steps {
		clk.Advance(s.advance)
		if s.send {
			send(t, e, false)
		}
		if got := stepRows(t, e); !reflect.DeepEqual(got, s.want) {
			t.Errorf("%s: steps {enrolled, sent} %v, want %v", s.name, got, s.want)
		}
		if got := stepRows(t, shortened); !reflect.DeepEqual(got, s.short) {
			t.Errorf("%s, step 3 removed: steps {enrolled, sent} %v, want %v", s.name, got, s.short)
		}
	}
}
