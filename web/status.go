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
