package outreach

import (
	"time"

	"github.com/clientele/clientele/lead"
)

// Store is what the engine needs from the database. *store.DB satisfies it; the compound
// methods (OutreachCommit, OutreachOptOut) each change several entities in one
// transaction, which is what makes a send exactly-once.
type Store interface {
	// Path is the database file; the in-flight log is kept beside it ("" for none).
	Path() string

	Lead(id lead.ID) (*lead.Lead, error)
	FindLead(ref string) (*lead.Lead, error)
	LeadsWithStatus(s lead.Status, fn func(*lead.Lead) error) error
	// LeadsAfter calls fn for the leads in status s whose ID is above after, in ID order,
	// reading only the status index from there; an error from fn stops the walk.
	LeadsAfter(s lead.Status, after lead.ID, fn func(*lead.Lead) error) error
	IsSuppressed(email string) (bool, error)

	PutEnrollment(e *lead.Enrollment) error
	Enrollment(campaign string, id lead.ID) (*lead.Enrollment, error)
	EnrollmentsOf(id lead.ID) ([]*lead.Enrollment, error)
	ForEachEnrollment(fn func(*lead.Enrollment) error) error
	Due(now time.Time, fn func(*lead.Enrollment) bool) error
	LiveByEmail(email string) ([]*lead.Enrollment, error)
	CountLiveInDomain(campaign, domain string) (int, error)

	Sent(messageID string) (*lead.SentMessage, error)
	SentOf(id lead.ID) ([]*lead.SentMessage, error)
	ForEachSent(fn func(*lead.SentMessage) error) error

	SendsBetween(mailbox string, from, to time.Time) (int, error)
	LastSend(mailbox string) (time.Time, bool, error)
	FirstSend(mailbox string) (time.Time, bool, error)

	SetCursor(name string, value []byte) error
	Cursor(name string) ([]byte, bool, error)

	// OutreachCommit stores a batch of the send pass in one transaction: message records
	// (a sent or unknown one also goes to its mailbox's send log, a sent one marks its lead
	// contacted), enrolments, and hard bounces (lead bounced, address suppressed, every
	// sequence of the lead stopped, event stored).
	OutreachCommit(ens []*lead.Enrollment, msgs []*lead.SentMessage, bounces []*lead.Event) error
	// OutreachOptOut suppresses the address, marks the lead unsubscribed, stops every
	// sequence of the lead and records the event, all before the caller answers.
	OutreachOptOut(id lead.ID, email string, ev *lead.Event) error
	// OutreachUnsent records that a step of unknown outcome did not go out: the message
	// (failed) and the enrolment are stored, and the message leaves its mailbox's send log.
	OutreachUnsent(en *lead.Enrollment, m *lead.SentMessage) error
}
