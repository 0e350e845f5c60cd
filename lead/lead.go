// Package lead is the domain of clientele: a Lead (one business we may write to), its
// Status, its Enrollments in campaigns, the Events that happened to it, and the rules for
// normalising the addresses and domains that identify it.
//
// It imports nothing of ours and does no I/O, so every other package can depend on it.
package lead

import (
	"time"
)

// ID identifies a lead. It is assigned once by the store and never reused, so links and
// exports stay valid for the lead's whole life.
type ID uint64

// Status is where a lead stands with us. It only moves forward: a lead that replied,
// bounced, unsubscribed or complained is never contacted again.
type Status string

// The statuses of the SPEC.
const (
	StatusNew          Status = "new"          // never emailed
	StatusContacted    Status = "contacted"    // at least one message went out
	StatusReplied      Status = "replied"      // a person answered
	StatusBounced      Status = "bounced"      // the address does not accept mail
	StatusUnsubscribed Status = "unsubscribed" // the person asked to be removed
	StatusComplained   Status = "complained"   // the person reported us as spam
)

// Statuses lists every valid status, in the order they are usually reached.
var Statuses = []Status{StatusNew, StatusContacted, StatusReplied, StatusBounced, StatusUnsubscribed, StatusComplained}

// Valid reports whether s is one of the statuses of the SPEC.
func (s Status) Valid() bool {
	for _, v := range Statuses {
		if s == v {
			return true
		}
	}
	return false
}

// Final reports whether a lead in this status must never be emailed again.
func (s Status) Final() bool {
	switch s {
	case StatusReplied, StatusBounced, StatusUnsubscribed, StatusComplained:
		return true
	}
	return false
}

// Outcome is where a conversation with a lead went, as the user records it.
type Outcome string

// The outcomes of the SPEC; OutcomeNone ("") means none recorded.
const (
	OutcomeNone          Outcome = ""
	OutcomeInterested    Outcome = "interested"
	OutcomeNotInterested Outcome = "not_interested"
	OutcomeMeeting       Outcome = "meeting"
	OutcomeWon           Outcome = "won"
	OutcomeLost          Outcome = "lost"
)

// SourceImport is the Source of a lead imported from a file that names no source: what it
// says was written by the user, not read by a crawl.
const SourceImport = "import"

// Lead is one business (or person) found by a crawl or imported by the user.
type Lead struct {
	ID       ID       `json:"id"`
	Name     string   `json:"name"`
	Email    string   `json:"email"`  // the address used for outreach, "" if none
	Emails   []string `json:"emails"` // every address found, Email first
	Phone    string   `json:"phone"`
	Website  string   `json:"website"`
	Address  string   `json:"address"`
	City     string   `json:"city"`
	Category string   `json:"category"`
	Source   string   `json:"source"`
	// SourceURL is the directory page the lead was listed on ("" when imported without one).
	SourceURL string `json:"source_url"`
	// EmailSource is the page where Email was found, so a message can say where the address
	// came from (GDPR Art. 14); "" when the address was not crawled.
	EmailSource string `json:"email_source"`
	// Country is the ISO 3166-1 alpha-2 code of the lead's country, where known.
	Country string `json:"country"`
	Status  Status `json:"status"`
	// Outcome is where the conversation went, as the user recorded it (leads mark).
	Outcome Outcome `json:"outcome"`
	// RoleEmail is true when Email is a role address (info@, sales@, ...), not a person's.
	RoleEmail bool `json:"role_email,omitempty"`
	// Extra holds whatever else a crawl or an import found (for example "country"); it is
	// available to templates as .Lead.Extra.key.
	Extra map[string]string `json:"extra,omitempty"`
	// Site is what the crawl saw on the business's own website.
	Site      *Site     `json:"site,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Site records facts about a business's own website that make a message personal
// ("your site has no HTTPS", "© 2016").
type Site struct {
	HTTPS          bool          `json:"https"`
	MobileViewport bool          `json:"mobile_viewport"`
	CopyrightYear  int           `json:"copyright_year,omitempty"`
	Generator      string        `json:"generator,omitempty"` // CMS or generator, e.g. "WordPress 6.4"
	PageBytes      int           `json:"page_bytes,omitempty"`
	LoadTime       time.Duration `json:"load_time,omitempty"`
	// Company is how the site shows the business is incorporated: its name with a legal
	// form ("Muster GmbH") or its register entry ("HRB 123456"), usually from an imprint.
	Company   string    `json:"company,omitempty"`
	CheckedAt time.Time `json:"checked_at,omitempty"`
}

// FirstName guesses the first name of the person behind the lead: the first word of Name
// when Name looks like a person's name, else "". Templates use it with a fallback.
func (l *Lead) FirstName() string { return GuessFirstName(l.Name, l.Email) }

// Contactable reports whether the lead may be enrolled in a sequence at all: it has an
// address and has not replied, bounced, unsubscribed or complained. Suppression is checked
// separately because it lives in the store.
func (l *Lead) Contactable() bool { return l.Email != "" && !l.Status.Final() }

// MergeResult says what storing a batch of leads did.
type MergeResult struct {
	Created int  // leads that were new
	Merged  int  // leads merged into one already stored (or earlier in the same batch)
	Skipped int  // leads not stored: their address belongs to a person who asked to be forgotten
	IDs     []ID // the stored lead of each input, in input order; 0 for a skipped one
}

// ReplyAction is everything one incoming message (a reply, bounce, complaint, opt-out or
// auto-reply) does to the lead it was traced to. The store applies it in one transaction, so
// a crash leaves either all of it or none of it; replies decides what it holds.
type ReplyAction struct {
	// Event records the message. It is added when its ID is 0 (refused as a duplicate when
	// an event of the same MessageID exists), else the stored event of that ID is rewritten
	// (a kind corrected by the user). LeadID 0 records a message traced to no lead.
	Event Event
	// Status is set when not empty; KeepFinal leaves a lead whose status is final already
	// as it is (a reply after an opt-out says less than the opt-out).
	Status    Status
	KeepFinal bool
	// Suppress lists addresses put on the do-not-contact list, with Reason.
	Suppress []string
	// Stop ends every live sequence of the lead, with Reason.
	Stop   bool
	Reason string
	// HoldUntil moves the next step of active sequences due before it to it.
	HoldUntil time.Time

	// Stopped and Held are set by the store: the sequences stopped and held.
	Stopped, Held int
}
