package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"

	"github.com/clientele/clientele/config"
	"github.com/clientele/clientele/lead"
	"github.com/clientele/clientele/outreach"
	"github.com/clientele/clientele/replies"
	"github.com/clientele/clientele/store"
	"github.com/clientele/clientele/web"
)

// Dashboard serves the dashboard's pages from the services of the config in force, and
// carries out its actions with the same Services methods the commands use.
type Dashboard struct {
	// Services returns the services of the config in force.
	Services func() *Services
	// StartCrawl starts a crawl of source ("" for all) in the background; nil: crawling
	// from the dashboard is not offered.
	StartCrawl func(source string) error
}

var _ web.Dashboard = (*Dashboard)(nil)

// notFound maps the store's sentinel onto the web's, so a missing lead is a 404.
func notFound(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("%w: %v", web.ErrNotFound, err)
	}
	if errors.Is(err, store.ErrInvalid) || errors.Is(err, ErrUnknownName) || errors.Is(err, ErrPausedInConfig) {
		return fmt.Errorf("%w: %v", web.ErrBadAction, err)
	}
	return err
}

func (d *Dashboard) campaignNames() []string {
	var out []string
	for _, c := range d.Services().Config.Campaigns {
		out = append(out, c.Name)
	}
	return out
}

// Leads answers a page of the leads list from the store's indexes.
func (d *Dashboard) Leads(_ context.Context, q web.LeadQuery) (web.LeadPage, error) {
	ls, next, err := d.Services().DB.SearchLeads(store.LeadQuery{Q: q.Q, Status: q.Status, Outcome: q.Outcome,
		Category: q.Category, City: q.City, Campaign: q.Campaign, Before: q.Before, Limit: q.Limit})
	if err != nil {
		return web.LeadPage{}, notFound(err)
	}
	return web.LeadPage{Leads: ls, Next: next, Campaigns: d.campaignNames()}, nil
}

// Lead gathers one lead with its sequences, messages and events, in time order.
func (d *Dashboard) Lead(_ context.Context, id lead.ID) (web.LeadDetail, error) {
	db := d.Services().DB
	var out web.LeadDetail
	err := db.View(func(t *store.Tx) error {
		l, err := t.Lead(id)
		if err != nil {
			return err
		}
		out.Lead = *l
		ens, err := t.EnrollmentsOf(id)
		if err != nil {
			return err
		}
		for _, e := range ens {
			out.Enrollments = append(out.Enrollments, *e)
		}
		sent, err := t.SentOf(id)
		if err != nil {
			return err
		}
		for _, m := range sent {
			at := m.SentAt
			if at.IsZero() {
				at = m.StartedAt
			}
			out.Timeline = append(out.Timeline, web.TimelineItem{Time: at, Sent: m, Text: t.SentText(m.MessageID)})
		}
		events, err := t.EventsOf(id)
		if err != nil {
			return err
		}
		for i := range events {
			it := web.TimelineItem{Time: events[i].Time, Event: &events[i]}
			if text := t.EventText(events[i].ID); text != "" {
				it.Own, it.Quoted = replies.SplitQuoted(text)
			}
			out.Timeline = append(out.Timeline, it)
		}
		if l.Email != "" {
			out.Suppressed, err = t.IsSuppressed(l.Email)
		}
		return err
	})
	if err != nil {
		return out, notFound(err)
	}
	sort.SliceStable(out.Timeline, func(i, j int) bool { return out.Timeline[i].Time.Before(out.Timeline[j].Time) })
	out.Campaigns = d.campaignNames()
	return out, nil
}

// Inbox lists received messages, newest first.
func (d *Dashboard) Inbox(_ context.Context, q web.InboxQuery) (web.InboxPage, error) {
	db := d.Services().DB
	var events []lead.Event
	var next uint64
	var err error
	if q.Kind != "" {
		events, next, err = db.EventsOfKind(lead.Kind(q.Kind), q.Before, q.Limit)
	} else {
		events, next, err = db.EventsBefore(q.Before, q.Limit, func(e *lead.Event) bool { return e.Kind != store.KindAction })
	}
	if err != nil {
		return web.InboxPage{}, err
	}
	page := web.InboxPage{Next: next}
	names := map[lead.ID]string{}
	for _, e := range events {
		name, ok := names[e.LeadID]
		if !ok && e.LeadID != 0 {
			if l, err := db.Lead(e.LeadID); err == nil {
				name = l.Name
			}
			names[e.LeadID] = name
		}
		page.Items = append(page.Items, web.InboxItem{Event: e, LeadName: name})
	}
	return page, nil
}

// Campaign shows a campaign's steps and their variants with their counts and, when asked,
// a preview of one step of one variant. The steps' counts are the store's counters; the
// variants' come from the statistics, read at most once a minute (they read every
// enrolment).
func (d *Dashboard) Campaign(_ context.Context, name string, pq web.PreviewQuery) (web.CampaignView, error) {
	previewLead, previewStep := pq.Lead, pq.Step
	svc := d.Services()
	i := slices.IndexFunc(svc.Config.Campaigns, func(c config.Campaign) bool { return c.Name == name })
	if i < 0 {
		return web.CampaignView{}, fmt.Errorf("%w: no campaign %q in the config", web.ErrNotFound, name)
	}
	cc := svc.Config.Campaigns[i]
	v := web.CampaignView{Name: name, Mailboxes: cc.Mailboxes, PreviewLead: previewLead, PreviewStep: previewStep, PreviewVariant: pq.Variant}
	for n, st := range cc.Steps {
		cs := web.CampaignStep{Step: n + 1, Subject: st.Subject, Variants: []string{st.Template}}
		if len(st.Variants) > 0 {
			cs.Variants = nil
			for j, vr := range st.Variants {
				vn := config.VariantName(j)
				cs.Variants = append(cs.Variants, vn+": "+vr.Template)
				if !slices.Contains(v.VariantNames, vn) {
					v.VariantNames = append(v.VariantNames, vn)
				}
			}
			if cs.Subject == "" && n == 0 {
				cs.Subject = "(per variant)"
			}
		}
		if n > 0 {
			cs.After = st.After.String()
		}
		if cs.Subject == "" && n > 0 {
			cs.Subject = "(reply in the thread)"
		}
		v.Steps = append(v.Steps, cs)
	}
	paused, _, err := svc.Engine.Pauses()
	if err != nil {
		return v, err
	}
	v.Paused = paused[name]
	funnels, err := svc.DB.Funnels([]string{name})
	if err != nil {
		return v, err
	}
	v.Enrolled = funnels[0].Enrolled()
	for n, fs := range funnels[0].Steps {
		if n < len(v.Steps) {
			cs := &v.Steps[n]
			cs.Sent, cs.Replied, cs.Bounced, cs.Unsubbed = fs.Sent, fs.Replied, fs.Bounced, fs.Unsubscribed
		}
	}
	for n := range v.Steps {
		cs := &v.Steps[n]
		cs.ReplyLow, cs.ReplyHigh = outreach.ReplyInterval(cs.Replied, cs.Sent)
	}
	if err := addVariantCounts(svc, cc, &v); err != nil {
		return v, err
	}
	outcomes, err := svc.DB.CountOutcomes()
	if err != nil {
		return v, err
	}
	for _, o := range outcomes {
		if o.Campaign != name || o.Step < 1 || o.Step > len(v.Steps) {
			continue
		}
		cs := &v.Steps[o.Step-1]
		switch o.Outcome {
		case lead.OutcomeInterested:
			cs.Interested += o.Leads
		case lead.OutcomeNotInterested:
			cs.NotInterested += o.Leads
		case lead.OutcomeMeeting:
			cs.Meeting += o.Leads
		case lead.OutcomeWon:
			cs.Won += o.Leads
		case lead.OutcomeLost:
			cs.Lost += o.Leads
		}
	}
	if previewLead != "" {
		var buf bytes.Buffer
		if err := svc.Engine.PreviewVariant(name, previewLead, previewStep, pq.Variant, &buf); err != nil {
			v.PreviewErr = err.Error()
		} else {
			v.Preview = buf.String()
		}
	}
	return v, nil
}

// addVariantCounts adds to the campaign's steps their enrolled counts and their variants'
// counts, from the statistics read at most once a minute.
func addVariantCounts(svc *Services, cc config.Campaign, v *web.CampaignView) error {
	stats, at, err := svc.cachedStats()
	if err != nil {
		return err
	}
	i := slices.IndexFunc(stats.Campaigns, func(c outreach.CampaignStats) bool { return c.Name == v.Name })
	if i < 0 {
		return nil
	}
	v.VariantsAt = at
	for _, ss := range stats.Campaigns[i].Steps {
		if ss.Step < 1 || ss.Step > len(v.Steps) {
			continue
		}
		cs := &v.Steps[ss.Step-1]
		cs.Enrolled = ss.Enrolled
		st := cc.Steps[ss.Step-1]
		for _, vs := range ss.Variants {
			subject := st.Subject
			for j, vr := range st.Variants {
				if config.VariantName(j) == vs.Variant && vr.Subject != "" {
					subject = vr.Subject
				}
			}
			cs.Counts = append(cs.Counts, web.VariantCounts{Variant: vs.Variant, Subject: subject, Weight: vs.Weight, Enrolled: vs.Enrolled,
				Sent: vs.Sent, Replied: vs.Replied, Bounced: vs.Bounced, Unsubbed: vs.Unsubscribed,
				Interested: vs.Interested, Meeting: vs.Meeting, Won: vs.Won,
				ReplyRate: vs.ReplyRate, ReplyLow: vs.ReplyLow, ReplyHigh: vs.ReplyHigh})
		}
	}
	return nil
}

// Suppressions lists the do-not-contact list.
func (d *Dashboard) Suppressions(context.Context) ([]lead.Suppression, error) {
	return d.Services().DB.Suppressions()
}

// Act carries out one dashboard action through the Services method of its command.
func (d *Dashboard) Act(ctx context.Context, a web.Action) (string, error) {
	svc := d.Services()
	msg, err := d.act(ctx, svc, a)
	return msg, notFound(err)
}

func (d *Dashboard) act(ctx context.Context, svc *Services, a web.Action) (string, error) {
	switch a.Do {
	case "outcome":
		o, ok := lead.ParseOutcome(a.Value)
		if !ok {
			return "", fmt.Errorf("%w: %q is not an outcome", web.ErrBadAction, a.Value)
		}
		_, n, err := svc.MarkOutcome(fmt.Sprint(a.Lead), o)
		if err != nil {
			return "", err
		}
		msg := "Outcome set to " + a.Value + "."
		if n > 0 {
			msg += fmt.Sprintf(" %d sequence(s) stopped.", n)
		}
		return msg, nil
	case "stop":
		n, err := svc.StopLead(a.Lead)
		return fmt.Sprintf("%d sequence(s) stopped.", n), err
	case "suppress":
		email, err := svc.SuppressLead(a.Lead)
		return email + " is on the do-not-contact list.", err
	case "forget":
		l, err := svc.DB.Lead(a.Lead)
		if err != nil {
			return "", err
		}
		if l.Email == "" {
			return "", fmt.Errorf("%w: lead %d has no address to forget by", web.ErrBadAction, a.Lead)
		}
		if err := svc.DB.ForgetLead(l.Email); err != nil {
			return "", err
		}
		return "Erased everything about " + l.Email + "; only a do-not-contact entry remains.", nil
	case "correct":
		ev, err := svc.DB.Event(a.Event)
		if err != nil {
			return "", err
		}
		if ev.LeadID != a.Lead {
			return "", fmt.Errorf("%w: message %d is not about lead %d", web.ErrNotFound, a.Event, a.Lead)
		}
		msg, err := svc.CorrectKind(ctx, a.Event, lead.Kind(a.Value))
		if errors.Is(err, replies.ErrNotAKind) {
			err = fmt.Errorf("%w: %v", web.ErrBadAction, err)
		}
		return msg, err
	case "pause", "resume":
		var err error
		switch {
		case a.Kind == "campaign" && a.Do == "pause":
			err = svc.PauseCampaign(a.Name)
		case a.Kind == "campaign":
			err = svc.ResumeCampaign(a.Name)
		case a.Do == "pause":
			err = svc.PauseMailbox(a.Name)
		default:
			err = svc.ResumeMailbox(a.Name)
		}
		return fmt.Sprintf("%s %s %sd.", map[string]string{"campaign": "Campaign", "mailbox": "Mailbox"}[a.Kind], a.Name, a.Do), err
	case "suppress_add", "suppress_remove":
		v := lead.NormalizeSuppression(a.Value)
		if v == "" {
			return "", fmt.Errorf("%w: %q is neither an email address nor an @domain", web.ErrBadAction, a.Value)
		}
		if a.Do == "suppress_add" {
			return v + " is on the do-not-contact list.", svc.DB.Suppress(v, "manual")
		}
		ok, err := svc.DB.Unsuppress(v)
		if !ok {
			return v + " was not on the list.", err
		}
		return v + " is off the do-not-contact list.", err
	case "crawl":
		if d.StartCrawl == nil {
			return "", fmt.Errorf("%w: crawls start from the daemon only", web.ErrBadAction)
		}
		if a.Name != "" && !slices.ContainsFunc(svc.Config.Crawl.Sources, func(s config.Source) bool { return s.Name == a.Name }) {
			return "", fmt.Errorf("%w: no crawl source %q", web.ErrBadAction, a.Name)
		}
		if err := d.StartCrawl(a.Name); err != nil {
			return "", err
		}
		return "Crawl started; its progress shows under Jobs and in the log.", nil
	}
	return "", fmt.Errorf("%w: unknown action %q", web.ErrBadAction, a.Do)
}
