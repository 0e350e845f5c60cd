package outreach

import (
	"strings"
	"testing"
	"time"

	"github.com/clientele/clientele/config"
	"github.com/clientele/clientele/lead"
)

// TestRetrySetting: mailboxes[].retry decides when a temporary failure is tried again
// (first, then twice as long) and after how many tries the step stops, with the reason.
func TestRetrySetting(t *testing.T) {
	clk := newClock(monday10)
	srv := newSMTPServer(t)
	db, _ := newDB(t, clk)
	cfg := testConfig(t, srv.port)
	cfg.Mailboxes[0].Retry = config.Retry{First: config.Duration(time.Hour), Attempts: 3}
	e := newEngine(cfg, db, clk)
	addLeads(t, db, 1, nil)
	srv.set(func(s *smtpServer) { s.allRcpt = tempFail })
	for try, wait := range []time.Duration{time.Hour, 2 * time.Hour} {
		start := clk.Now()
		if sum, _ := send(t, e, false); sum.Deferred != 1 {
			t.Fatalf("try %d: %+v", try+1, sum)
		}
		en := enrolment(t, db, "plumbers", addLeadsEmail(0))
		if en.State != lead.StateActive || !en.NextAt.Equal(start.Add(wait)) {
			t.Fatalf("after try %d: next at %s, want %s later: %+v", try+1, en.NextAt, wait, en)
		}
		clk.Set(en.NextAt)
	}
	send(t, e, false)
	en := enrolment(t, db, "plumbers", addLeadsEmail(0))
	if en.State != lead.StateStopped || !strings.Contains(en.Reason, "gave up after 3 attempts") ||
		!strings.Contains(en.Reason, "try again later") {
		t.Fatalf("after the last try: %+v", en)
	}
}

// TestRetryWait: the default is 15m, doubling, at most a day.
func TestRetryWait(t *testing.T) {
	for attempt, want := range map[int]time.Duration{1: 15 * time.Minute, 2: 30 * time.Minute, 3: time.Hour,
		7: 16 * time.Hour, 8: 24 * time.Hour, 30: 24 * time.Hour} {
		if got := retryWait(config.Retry{}, attempt); got != want {
			t.Errorf("wait after try %d: %s, want %s", attempt, got, want)
		}
	}
	if got := retryAttempts(config.Retry{}); got != config.DefaultRetryAttempts {
		t.Errorf("default attempts %d", got)
	}
}

// TestBounceShieldSetting: campaigns[].bounce_shield sets the rate and the count after
// which it is judged; rate: off never pauses.
func TestBounceShieldSetting(t *testing.T) {
	cases := []struct {
		name   string
		shield config.BounceShield
		paused bool
		after  int // attempts when it paused
	}{
		{"10% after 5", config.BounceShield{Rate: config.Rate{Fraction: 0.10}, MinSent: 5}, true, 5},
		{"off", config.BounceShield{Rate: config.Rate{Off: true}, MinSent: 5}, false, 0},
		{"50% after 5", config.BounceShield{Rate: config.Rate{Fraction: 0.5}, MinSent: 5}, false, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clk := newClock(monday10)
			srv := newSMTPServer(t)
			db, _ := newDB(t, clk)
			cfg := testConfig(t, srv.port)
			cfg.Campaigns[0].BounceShield = tc.shield
			e := newEngine(cfg, db, clk)
			addLeads(t, db, 12, nil)
			srv.set(func(s *smtpServer) { s.rcpt[addLeadsEmail(1)] = noUser })
			sum, _ := send(t, e, false)
			if paused := len(sum.Paused) == 1; paused != tc.paused {
				t.Fatalf("paused %v, want %v: %+v", paused, tc.paused, sum)
			}
			if tc.paused && sum.Sent+sum.Bounced != tc.after {
				t.Fatalf("paused after %d attempts, want %d", sum.Sent+sum.Bounced, tc.after)
			}
			if !tc.paused && sum.Sent+sum.Bounced != 12 {
				t.Fatalf("%d attempts, want all 12: %+v", sum.Sent+sum.Bounced, sum)
			}
		})
	}
}
