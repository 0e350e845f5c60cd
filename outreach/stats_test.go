package outreach

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

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
