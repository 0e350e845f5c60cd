package app

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/clientele/clientele/config"
	"github.com/clientele/clientele/lead"
	"github.com/clientele/clientele/outreach"
	"github.com/clientele/clientele/store"
	"github.com/clientele/clientele/web"
)

// statusSource assembles the status page from the database, the engine's statistics, the
// scheduler and the recent errors.
type statusSource struct{ d *Daemon }

func (s *statusSource) Status(ctx context.Context) (web.Status, error) {
	d := s.d
	svc := d.Services()
	st, err := BuildStatus(svc.Config, svc.DB, svc.Engine, d.opts.Now())
	if err != nil {
		return st, err
	}
	for _, j := range d.sched.Jobs() {
		result := j.Result
		if j.Running {
			result = "running"
		}
		st.Jobs = append(st.Jobs, web.JobLine{Name: j.Name, LastRun: j.LastRun, Result: result, NextRun: j.NextRun})
	}
	if d.opts.Errors != nil {
		for _, e := range d.opts.Errors.Recent() {
			st.Errors = append(st.Errors, web.ErrorLine{Time: e.Time, Component: e.Component, Message: e.Message})
		}
	}
	return st, nil
}

// BuildStatus gathers the status page's campaign funnels, mailbox days, paused parts and
// recent replies from a config, its database and its engine.
func BuildStatus(cfg *config.Config, db *store.DB, engine *outreach.Engine, now time.Time) (web.Status, error) {
	st := web.Status{Now: now}
	for _, src := range cfg.Crawl.Sources {
		st.Sources = append(st.Sources, src.Name)
	}
	// Counters and small state records only: the overview costs the same whatever the
	// database holds, and does not wait for a send pass.
	pausedCampaigns, pausedMailboxes, err := engine.Pauses()
	if err != nil {
		return st, err
	}
	names := make([]string, 0, len(cfg.Campaigns))
	for _, c := range cfg.Campaigns {
		names = append(names, c.Name)
	}
	funnels, err := db.Funnels(names)
	if err != nil {
		return st, err
	}
	for i, f := range funnels {
		c := cfg.Campaigns[i]
		cs := web.CampaignStatus{Name: f.Campaign, Paused: pausedCampaigns[f.Campaign] != "", Enrolled: f.Enrolled()}
		for n := range max(len(c.Steps), len(f.Steps)) {
			var fs store.FunnelStep
			if n < len(f.Steps) {
				fs = f.Steps[n]
			}
			cs.Steps = append(cs.Steps, web.StepFunnel{Step: n + 1, Sent: fs.Sent, Replied: fs.Replied,
				Bounced: fs.Bounced, Unsubscribed: fs.Unsubscribed, Unknown: fs.Unknown})
		}
		st.Campaigns = append(st.Campaigns, cs)
		if why := pausedCampaigns[f.Campaign]; why != "" {
			st.Paused = append(st.Paused, fmt.Sprintf("campaign %s: %s", f.Campaign, why))
		}
	}
	for _, name := range slices.Sorted(maps.Keys(pausedMailboxes)) {
		st.Paused = append(st.Paused, fmt.Sprintf("mailbox %s: %s", name, pausedMailboxes[name]))
	}
	for _, mb := range cfg.Mailboxes {
		ms, err := mailboxStatus(db, cfg, mb, now)
		if err != nil {
			return st, err
		}
		ms.Paused = pausedMailboxes[mb.Name]
		st.Mailboxes = append(st.Mailboxes, ms)
	}
	events, err := db.RecentEvents(20)
	if err != nil {
		return st, err
	}
	for _, e := range events {
		if e.Kind == lead.KindDelivered || e.Kind == lead.KindOther || e.Kind == store.KindAction {
			continue
		}
		name := e.From
		if l, err := db.Lead(e.LeadID); err == nil {
			name = l.Name
		}
		st.Replies = append(st.Replies, web.ReplyLine{Time: e.Time, Kind: string(e.Kind), LeadID: uint64(e.LeadID), Lead: name, Subject: e.Subject})
	}
	return st, nil
}

// mailboxStatus counts a mailbox's sends today (in the timezone of the first campaign that
// uses it, as the daily limit does) and when it may send next.
func mailboxStatus(db *store.DB, cfg *config.Config, mb config.Mailbox, now time.Time) (web.MailboxStatus, error) {
	loc := time.UTC
	for _, c := range cfg.Campaigns {
		if c.Window != nil && c.Window.Location != nil && slices.Contains(c.Mailboxes, mb.Name) {
			loc = c.Window.Location
			break
		}
	}
	local := now.In(loc)
	midnight := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, loc)
	n, err := db.SendsBetween(mb.Name, midnight, midnight.AddDate(0, 0, 1))
	if err != nil {
		return web.MailboxStatus{}, err
	}
	ms := web.MailboxStatus{Name: mb.Name, SentToday: n, Limit: mb.DailyLimit}
	switch last, ok, err := db.LastSend(mb.Name); {
	case n >= mb.DailyLimit:
		ms.NextSend = midnight.AddDate(0, 0, 1) // the limit is reached: tomorrow
	case err == nil && ok && last.Add(mb.MinInterval.D()).After(now):
		ms.NextSend = last.Add(mb.MinInterval.D())
	}
	return ms, nil
}
