package store

import (
	"errors"
	"testing"
	"time"

	"github.com/clientele/clientele/lead"
)

// replyFixture is a contacted lead with an active enrolment whose next step is due in 3 days.
func replyFixture(t *testing.T) (*DB, *clock, *lead.Lead) {
	t.Helper()
	db, c := openTest(t)
	l := mustPut(t, db, &lead.Lead{Name: "Maria's Bakery", Email: "maria@bakery.test"})
	if err := db.SetStatus(l.ID, lead.StatusContacted); err != nil {
		t.Fatal(err)
	}
	e := &lead.Enrollment{LeadID: l.ID, Campaign: "bakeries", Step: 1, State: lead.StateActive,
		NextAt: c.Now().Add(72 * time.Hour), Email: l.Email}
	if err := db.PutEnrollment(e); err != nil {
		t.Fatal(err)
	}
	return db, c, l
}

// replyState is what a reply action may have changed.
type replyState struct {
	status     lead.Status
	state      lead.State
	nextAt     time.Time
	suppressed int
	events     int
	indexed    int
}

func readReplyState(t *testing.T, db *DB, id lead.ID) replyState {
	t.Helper()
	l, err := db.Lead(id)
	if err != nil {
		t.Fatal(err)
	}
	e, err := db.Enrollment("bakeries", id)
	if err != nil {
		t.Fatal(err)
	}
	sup, err := db.Suppressions()
	if err != nil {
		t.Fatal(err)
	}
	evs, err := db.EventsOf(id)
	if err != nil {
		t.Fatal(err)
	}
	return replyState{l.Status, e.State, e.NextAt, len(sup), len(evs), len(indexKeys(t, db, bucketEventMsg))}
}

// TestApplyReplyAllOrNothing: an action that fails half-way (its second address cannot be
// suppressed, after the status was set and the first address suppressed) leaves nothing
// written; the same action with good values then applies whole.
func TestApplyReplyAllOrNothing(t *testing.T) {
	db, _, l := replyFixture(t)
	before := readReplyState(t, db, l.ID)
	a := &lead.ReplyAction{
		Event:  lead.Event{LeadID: l.ID, Kind: lead.KindUnsubscribe, MessageID: "<r1@bakery.test>", From: "owner@bakery.test"},
		Status: lead.StatusUnsubscribed, Suppress: []string{"maria@bakery.test", "not an address"},
		Stop: true, Reason: "unsubscribe",
	}
	if _, err := db.ApplyReply(a); !errors.Is(err, ErrInvalid) {
		t.Fatalf("bad address: error %v, want ErrInvalid", err)
	}
	if after := readReplyState(t, db, l.ID); after != before {
		t.Errorf("a failed action left writes behind:\n got %+v\nwant %+v", after, before)
	}
	if a.Event.ID != 0 || a.Stopped != 0 {
		t.Errorf("a rolled-back action reports event %d, %d stopped", a.Event.ID, a.Stopped)
	}

	a.Suppress[1] = "owner@bakery.test"
	applied, err := db.ApplyReply(a)
	if err != nil || !applied {
		t.Fatalf("good action: applied %v, %v", applied, err)
	}
	got := readReplyState(t, db, l.ID)
	want := replyState{lead.StatusUnsubscribed, lead.StateStopped, time.Time{}, 2, 1, 1}
	if got != want {
		t.Errorf("after the action:\n got %+v\nwant %+v", got, want)
	}
	if a.Stopped != 1 || a.Event.ID == 0 {
		t.Errorf("stopped %d, event id %d", a.Stopped, a.Event.ID)
	}
}

// TestApplyReplyOncePerMessage: the same message (however its Message-ID is written) is
// acted on once, for any lead, even when the first event predates the index.
func TestApplyReplyOncePerMessage(t *testing.T) {
	db, _, l := replyFixture(t)
	a := lead.ReplyAction{Event: lead.Event{LeadID: l.ID, Kind: lead.KindReply, MessageID: "<r2@bakery.test>"},
		Status: lead.StatusReplied, KeepFinal: true, Stop: true, Reason: "replied"}
	for i, id := range []string{"<r2@bakery.test>", "r2@bakery.test", " <r2@bakery.test> "} {
		b := a
		b.Event.MessageID = id
		applied, err := db.ApplyReply(&b)
		if err != nil {
			t.Fatal(err)
		}
		if applied != (i == 0) {
			t.Errorf("try %d (%q): applied %v", i+1, id, applied)
		}
	}
	// Traced to no lead the second time: still the same message.
	untraced := lead.ReplyAction{Event: lead.Event{Kind: lead.KindBounce, MessageID: "<r2@bakery.test>"}}
	if applied, err := db.ApplyReply(&untraced); err != nil || applied {
		t.Errorf("same message untraced: applied %v, %v", applied, err)
	}
	// An event recorded before the index existed is found among the lead's events.
	if err := db.AddEvent(&lead.Event{LeadID: l.ID, Kind: lead.KindAutoReply, MessageID: "<old@bakery.test>"}); err != nil {
		t.Fatal(err)
	}
	old := lead.ReplyAction{Event: lead.Event{LeadID: l.ID, Kind: lead.KindAutoReply, MessageID: "<old@bakery.test>"}}
	if applied, err := db.ApplyReply(&old); err != nil || applied {
		t.Errorf("message of an old event: applied %v, %v", applied, err)
	}
	if n := readReplyState(t, db, l.ID).events; n != 2 {
		t.Errorf("%d events, want 2", n)
	}
}

// TestApplyReplyCorrection: an action on a stored event rewrites it (a corrected kind),
// is never a duplicate, and cannot move the event to another lead.
func TestApplyReplyCorrection(t *testing.T) {
	db, _, l := replyFixture(t)
	a := lead.ReplyAction{Event: lead.Event{LeadID: l.ID, Kind: lead.KindAutoReply, MessageID: "<c1@bakery.test>"}}
	if _, err := db.ApplyReply(&a); err != nil {
		t.Fatal(err)
	}
	fix := lead.ReplyAction{Event: a.Event, Status: lead.StatusReplied, KeepFinal: true, Stop: true, Reason: "replied"}
	fix.Event.Kind = lead.KindReply
	if applied, err := db.ApplyReply(&fix); err != nil || !applied {
		t.Fatalf("correction: applied %v, %v", applied, err)
	}
	got := readReplyState(t, db, l.ID)
	if got.status != lead.StatusReplied || got.state != lead.StateStopped || got.events != 1 {
		t.Errorf("after the correction: %+v", got)
	}
	if ev, err := db.Event(a.Event.ID); err != nil || ev.Kind != lead.KindReply {
		t.Errorf("event after the correction: %+v, %v", ev, err)
	}
	other := mustPut(t, db, &lead.Lead{Name: "Tom's Plumbing", Email: "tom@plumbing.test"})
	moved := fix
	moved.Event.LeadID = other.ID
	if _, err := db.ApplyReply(&moved); !errors.Is(err, ErrInvalid) {
		t.Errorf("moving an event to another lead: %v, want ErrInvalid", err)
	}
	if _, err := db.ApplyReply(&lead.ReplyAction{Event: lead.Event{Kind: lead.KindBounce}, Stop: true}); !errors.Is(err, ErrInvalid) {
		t.Errorf("an action without a lead: %v, want ErrInvalid", err)
	}
}

// TestApplyReplyHold: an auto-reply's return date moves the next step, not a later one.
func TestApplyReplyHold(t *testing.T) {
	db, c, l := replyFixture(t)
	until := c.Now().Add(10 * 24 * time.Hour)
	a := lead.ReplyAction{Event: lead.Event{LeadID: l.ID, Kind: lead.KindAutoReply, MessageID: "<h1@bakery.test>"}, HoldUntil: until}
	if _, err := db.ApplyReply(&a); err != nil {
		t.Fatal(err)
	}
	if got := readReplyState(t, db, l.ID); a.Held != 1 || !got.nextAt.Equal(until) || got.state != lead.StateActive || got.status != lead.StatusContacted {
		t.Errorf("held %d, state %+v", a.Held, got)
	}
	earlier := lead.ReplyAction{Event: lead.Event{LeadID: l.ID, Kind: lead.KindAutoReply, MessageID: "<h2@bakery.test>"}, HoldUntil: until.Add(-time.Hour)}
	if _, err := db.ApplyReply(&earlier); err != nil || earlier.Held != 0 {
		t.Errorf("an earlier return date held %d: %v", earlier.Held, err)
	}
}

// TestForgetRemovesReplyIndex: forgetting a lead removes its events from the message index.
func TestForgetRemovesReplyIndex(t *testing.T) {
	db, _, l := replyFixture(t)
	a := lead.ReplyAction{Event: lead.Event{LeadID: l.ID, Kind: lead.KindReply, MessageID: "<f1@bakery.test>"}}
	if _, err := db.ApplyReply(&a); err != nil {
		t.Fatal(err)
	}
	if err := db.ForgetLead("maria@bakery.test"); err != nil {
		t.Fatal(err)
	}
	if keys := indexKeys(t, db, bucketEventMsg); len(keys) != 0 {
		t.Errorf("index after forget: %q", keys)
	}
}
