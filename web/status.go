package web

import (
	"context"
	"time"
)

// StatusSource gathers what the status page shows, fresh for each request.
type StatusSource interface {
	Status(ctx context.Context) (Status, error)
}

// Status is the content of the status page.
type Status struct {
	Now       time.Time
	Campaigns []CampaignStatus
	Mailboxes []MailboxStatus
	Replies   []ReplyLine // recent, newest first
	Paused    []string    // what is paused and why, in words
	Errors    []ErrorLine // recent, newest first
	Jobs      []JobLine
	Sources   []string // crawl sources, for the crawl button
	// Doctor is the last check of the mailboxes and DNS the daemon ran; nil: none yet.
	Doctor *DoctorStatus
	// Compliance is what the compliance rules hold back and let go; nil: not read.
	Compliance *ComplianceStatus
}

// DoctorStatus is the last run of the doctor's checks.
type DoctorStatus struct {
	At              time.Time
	OK, Warn, Fails int
	// Findings are the checks that were not ok, in the order they ran.
	Findings []DoctorFinding
}

// DoctorFinding is one check that warned or failed, with what to do about it.
type DoctorFinding struct {
	Level, Mailbox, Check, Detail, Fix string
}

// ComplianceStatus is what the compliance rules do to the leads.
type ComplianceStatus struct {
	// Err says why the counts could not be taken; the rest is then empty.
	Err string
	// At is when it was read (it is read again in the background after a few minutes);
	// zero while the first read runs.
	At time.Time
	// Held lists the campaigns with leads held back, and why.
	Held []HeldLine
	// ForgetAfter is compliance.forget_after in words, "" when leads are kept.
	ForgetAfter string
	// Due leads are forgotten at the next run; NextDue more become due from Next.
	Due, NextDue int
	Next         time.Time
	// DueReasons say why the due leads go, as "reason: count".
	DueReasons []string
}

// HeldLine is one campaign's leads held back, by reason.
type HeldLine struct {
	Campaign string
	Total    int
	Reasons  []string // "reason: count"
}

// CampaignStatus is one campaign's funnel.
type CampaignStatus struct {
	Name     string
	Paused   bool
	Enrolled int
	Steps    []StepFunnel
}

// StepFunnel counts one step of a campaign.
type StepFunnel struct {
	Step                                          int
	Sent, Replied, Bounced, Unsubscribed, Unknown int
}

// MailboxStatus is one mailbox's day.
type MailboxStatus struct {
	Name      string
	SentToday int
	Limit     int
	NextSend  time.Time // zero: nothing planned
	Paused    string    // why it is paused, "" when it is not
}

// ReplyLine is one classified incoming message.
type ReplyLine struct {
	Time    time.Time
	Kind    string
	LeadID  uint64 // 0 when the message matched no lead
	Lead    string
	Subject string
}

// ErrorLine is one recent failure, as logged.
type ErrorLine struct {
	Time      time.Time
	Component string
	Message   string
}

// JobLine is one scheduled job's last and next run.
type JobLine struct {
	Name    string
	LastRun time.Time
	Result  string
	NextRun time.Time
}
