package outreach

import (
	"strings"
	"testing"
	"time"

	"github.com/clientele/clientele/config"
	"github.com/clientele/clientele/lead"
)

// TestStalledServerRestsTheMailbox: a server that takes a whole message and then never
// answers costs one timeout. That step is unknown; the mailbox is not used again in the
// pass and counts a failure; every other step of the pass stays due, untouched.
func TestStalledServerRestsTheMailbox(t *testing.T) {
	clk := newClock(monday10)
	srv := newSMTPServer(t)
	db, _ := newDB(t, clk)
	cfg := testConfig(t, srv.port)
	cfg.Mailboxes[0].SMTP.Timeout = config.Duration(300 * time.Millisecond)
	e := newEngine(cfg, db, clk)
	addLeads(t, db, 5, nil)
	if sum, _ := send(t, e, false); sum.Sent != 5 {
		t.Fatalf("first steps: %+v", sum)
	}

	clk.Advance(3 * 24 * time.Hour) // every follow-up is due
	stall := make(chan struct{})
	t.Cleanup(func() { close(stall) }) // runs before the server closes
	srv.set(func(s *smtpServer) { s.stall = stall })
	sum, _ := send(t, e, false)
	if sum.Unknown != 1 || sum.Sent != 0 {
		t.Fatalf("pass with a stalled server: %+v", sum)
	}
	srv.mu.Lock()
	stalled := srv.stalled
	srv.mu.Unlock()
	if stalled != 1 {
		t.Fatalf("%d messages were handed to the silent server, want 1", stalled)
	}
	unknown, due := 0, 0
	for i := range 5 {
		en := enrolment(t, db, "plumbers", addLeadsEmail(i))
		switch {
		case en.State == lead.StateUnknown:
			unknown++
		case en.State == lead.StateActive && en.Step == 1 && en.Sending == nil && en.Attempts == 0 &&
			!en.NextAt.After(clk.Now()):
			due++
		default:
			t.Errorf("lead %d: enrolment %+v", i, en)
		}
	}
	if unknown != 1 || due != 4 {
		t.Fatalf("%d unknown and %d still due, want 1 and 4", unknown, due)
	}
	failing := false
	for _, b := range e.Blockers(clk.Now()) {
		failing = failing || strings.HasPrefix(b, "mailbox ana: its server failed in the last 1 pass")
	}
	if !failing {
		t.Fatalf("the mailbox is not counted failing: %q", e.Blockers(clk.Now()))
	}
}
