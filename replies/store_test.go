package replies

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/clientele/clientele/lead"
	"github.com/clientele/clientele/store"
)

// The real store must satisfy the interface this package declares.
var _ Store = (*store.DB)(nil)

// testClock is a settable clock for tests.
type testClock struct{ t time.Time }

func (c *testClock) Now() time.Time { return c.t }

// fixture is a bbolt store in a temporary folder holding one contacted lead enrolled in one
// campaign, with the first step recorded as sent.
type fixture struct {
	db    *store.DB
	clock *testClock
	lead  *lead.Lead
	msgID string
}

const (
	leadAddr  = "maria@bakery.example"
	ourMsgID  = "<step1.abc@studio.example>"
	ourFrom   = "ana@studio.example"
	campaign  = "bakeries"
	mailboxNm = "ana"
)

func newFixture(t *testing.T) *fixture {
	t.Helper()
	clock := &testClock{t: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)}
	db, err := store.Open(filepath.Join(t.TempDir(), "clientele.db"), store.Options{Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	l := &lead.Lead{Name: "Maria's Bakery", Email: leadAddr, Status: lead.StatusContacted}
	if err := db.PutLead(l); err != nil {
		t.Fatal(err)
	}
	if err := db.SetStatus(l.ID, lead.StatusContacted); err != nil {
		t.Fatal(err)
	}
	e := &lead.Enrollment{
		LeadID: l.ID, Campaign: campaign, Step: 1, State: lead.StateActive,
		NextAt: clock.t.Add(3 * 24 * time.Hour), Mailbox: mailboxNm, Email: leadAddr,
		MessageIDs: []string{ourMsgID}, EnrolledAt: clock.t,
	}
	if err := db.PutEnrollment(e); err != nil {
		t.Fatal(err)
	}
	sent := &lead.SentMessage{
		MessageID: ourMsgID, LeadID: l.ID, Campaign: campaign, Step: 1, Mailbox: mailboxNm,
		To: leadAddr, Subject: "A faster website for Maria's Bakery", State: lead.SendSent,
		StartedAt: clock.t, SentAt: clock.t,
	}
	if err := db.PutSent(sent); err != nil {
		t.Fatal(err)
	}
	return &fixture{db: db, clock: clock, lead: l, msgID: ourMsgID}
}

func (f *fixture) handler() *Handler {
	return &Handler{Store: f.db, Now: f.clock.Now}
}

func (f *fixture) status(t *testing.T) lead.Status {
	t.Helper()
	l, err := f.db.Lead(f.lead.ID)
	if err != nil {
		t.Fatal(err)
	}
	return l.Status
}

func (f *fixture) enrollment(t *testing.T) *lead.Enrollment {
	t.Helper()
	e, err := f.db.Enrollment(campaign, f.lead.ID)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func (f *fixture) suppressed(t *testing.T, addr string) bool {
	t.Helper()
	ok, err := f.db.IsSuppressed(addr)
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

func (f *fixture) events(t *testing.T) []lead.Event {
	t.Helper()
	evs, err := f.db.EventsOf(f.lead.ID)
	if err != nil {
		t.Fatal(err)
	}
	return evs
}
