package web

import (
	"context"
	"errors"
	"time"

	"github.com/clientele/clientele/lead"
)

// Dashboard is what the dashboard's pages read and do. The application implements it over
// the store and the same services the commands use, so an action taken here behaves like
// its command.
type Dashboard interface {
	Leads(ctx context.Context, q LeadQuery) (LeadPage, error)
	Lead(ctx context.Context, id lead.ID) (LeadDetail, error)
	Inbox(ctx context.Context, q InboxQuery) (InboxPage, error)
	Campaign(ctx context.Context, name string, p PreviewQuery) (CampaignView, error)
	Suppressions(ctx context.Context) ([]lead.Suppression, error)
	// Act carries out one action and says what it did, in words.
	Act(ctx context.Context, a Action) (string, error)
}

// ErrNotFound is what a Dashboard wraps for a lead or campaign that does not exist (404).
var ErrNotFound = errors.New("web: not found")

// ErrBadAction is what a Dashboard wraps for an action it refuses as asked (400): an
// unknown outcome, an address that is not one.
var ErrBadAction = errors.New("web: action not possible")

// LeadQuery selects a page of leads. Empty fields match anything.
type LeadQuery struct {
	Q        string // name word prefix, email or domain
	Status   string
	Outcome  string
	Category string
	City     string
	Campaign string
	// Before is the id the page starts below (0: from the newest): pages go by id, so a page
	// costs what it shows.
	Before lead.ID
	Limit  int
}

// LeadPage is one page of leads, newest first.
type LeadPage struct {
	Leads []lead.Lead
	// Next is the Before of the following page, 0 when this is the last.
	Next lead.ID
	// Campaigns are the campaign names, for the filter.
	Campaigns []string
}

// LeadDetail is everything about one lead.
type LeadDetail struct {
	Lead        lead.Lead
	Enrollments []lead.Enrollment
	Timeline    []TimelineItem
	Suppressed  bool
	Campaigns   []string // campaigns a preview may be asked of
}

// TimelineItem is one message sent, one message received or one action, in time order.
type TimelineItem struct {
	Time  time.Time
	Sent  *lead.SentMessage // a message of ours
	Event *lead.Event       // a message received, or an action recorded
	// Text is the body of a sent message, when it is known.
	Text string
	// Own and Quoted are a received message's text, split where what its author quoted
	// begins; both "" when no text was kept (the event's snippet is shown then).
	Own, Quoted string
}

// InboxQuery selects a page of received messages.
type InboxQuery struct {
	Kind   string // "" for every kind
	Before uint64 // event id the page starts below (0: the newest)
	Limit  int
}

// InboxPage is one page of received messages, newest first.
type InboxPage struct {
	Items []InboxItem
	Next  uint64
}

// InboxItem is one received message and the lead it concerns.
type InboxItem struct {
	Event    lead.Event
	LeadName string
}

// PreviewQuery asks the campaign page for the preview of a step (0: the lead's next) of
// one variant ("": every variant of the step) for a lead (id or email; "": no preview).
type PreviewQuery struct {
	Lead    string
	Step    int
	Variant string
}

// CampaignView is one campaign: its steps with their counts, and a preview.
type CampaignView struct {
	Name      string
	Paused    string // why it is paused, "" when it is not
	Enrolled  int
	Steps     []CampaignStep
	Mailboxes []string
	// VariantsAt is when the enrolled and per-variant counts were read (they are read again
	// in the background after a minute); zero while the first read runs.
	VariantsAt time.Time
	// VariantNames are the variants any step has, for the preview's chooser.
	VariantNames []string

	PreviewLead    string
	PreviewStep    int
	PreviewVariant string
	Preview        string // the exact message, headers included
	PreviewErr     string
}

// CampaignStep is one step and its variants.
type CampaignStep struct {
	Step                                          int
	Subject                                       string
	After                                         string
	Variants                                      []string
	Enrolled, Sent, Replied, Bounced, Unsubbed    int
	Interested, NotInterested, Meeting, Won, Lost int
	// ReplyLow and ReplyHigh bound the reply rate's 95 % Wilson interval (fractions).
	ReplyLow, ReplyHigh float64
	// Counts are the step's variants with their counts, for a step that has (or had) them.
	Counts []VariantCounts
}

// VariantCounts counts one variant of a step, as the statistics do.
type VariantCounts struct {
	Variant                                    string
	Subject                                    string // its subject template, "" for the step's thread
	Weight                                     int    // in the config; 0: sent to nobody now
	Enrolled, Sent, Replied, Bounced, Unsubbed int
	Interested, Meeting, Won                   int
	// ReplyRate and its 95 % Wilson interval, as fractions.
	ReplyRate, ReplyLow, ReplyHigh float64
}

// Action is one state-changing request of the dashboard.
type Action struct {
	Do    string  // outcome, stop, suppress, forget, correct, pause, resume, suppress_add, suppress_remove, crawl
	Lead  lead.ID // for the lead actions
	Event uint64  // for correct
	Kind  string  // campaign or mailbox, for pause and resume
	Name  string  // campaign, mailbox or crawl source name
	Value string  // the outcome, the corrected kind, the address or @domain
}
