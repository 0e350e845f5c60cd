package demo

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/clientele/clientele/config"
	"github.com/clientele/clientele/outreach"
	"github.com/clientele/clientele/store"
	"github.com/clientele/clientele/web"
)

// statusSource feeds the status page from the database and the outreach engine's
// statistics, fresh for every request, on the demo's clock.
type statusSource struct {
	cfg    *config.Config
	db     *store.DB
	engine *outreach.Engine
	now    func() time.Time
}

var _ web.StatusSource = (*statusSource)(nil)

// Status implements web.StatusSource.
func (s *statusSource) Status(ctx context.Context) (web.Status, error) {
	if err := ctx.Err(); err != nil {
		return web.Status{}, err
	}
	now := s.now()
	st := web.Status{Now: now}
	stats, err := s.engine.StatsData()
	if err != nil {
		return st, err
	}
	for _, c := range stats.Campaigns {
		cs := web.CampaignStatus{Name: c.Name, Paused: c.Paused != "", Enrolled: c.Enrolled}
		for _, step := range c.Steps {
			cs.Steps = append(cs.Steps, web.StepFunnel{Step: step.Step, Sent: step.Sent, Replied: step.Replied,
				Bounced: step.Bounced, Unsubscribed: step.Unsubscribed, Unknown: step.Unknown})
		}
		st.Campaigns = append(st.Campaigns, cs)
		if c.Paused != "" {
			st.Paused = append(st.Paused, fmt.Sprintf("campaign %s: %s", c.Name, c.Paused))
		}
	}
	next, due, err := s.db.NextDue()
	if err != nil {
		return st, fmt.Errorf("demo: status: next due step: %w", err)
	}
	dayStart := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	for _, mb := range s.cfg.Mailboxes {
		n, err := s.db.SendsBetween(mb.Name, dayStart, dayStart.AddDate(0, 0, 1))
		if err != nil {
			return st, fmt.Errorf("demo: status: sends of %s: %w", mb.Name, err)
		}
		ms := web.MailboxStatus{Name: mb.Name, SentToday: n, Limit: mb.DailyLimit, Paused: stats.PausedMailboxes[mb.Name]}
		if due {
			ms.NextSend = next
		}
		st.Mailboxes = append(st.Mailboxes, ms)
	}
	for _, name := range sortedNames(stats.PausedMailboxes) {
		st.Paused = append(st.Paused, fmt.Sprintf("mailbox %s: %s", name, stats.PausedMailboxes[name]))
	}
	events, err := s.db.RecentEvents(20)
	if err != nil {
		return st, fmt.Errorf("demo: status: recent events: %w", err)
	}
	for _, ev := range events {
		who := ev.From
		if l, err := s.db.Lead(ev.LeadID); err == nil {
			who = l.Name
		}
		st.Replies = append(st.Replies, web.ReplyLine{Time: ev.Time, Kind: string(ev.Kind), Lead: who, Subject: ev.Subject})
	}
	return st, nil
}

func sortedNames(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
