package app

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/clientele/clientele/config"
	"github.com/clientele/clientele/doctor"
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
	st, err := BuildOverview(svc, d.opts.Now())
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

// BuildOverview is BuildStatus with the mail setup's last check and what the compliance
// rules hold back and let go. The compliance counts read every lead, so they are read at
// most once in five minutes (Services.CachedCompliance); the check is one stored record.
func BuildOverview(svc *Services, now time.Time) (web.Status, error) {
	st, err := BuildStatus(svc.Config, svc.DB, svc.Engine, now)
	if err != nil {
		return st, err
	}
	doc, ok, err := LastDoctor(svc.DB)
	if err != nil {
		return st, err
	}
	if ok {
		st.Doctor = doctorStatus(doc)
	}
	sum, at, err := svc.CachedCompliance()
	if err != nil {
		// The rest of the overview (and its pause buttons) stays usable.
		st.Compliance = &web.ComplianceStatus{Err: err.Error()}
		return st, nil
	}
	st.Compliance = complianceStatus(svc.Config, sum, at)
	return st, nil
}

// doctorStatus is a doctor result as the overview shows it: the counts, and every check
// that was not ok with its fix.
func doctorStatus(r DoctorResult) *web.DoctorStatus {
	ds := &web.DoctorStatus{At: r.At, OK: r.Report.Count(doctor.OK), Warn: r.Report.Count(doctor.Warn), Fails: r.Report.Count(doctor.Fail)}
	for _, f := range r.Report {
		if f.Level == doctor.OK {
			continue
		}
		ds.Findings = append(ds.Findings, web.DoctorFinding{Level: string(f.Level), Mailbox: f.Mailbox, Check: f.Check, Detail: f.Detail, Fix: f.Fix})
	}
	return ds
}

// complianceStatus is a compliance summary as the overview shows it, campaigns in config
// order and reasons sorted.
func complianceStatus(cfg *config.Config, sum ComplianceSummary, at time.Time) *web.ComplianceStatus {
	cs := &web.ComplianceStatus{At: at}
	for _, c := range cfg.Campaigns {
		h := sum.Held[c.Name]
		if h.Total() == 0 {
			continue
		}
		line := web.HeldLine{Campaign: c.Name, Total: h.Total()}
		for _, why := range slices.Sorted(maps.Keys(h)) {
			if h[why] > 0 {
				line.Reasons = append(line.Reasons, fmt.Sprintf("%s: %d", why, h[why]))
			}
		}
		cs.Held = append(cs.Held, line)
	}
	if sum.ForgetAfter > 0 {
		cs.ForgetAfter = cfg.Compliance.ForgetAfter.String()
		cs.Due, cs.Next, cs.NextDue = sum.Retention.Due, sum.Retention.Next, sum.Retention.NextDue
		for _, why := range slices.Sorted(maps.Keys(sum.Retention.ByReason)) {
			cs.DueReasons = append(cs.DueReasons, fmt.Sprintf("%s: %d", why, sum.Retention.ByReason[why]))
		}
	}
	return cs
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
