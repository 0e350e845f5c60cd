package outreach

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clientele/clientele/config"
	"github.com/clientele/clientele/lead"
	"github.com/clientele/clientele/store"
)

// countingStore counts, per lead, what a pass reads of it: due-index yields and lead reads.
type countingStore struct {
	*store.DB
	mu     sync.Mutex
	yields map[lead.ID]int
	reads  map[lead.ID]int
}

func newCountingStore(db *store.DB) *countingStore {
	return &countingStore{DB: db, yields: map[lead.ID]int{}, reads: map[lead.ID]int{}}
}

func (s *countingStore) Due(now time.Time, fn func(*lead.Enrollment) bool) error {
	return s.DB.Due(now, func(en *lead.Enrollment) bool {
		s.mu.Lock()
		s.yields[en.LeadID]++
		s.mu.Unlock()
		return fn(en)
	})
}

func (s *countingStore) Lead(id lead.ID) (*lead.Lead, error) {
	s.mu.Lock()
	s.reads[id]++
	s.mu.Unlock()
	return s.DB.Lead(id)
}

func (s *countingStore) touched(id lead.ID) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.yields[id] + s.reads[id]
}

// recipientConfig: the test campaign sending 09:00-17:00, Monday to Friday, in each
// recipient's own time, Lisbon's when it cannot be told.
func recipientConfig(t testing.TB, port int) *config.Config {
	cfg := testConfig(t, port)
	cfg.Campaigns[0].Window = &config.Window{Timezone: "recipient", FallbackTimezone: "Europe/Lisbon",
		Days: []string{"mon", "tue", "wed", "thu", "fri"}, From: "09:00", To: "17:00"}
	if err := cfg.Campaigns[0].Window.Resolve(); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// Phones of leads in three zones.
var zonePhones = map[string]string{
	"Asia/Tokyo":       "+81 3 1234 5678",
	"Europe/Lisbon":    "+351 21 000 0000",
	"America/New_York": "+1 212 555 0100",
}

// TestRecipientWindowsShareOneDailyLimit: leads in Tokyo, Lisbon and New York on one
// mailbox with a daily limit of 3 counted in Lisbon's day. Passes every 30 minutes for
// three days: each message goes out inside its recipient's own 09:00-17:00, and no Lisbon
// day sees more than 3.
func TestRecipientWindowsShareOneDailyLimit(t *testing.T) {
	start := time.Date(2026, 1, 11, 23, 0, 0, 0, time.UTC) // Sunday night in Lisbon
	clk := newClock(start)
	srv := newSMTPServer(t)
	db, _ := newDB(t, clk)
	cfg := recipientConfig(t, srv.port)
	cfg.Campaigns[0].Steps = cfg.Campaigns[0].Steps[:1]
	cfg.Mailboxes[0].DailyLimit = 3
	e := newEngine(cfg, db, clk)
	zones := []string{"Asia/Tokyo", "Europe/Lisbon", "America/New_York", "Asia/Tokyo", "Europe/Lisbon", "America/New_York"}
	addLeads(t, db, len(zones), func(i int, l *lead.Lead) { l.Phone = zonePhones[zones[i]] })

	perDay := map[string]int{}
	lis, _ := time.LoadLocation("Europe/Lisbon")
	for clk.Now().Before(start.Add(72 * time.Hour)) {
		sum, _ := send(t, e, false)
		perDay[clk.Now().In(lis).Format("2006-01-02")] += sum.Sent
		clk.Advance(30 * time.Minute)
	}
	for day, n := range perDay {
		if n > 3 {
			t.Errorf("%s (Lisbon): %d messages, limit 3", day, n)
		}
	}
	for i, zone := range zones {
		loc, _ := time.LoadLocation(zone)
		en := enrolment(t, db, "plumbers", addrOf(i))
		if en.Step != 1 || en.Zone != zone {
			t.Fatalf("%s: step %d, zone %q, want 1 and %s", addrOf(i), en.Step, en.Zone, zone)
		}
		m, err := db.Sent(en.MessageIDs[0])
		if err != nil {
			t.Fatal(err)
		}
		local := m.SentAt.In(loc)
		if h := local.Hour(); h < 9 || h >= 17 || local.Weekday() == time.Saturday || local.Weekday() == time.Sunday {
			t.Errorf("%s (%s) was sent at %s local time", addrOf(i), zone, local)
		}
	}
	if len(srv.messages()) != len(zones) {
		t.Errorf("%d messages for %d leads", len(srv.messages()), len(zones))
	}
}

// TestClosedWindowIsNotReread: a lead whose window is closed is moved to its next opening
// and no pass before then yields or reads it; when its window opens it goes out.
func TestClosedWindowIsNotReread(t *testing.T) {
	start := time.Date(2026, 1, 12, 10, 0, 0, 0, time.UTC) // Monday: 19:00 in Tokyo, 10:00 in Lisbon
	clk := newClock(start)
	srv := newSMTPServer(t)
	db, _ := newDB(t, clk)
	cs := newCountingStore(db)
	cfg := recipientConfig(t, srv.port)
	e := newEngine(cfg, cs, clk)
	ls := addLeads(t, db, 2, func(i int, l *lead.Lead) {
		l.Phone = zonePhones[[]string{"Asia/Tokyo", "Europe/Lisbon"}[i]]
	})
	if sum, _ := send(t, e, false); sum.Sent != 1 || sum.Enrolled != 2 {
		t.Fatalf("first pass %+v", sum)
	}
	tokyo := enrolment(t, db, "plumbers", ls[0].Email)
	if want := time.Date(2026, 1, 13, 0, 0, 0, 0, time.UTC); !tokyo.NextAt.Equal(want) || tokyo.Step != 0 {
		t.Fatalf("Tokyo lead due %s (step %d), want %s: Tuesday 09:00 in Tokyo", tokyo.NextAt.UTC(), tokyo.Step, want)
	}
	id := tokyo.LeadID
	before := cs.touched(id)
	for clk.Advance(15 * time.Minute); clk.Now().Before(time.Date(2026, 1, 13, 0, 0, 0, 0, time.UTC)); clk.Advance(15 * time.Minute) {
		if sum, _ := send(t, e, false); sum.Sent != 0 {
			t.Fatalf("%s: sent %d", clk.Now(), sum.Sent)
		}
	}
	if n := cs.touched(id) - before; n != 0 {
		t.Errorf("the Tokyo lead was yielded or read %d times while its window was closed", n)
	}
	clk.Set(time.Date(2026, 1, 13, 0, 0, 0, 0, time.UTC))
	if sum, _ := send(t, e, false); sum.Sent != 1 {
		t.Fatalf("at 09:00 in Tokyo: %+v", sum)
	}
	// The follow-up, 3 days later (Friday 09:00 in Tokyo), is due in Tokyo's window too.
	tokyo = enrolment(t, db, "plumbers", ls[0].Email)
	if want := time.Date(2026, 1, 16, 0, 0, 0, 0, time.UTC); !tokyo.NextAt.Equal(want) {
		t.Errorf("follow-up due %s, want %s", tokyo.NextAt.UTC(), want)
	}
}

// TestFollowUpAcrossDST: a New York lead's follow-up is due at the opening of its own
// window after the US clocks change, an hour earlier in UTC than before.
func TestFollowUpAcrossDST(t *testing.T) {
	start := time.Date(2026, 3, 6, 14, 0, 0, 0, time.UTC) // Friday 09:00 EST
	clk := newClock(start)
	srv := newSMTPServer(t)
	db, _ := newDB(t, clk)
	cfg := recipientConfig(t, srv.port)
	cfg.Campaigns[0].Steps[1].After = config.Duration(24 * time.Hour)
	e := newEngine(cfg, db, clk)
	ls := addLeads(t, db, 1, func(i int, l *lead.Lead) { l.Phone = zonePhones["America/New_York"] })
	if sum, _ := send(t, e, false); sum.Sent != 1 {
		t.Fatalf("first pass %+v", sum)
	}
	en := enrolment(t, db, "plumbers", ls[0].Email)
	// Saturday 09:00 is outside the days; Monday 9 March 09:00 EDT is 13:00 UTC.
	if want := time.Date(2026, 3, 9, 13, 0, 0, 0, time.UTC); !en.NextAt.Equal(want) {
		t.Errorf("follow-up due %s, want %s", en.NextAt.UTC(), want)
	}
}

// TestRecipientHolidays: with holidays: recipient a German lead waits for Easter Monday
// to pass while a Portuguese one (working that day) gets its message.
func TestRecipientHolidays(t *testing.T) {
	start := time.Date(2026, 4, 6, 10, 0, 0, 0, time.UTC) // Easter Monday
	clk := newClock(start)
	srv := newSMTPServer(t)
	db, _ := newDB(t, clk)
	cfg := recipientConfig(t, srv.port)
	cfg.Campaigns[0].Window.Holidays = config.Holidays{"recipient"}
	if err := cfg.Campaigns[0].Window.Resolve(); err != nil {
		t.Fatal(err)
	}
	e := newEngine(cfg, db, clk)
	ls := addLeads(t, db, 2, func(i int, l *lead.Lead) { l.Country = []string{"DE", "PT"}[i] })
	if sum, _ := send(t, e, false); sum.Sent != 1 {
		t.Fatalf("Easter Monday %+v", sum)
	}
	de := enrolment(t, db, "plumbers", ls[0].Email)
	if want := time.Date(2026, 4, 7, 7, 0, 0, 0, time.UTC); de.Step != 0 || !de.NextAt.Equal(want) || de.Country != "DE" {
		t.Errorf("German lead: step %d due %s (%s), want Tuesday 09:00 Berlin, %s", de.Step, de.NextAt.UTC(), de.Country, want)
	}
	if len(srv.to(ls[1].Email)) != 1 {
		t.Error("the Portuguese lead got nothing")
	}
}

// TestOutOfOfficeHoldInRecipientWindow: an auto-reply naming a return date holds the next
// step until then (the enrolment's NextAt, which `leads show` and the export's next_at
// show); on that day the step goes out when the recipient's own window opens.
func TestOutOfOfficeHoldInRecipientWindow(t *testing.T) {
	clk := newClock(time.Date(2026, 1, 12, 14, 0, 0, 0, time.UTC)) // Monday 09:00 in New York
	srv := newSMTPServer(t)
	db, _ := newDB(t, clk)
	e := newEngine(recipientConfig(t, srv.port), db, clk)
	ls := addLeads(t, db, 1, func(i int, l *lead.Lead) { l.Phone = zonePhones["America/New_York"] })
	if sum, _ := send(t, e, false); sum.Sent != 1 {
		t.Fatalf("first pass %+v", sum)
	}
	back := time.Date(2026, 1, 26, 0, 0, 0, 0, time.UTC) // "back on 26 January"
	a := &lead.ReplyAction{Event: lead.Event{LeadID: enrolment(t, db, "plumbers", ls[0].Email).LeadID, Time: clk.Now(), Kind: lead.KindAutoReply, MessageID: "<ooo@x.example>"},
		HoldUntil: back}
	if _, err := db.ApplyReply(a); err != nil || a.Held != 1 {
		t.Fatalf("hold: %v, held %d", err, a.Held)
	}
	en := enrolment(t, db, "plumbers", ls[0].Email)
	if s := en.Summarize(); s.NextAt == nil || !s.NextAt.Equal(back) {
		t.Fatalf("export next_at %v, want the return date %s", s.NextAt, back)
	}
	clk.Set(time.Date(2026, 1, 23, 15, 0, 0, 0, time.UTC)) // step 2 was due on the 15th
	if sum, _ := send(t, e, false); sum.Sent != 0 {
		t.Fatalf("sent during the hold: %+v", sum)
	}
	clk.Set(back.Add(time.Hour)) // Sunday 20:00 in New York: the window is closed
	if sum, _ := send(t, e, false); sum.Sent != 0 {
		t.Fatalf("sent outside the window: %+v", sum)
	}
	en = enrolment(t, db, "plumbers", ls[0].Email)
	if want := time.Date(2026, 1, 26, 14, 0, 0, 0, time.UTC); !en.NextAt.Equal(want) {
		t.Errorf("after the hold, due %s, want Monday 09:00 in New York (%s)", en.NextAt.UTC(), want)
	}
	clk.Set(time.Date(2026, 1, 26, 14, 0, 0, 0, time.UTC))
	if sum, _ := send(t, e, false); sum.Sent != 1 {
		t.Fatalf("at the opening: %+v", sum)
	}
}

// TestParkedEnrolmentsAreBounded: a pass parks no more new leads whose window is closed
// than its mailbox could send, so enrolment stays lazy.
func TestParkedEnrolmentsAreBounded(t *testing.T) {
	clk := newClock(time.Date(2026, 1, 12, 10, 0, 0, 0, time.UTC)) // 19:00 in Tokyo
	srv := newSMTPServer(t)
	db, _ := newDB(t, clk)
	cfg := recipientConfig(t, srv.port)
	cfg.Mailboxes[0].DailyLimit = 5
	e := newEngine(cfg, db, clk)
	addLeads(t, db, 50, func(i int, l *lead.Lead) { l.Phone = zonePhones["Asia/Tokyo"] })
	sum, _ := send(t, e, false)
	if sum.Enrolled != 5 || sum.Sent != 0 || sum.Waiting != 5 {
		t.Fatalf("first pass %+v, want 5 enrolled and parked", sum)
	}
	if !strings.Contains(sum.String(), "5 waiting for their recipient's hours") {
		t.Errorf("summary %q", sum.String())
	}
}

// TestChangedWindowAppliesWhenDue: a step parked under one window is checked against the
// window of the config in force when it comes due (a reload), not the one that parked it.
func TestChangedWindowAppliesWhenDue(t *testing.T) {
	clk := newClock(time.Date(2026, 1, 12, 10, 0, 0, 0, time.UTC)) // 19:00 in Tokyo
	srv := newSMTPServer(t)
	db, _ := newDB(t, clk)
	e := newEngine(recipientConfig(t, srv.port), db, clk)
	ls := addLeads(t, db, 1, func(i int, l *lead.Lead) { l.Phone = zonePhones["Asia/Tokyo"] })
	if sum, _ := send(t, e, false); sum.Enrolled != 1 || sum.Sent != 0 {
		t.Fatalf("first pass %+v", sum)
	}
	cfg := recipientConfig(t, srv.port)
	cfg.Campaigns[0].Window.From, cfg.Campaigns[0].Window.To = "10:00", "12:00"
	if err := cfg.Campaigns[0].Window.Resolve(); err != nil {
		t.Fatal(err)
	}
	e = newEngine(cfg, db, clk) // the reloaded config
	// 09:00 in Tokyo: due under the old window, not yet under the new one.
	clk.Set(time.Date(2026, 1, 13, 0, 0, 0, 0, time.UTC))
	if sum, _ := send(t, e, false); sum.Sent != 0 {
		t.Fatalf("sent under the old window: %+v", sum)
	}
	if en := enrolment(t, db, "plumbers", ls[0].Email); !en.NextAt.Equal(time.Date(2026, 1, 13, 1, 0, 0, 0, time.UTC)) {
		t.Errorf("due %s, want 10:00 in Tokyo", en.NextAt.UTC())
	}
	clk.Set(time.Date(2026, 1, 13, 1, 0, 0, 0, time.UTC))
	if sum, _ := send(t, e, false); sum.Sent != 1 {
		t.Fatalf("at 10:00 in Tokyo: %+v", sum)
	}
}

// TestBlockersOfRecipientWindows: a campaign in its recipients' time is never "outside its
// window" as a whole: it is night in Lisbon, the fallback, and day somewhere else.
func TestBlockersOfRecipientWindows(t *testing.T) {
	clk := newClock(time.Date(2026, 1, 12, 2, 0, 0, 0, time.UTC))
	db, _ := newDB(t, clk)
	e := newEngine(recipientConfig(t, 25), db, clk)
	for _, b := range e.Blockers(clk.Now()) {
		if strings.Contains(b, "outside its sending window") {
			t.Errorf("blocker %q", b)
		}
	}
}
