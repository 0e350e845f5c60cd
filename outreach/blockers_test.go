package outreach

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/clientele/clientele/config"
)

// TestBlockers runs one campaign through what can hold it back and checks what Blockers
// says at each point.
func TestBlockers(t *testing.T) {
	clk := newClock(monday10)
	srv := newSMTPServer(t)
	db, _ := newDB(t, clk)
	cfg := testConfig(t, srv.port)
	cfg.Mailboxes[0].DailyLimit = 2
	cfg.Mailboxes[0].MinInterval = config.Duration(10 * time.Minute)
	cfg.Campaigns[0].Window = &config.Window{Timezone: "Europe/Lisbon", Days: []string{"mon", "tue", "wed", "thu", "fri"},
		From: "09:00", To: "17:00"}
	e := newEngine(cfg, db, clk)
	addLeads(t, db, 5, nil)

	if got := e.Blockers(clk.Now()); len(got) != 0 {
		t.Fatalf("before any send: %q", got)
	}
	send(t, e, false) // one message: min_interval allows no more now
	want := []string{"mailbox ana: next send allowed at Mon 2026-01-12 10:10:00 WET by min_interval 10m0s (last send Mon 2026-01-12 10:00:00 WET)"}
	if got := e.Blockers(clk.Now()); !reflect.DeepEqual(got, want) {
		t.Fatalf("after one send:\n got %q\nwant %q", got, want)
	}
	clk.Advance(10 * time.Minute)
	send(t, e, false) // the second and last of the day
	want = []string{
		"mailbox ana: daily limit reached (2 of 2 today); the day ends Tue 2026-01-13 00:00:00 WET",
		"mailbox ana: next send allowed at Mon 2026-01-12 10:20:00 WET by min_interval 10m0s (last send Mon 2026-01-12 10:10:00 WET)",
	}
	if got := e.Blockers(clk.Now()); !reflect.DeepEqual(got, want) {
		t.Fatalf("at the daily limit:\n got %q\nwant %q", got, want)
	}

	// Friday evening, in summer time: the window opens on Monday, said in Lisbon's time.
	friday := time.Date(2026, 6, 5, 17, 30, 0, 0, time.UTC) // 18:30 in Lisbon
	want = []string{"campaign plumbers: outside its sending window; it opens Mon 2026-06-08 09:00:00 WEST (Europe/Lisbon)"}
	if got := e.Blockers(friday); !reflect.DeepEqual(got, want) {
		t.Fatalf("on a Friday evening:\n got %q\nwant %q", got, want)
	}

	// Pauses, with their reasons.
	monday := time.Date(2026, 6, 8, 10, 0, 0, 0, time.UTC)
	if err := e.saveJSON(cursorCampaign+"plumbers", campaignState{Paused: true, Since: monday,
		Reason: "hard-bounce rate 5.0% (1 of 20) is above 2%"}); err != nil {
		t.Fatal(err)
	}
	if err := e.saveJSON(cursorMailbox+"ana", mailboxState{Paused: true, Since: monday, Failures: 5,
		Reason: "failed 5 passes in a row, last: connection refused"}); err != nil {
		t.Fatal(err)
	}
	cfg.Campaigns[0].Paused = true
	want = []string{
		"campaign plumbers: paused in the config",
		"campaign plumbers: paused itself since Mon 2026-06-08 10:00:00 UTC: hard-bounce rate 5.0% (1 of 20) is above 2%",
		"mailbox ana: paused itself since Mon 2026-06-08 10:00:00 UTC: failed 5 passes in a row, last: connection refused",
	}
	if got := e.Blockers(monday); !reflect.DeepEqual(got, want) {
		t.Fatalf("paused:\n got %q\nwant %q", got, want)
	}
	if err := e.ResumeMailbox("ana"); err != nil {
		t.Fatal(err)
	}
	if err := e.saveJSON(cursorMailbox+"ana", mailboxState{Failures: 2, Reason: "dial tcp: connection refused"}); err != nil {
		t.Fatal(err)
	}
	if got := e.Blockers(monday); len(got) != 3 || !strings.HasPrefix(got[2], "mailbox ana: its server failed in the last 2 pass(es): dial tcp") {
		t.Fatalf("failing mailbox: %q", got)
	}
}
