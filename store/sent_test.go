package store

import (
	"errors"
	"testing"
	"time"

	"github.com/clientele/clientele/lead"
)

func TestSentMessages(t *testing.T) {
	db, clk := openTest(t)
	a := mustPut(t, db, &lead.Lead{Email: "a@x.test"})
	b := mustPut(t, db, &lead.Lead{Email: "b@x.test"})
	m1 := &lead.SentMessage{MessageID: "<step1.a@us.test>", LeadID: a.ID, Campaign: "c", Step: 1, State: lead.SendSending}
	if err := db.PutSent(m1); err != nil {
		t.Fatal(err)
	}
	if !m1.StartedAt.Equal(clk.Now()) {
		t.Errorf("StartedAt = %v", m1.StartedAt)
	}
	clk.Add(time.Minute)
	// The same transaction marks the message sent and the enrolment moved on.
	err := db.Update(func(tx *Tx) error {
		m, err := tx.Sent("step1.a@us.test")
		if err != nil {
			return err
		}
		m.State, m.SentAt = lead.SendSent, tx.now()
		if err := tx.PutSent(m); err != nil {
			return err
		}
		return tx.PutSent(&lead.SentMessage{MessageID: "step2.a@us.test", LeadID: a.ID, Step: 2})
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"step1.a@us.test", "<step1.a@us.test>", " <step1.a@us.test> "} {
		if m, err := db.Sent(id); err != nil || m.State != lead.SendSent || m.MessageID != "<step1.a@us.test>" {
			t.Errorf("Sent(%q) = %+v, %v", id, m, err)
		}
	}
	if _, err := db.Sent("<nope@us.test>"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown message: %v", err)
	}
	ms, _ := db.SentOf(a.ID)
	if len(ms) != 2 || ms[0].Step != 1 || ms[1].Step != 2 {
		t.Errorf("SentOf = %+v", ms)
	}
	// Moving a record to another lead moves its index entry.
	m1.LeadID = b.ID
	if err := db.PutSent(m1); err != nil {
		t.Fatal(err)
	}
	if ms, _ := db.SentOf(a.ID); len(ms) != 1 {
		t.Errorf("SentOf(a) after move = %d", len(ms))
	}
	if ms, _ := db.SentOf(b.ID); len(ms) != 1 {
		t.Errorf("SentOf(b) after move = %d", len(ms))
	}
	n := 0
	db.ForEachSent(func(*lead.SentMessage) error { n++; return nil })
	if n != 2 {
		t.Errorf("ForEachSent = %d", n)
	}
	if err := db.PutSent(&lead.SentMessage{MessageID: " <> "}); !errors.Is(err, ErrInvalid) {
		t.Errorf("empty Message-ID: %v", err)
	}
}

func TestEvents(t *testing.T) {
	db, clk := openTest(t)
	a := mustPut(t, db, &lead.Lead{Email: "a@x.test"})
	given := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, e := range []*lead.Event{
		{LeadID: a.ID, Kind: lead.KindReply},
		{Kind: lead.KindOther},
		{LeadID: a.ID, Kind: lead.KindBounce, Time: given},
	} {
		if err := db.AddEvent(e); err != nil {
			t.Fatal(err)
		}
		if e.ID != uint64(i+1) {
			t.Errorf("event %d got ID %d", i, e.ID)
		}
		clk.Add(time.Second)
	}
	evs, _ := db.EventsOf(a.ID)
	if len(evs) != 2 || evs[0].Kind != lead.KindReply || !evs[0].Time.Equal(newClock().Now()) || !evs[1].Time.Equal(given) {
		t.Errorf("EventsOf = %+v", evs)
	}
	recent, _ := db.RecentEvents(2)
	if len(recent) != 2 || recent[0].ID != 3 || recent[1].ID != 2 {
		t.Errorf("RecentEvents(2) = %+v", recent)
	}
	if r, _ := db.RecentEvents(0); len(r) != 0 {
		t.Errorf("RecentEvents(0) = %d", len(r))
	}
	var ids []uint64
	db.ForEachEvent(func(e lead.Event) error { ids = append(ids, e.ID); return nil })
	if len(ids) != 3 || ids[0] != 1 || ids[2] != 3 {
		t.Errorf("ForEachEvent = %v", ids)
	}
}

func TestSendLog(t *testing.T) {
	db, _ := openTest(t)
	day := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	if _, ok, _ := db.LastSend("m1"); ok {
		t.Error("LastSend of a mailbox that never sent")
	}
	sends := []time.Duration{9 * time.Hour, 9 * time.Hour, 10 * time.Hour, 23*time.Hour + 59*time.Minute, 24 * time.Hour, 33 * time.Hour}
	for i, d := range sends {
		if err := db.RecordSend("m1", day.Add(d), "msg"+string(rune('a'+i))); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.RecordSend("m1", day.Add(10*time.Hour), "msgc"); err != nil { // a retry of the same record
		t.Fatal(err)
	}
	if err := db.RecordSend("m2", day.Add(12*time.Hour), "other"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		from, to time.Time
		want     int
	}{
		{"first day, two at one instant", day, day.Add(24 * time.Hour), 4},
		{"second day starts at midnight", day.Add(24 * time.Hour), day.Add(48 * time.Hour), 2},
		{"end excluded", day.Add(9 * time.Hour), day.Add(10 * time.Hour), 2},
		{"empty range", day.Add(11 * time.Hour), day.Add(12 * time.Hour), 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if n, err := db.SendsBetween("m1", tc.from, tc.to); err != nil || n != tc.want {
				t.Errorf("SendsBetween = %d, %v; want %d", n, err, tc.want)
			}
		})
	}
	if at, ok, _ := db.FirstSend("m1"); !ok || !at.Equal(day.Add(9*time.Hour)) {
		t.Errorf("FirstSend = %v %v", at, ok)
	}
	if at, ok, _ := db.LastSend("m1"); !ok || !at.Equal(day.Add(33*time.Hour)) {
		t.Errorf("LastSend = %v %v", at, ok)
	}
	if n, _ := db.SendsBetween("nobody", day, day.Add(48*time.Hour)); n != 0 {
		t.Errorf("unknown mailbox counted %d", n)
	}
}
