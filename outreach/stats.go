package outreach

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"sort"
	"text/tabwriter"
	"time"

	"github.com/clientele/clientele/lead"
)

// Stats is what `stats` and the status page show.
type Stats struct {
	Campaigns []CampaignStats `json:"campaigns"`
	// Unknown lists the steps whose delivery nobody knows; they are never resent on their
	// own and wait for a person (or the Sent folder) to settle them.
	Unknown []UnknownStep `json:"unknown"`
	// Mailboxes lists the mailboxes that paused themselves, with the reason.
	PausedMailboxes map[string]string `json:"paused_mailboxes,omitempty"`
}

// CampaignStats counts one campaign, overall and per step.
type CampaignStats struct {
	Name     string      `json:"name"`
	Paused   string      `json:"paused,omitempty"` // why it paused itself, or "paused in config"
	Enrolled int         `json:"enrolled"`
	Active   int         `json:"active"`
	Finished int         `json:"finished"`
	Stopped  int         `json:"stopped"`
	Unknown  int         `json:"unknown"`
	Total    StepStats   `json:"total"`
	Steps    []StepStats `json:"steps"`
}

// StepStats counts one step of a campaign. Replies, bounces and unsubscribes are counted
// against the last step the lead received before them.
type StepStats struct {
	Step         int     `json:"step"`
	Enrolled     int     `json:"enrolled"` // enrolments whose step was sent, is due now or in doubt
	Sent         int     `json:"sent"`
	Replied      int     `json:"replied"`
	Bounced      int     `json:"bounced"`
	Unsubscribed int     `json:"unsubscribed"`
	Unknown      int     `json:"unknown"`
	ReplyRate    float64 `json:"reply_rate"`
	BounceRate   float64 `json:"bounce_rate"`
	UnsubRate    float64 `json:"unsubscribe_rate"`
	// Outcomes counts the leads whose outcome the user recorded (leads mark), against the
	// last step each of them got.
	Outcomes Outcomes `json:"outcomes"`
	// Variants count each variant of a step that has them (variantstats.go).
	Variants []VariantStats `json:"variants,omitempty"`

	refused int // bounces refused at RCPT: messages that never counted as sent
}

// Outcomes counts leads by the outcome recorded for them.
type Outcomes struct {
	Interested    int `json:"interested"`
	NotInterested int `json:"not_interested"`
	Meeting       int `json:"meeting"`
	Won           int `json:"won"`
	Lost          int `json:"lost"`
}

// add counts one lead with outcome o.
func (c *Outcomes) add(o lead.Outcome, n int) {
	switch o {
	case lead.OutcomeInterested:
		c.Interested += n
	case lead.OutcomeNotInterested:
		c.NotInterested += n
	case lead.OutcomeMeeting:
		c.Meeting += n
	case lead.OutcomeWon:
		c.Won += n
	case lead.OutcomeLost:
		c.Lost += n
	}
}

func (c Outcomes) sum(d Outcomes) Outcomes {
	return Outcomes{c.Interested + d.Interested, c.NotInterested + d.NotInterested, c.Meeting + d.Meeting, c.Won + d.Won, c.Lost + d.Lost}
}

func (c Outcomes) any() bool { return c != Outcomes{} }

// UnknownStep is one step of unknown outcome.
type UnknownStep struct {
	Campaign  string    `json:"campaign"`
	LeadID    lead.ID   `json:"lead_id"`
	Email     string    `json:"email"`
	Step      int       `json:"step"`
	MessageID string    `json:"message_id"`
	Since     time.Time `json:"since"`
}

// StatsData computes the statistics from the store. It reads every enrolment and sent
// record, which is fine for a command or a page, not for a send pass.
func (e *Engine) StatsData() (Stats, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	_ = e.prepare() // stats still work with a broken template
	now := e.now()
	byName := map[string]*CampaignStats{}
	get := func(name string) *CampaignStats {
		cs := byName[name]
		if cs == nil {
			cs = &CampaignStats{Name: name}
			byName[name] = cs
		}
		return cs
	}
	step := func(cs *CampaignStats, n int) *StepStats {
		for len(cs.Steps) < n {
			cs.Steps = append(cs.Steps, StepStats{Step: len(cs.Steps) + 1})
		}
		return &cs.Steps[n-1]
	}
	configured := map[string]int{} // steps of each campaign in the config
	for _, c := range e.cfg.Campaigns {
		cs := get(c.Name)
		configured[c.Name] = len(c.Steps)
		step(cs, max(len(c.Steps), 1))
		if c.Paused {
			cs.Paused = "paused in config"
		}
		var st campaignState
		if err := e.loadJSON(cursorCampaign+c.Name, &st); err != nil {
			return Stats{}, err
		}
		if st.Paused {
			cs.Paused = st.Reason
		}
	}
	var out Stats
	err := e.st.ForEachEnrollment(func(en *lead.Enrollment) error {
		cs := get(en.Campaign)
		cs.Enrolled++
		switch en.State {
		case lead.StateActive:
			cs.Active++
		case lead.StateFinished:
			cs.Finished++
		case lead.StateStopped:
			cs.Stopped++
		case lead.StateUnknown:
			cs.Unknown++
		}
		// A step counts an enrolment once it reached it: the steps sent, the next one
		// while it is due now, being retried or in doubt, and one refused at RCPT. A
		// follow-up still waiting for its delay does not count yet.
		reached := en.Step
		switch en.State {
		case lead.StateUnknown:
			reached++
		case lead.StateActive:
			if en.Sending != nil || en.Attempts > 0 || !en.NextAt.After(now) {
				reached++
			}
		}
		countReached := func(n int) {
			for i := 1; i <= n; i++ {
				step(cs, i).Enrolled++
			}
		}
		l, err := e.st.Lead(en.LeadID)
		if err != nil {
			countReached(reached)
			return nil // forgotten since
		}
		if l.Outcome != lead.OutcomeNone && en.Step > 0 {
			step(cs, en.Step).Outcomes.add(l.Outcome, 1)
		}
		if en.State != lead.StateStopped {
			countReached(reached)
			return nil
		}
		if l.Status == lead.StatusBounced {
			// Refused at RCPT: the bounce belongs to the step that was being sent.
			n := en.Step
			if ms, err := e.st.SentOf(l.ID); err == nil {
				for _, m := range ms {
					if m.Campaign == en.Campaign && m.Step == en.Step+1 && m.State == lead.SendFailed {
						n = en.Step + 1
					}
				}
			}
			if n > 0 {
				step(cs, n).Bounced++
				if n > en.Step {
					step(cs, n).refused++
				}
			}
			countReached(max(reached, n))
			return nil
		}
		countReached(reached)
		if en.Step == 0 {
			return nil
		}
		s := step(cs, en.Step)
		switch l.Status {
		case lead.StatusReplied:
			s.Replied++
		case lead.StatusUnsubscribed, lead.StatusComplained:
			s.Unsubscribed++
		}
		return nil
	})
	if err != nil {
		return Stats{}, fmt.Errorf("outreach: stats: %w", err)
	}
	err = e.st.ForEachSent(func(m *lead.SentMessage) error {
		if m.Step <= 0 {
			return nil
		}
		cs := get(m.Campaign)
		s := step(cs, m.Step)
		switch m.State {
		case lead.SendSent:
			s.Sent++
		case lead.SendUnknown:
			s.Unknown++
			out.Unknown = append(out.Unknown, UnknownStep{Campaign: m.Campaign, LeadID: m.LeadID, Email: m.To,
				Step: m.Step, MessageID: m.MessageID, Since: m.StartedAt})
		}
		return nil
	})
	if err != nil {
		return Stats{}, fmt.Errorf("outreach: stats: %w", err)
	}
	names := make([]string, 0, len(byName))
	for n := range byName {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		cs := byName[n]
		// Steps removed from the config are listed only while they have messages.
		for k := len(cs.Steps); k > configured[n] && !cs.Steps[k-1].hasMessages(); k-- {
			cs.Steps = cs.Steps[:k-1]
		}
		for i := range cs.Steps {
			s := &cs.Steps[i]
			s.rates()
			t := &cs.Total
			t.Enrolled = cs.Enrolled
			t.Sent += s.Sent
			t.Replied += s.Replied
			t.Bounced += s.Bounced
			t.refused += s.refused
			t.Unsubscribed += s.Unsubscribed
			t.Unknown += s.Unknown
			t.Outcomes = t.Outcomes.sum(s.Outcomes)
		}
		cs.Total.rates()
		out.Campaigns = append(out.Campaigns, *cs)
	}
	if err := e.addVariantStats(&out); err != nil {
		return Stats{}, err
	}
	for name := range e.mailboxes {
		var ms mailboxState
		if err := e.loadJSON(cursorMailbox+name, &ms); err != nil {
			return Stats{}, err
		}
		if ms.Paused {
			if out.PausedMailboxes == nil {
				out.PausedMailboxes = map[string]string{}
			}
			out.PausedMailboxes[name] = ms.Reason
		}
	}
	return out, nil
}

// hasMessages reports whether any message of the step was sent, refused or is in doubt.
func (s *StepStats) hasMessages() bool { return s.Sent > 0 || s.Unknown > 0 || s.Bounced > 0 }

func (s *StepStats) rates() {
	// Bounces reported after delivery are already among Sent; only refusals at RCPT add.
	base := s.Sent + s.refused
	if base == 0 {
		return
	}
	s.ReplyRate = float64(s.Replied) / float64(base)
	s.BounceRate = float64(s.Bounced) / float64(base)
	s.UnsubRate = float64(s.Unsubscribed) / float64(base)
}

// Stats writes the statistics as a table, then the steps of unknown outcome and the
// paused mailboxes.
func (e *Engine) Stats(out io.Writer) error {
	st, err := e.StatsData()
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CAMPAIGN\tSTEP\tENROLLED\tSENT\tREPLIED\tBOUNCED\tUNSUBSCRIBED\tUNKNOWN\tREPLY%\tBOUNCE%\tUNSUB%")
	row := func(c, step string, s StepStats) {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t%.1f\t%.1f\t%.1f\n", c, step, s.Enrolled, s.Sent,
			s.Replied, s.Bounced, s.Unsubscribed, s.Unknown, 100*s.ReplyRate, 100*s.BounceRate, 100*s.UnsubRate)
	}
	for _, c := range st.Campaigns {
		for _, s := range c.Steps {
			row(c.Name, fmt.Sprint(s.Step), s)
			variantRows(tw, c.Name, s)
		}
		row(c.Name, "all", c.Total)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, c := range st.Campaigns {
		if !c.Total.Outcomes.any() {
			continue
		}
		fmt.Fprintf(out, "\noutcomes of %s (against the last step each lead got):\n", c.Name)
		tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "  STEP\tINTERESTED\tMEETING\tWON\tNOT_INTERESTED\tLOST")
		orow := func(step string, o Outcomes) {
			fmt.Fprintf(tw, "  %s\t%d\t%d\t%d\t%d\t%d\n", step, o.Interested, o.Meeting, o.Won, o.NotInterested, o.Lost)
		}
		for _, s := range c.Steps {
			if s.Outcomes.any() {
				orow(fmt.Sprint(s.Step), s.Outcomes)
			}
		}
		orow("all", c.Total.Outcomes)
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	for _, c := range st.Campaigns {
		if c.Paused != "" {
			fmt.Fprintf(out, "\ncampaign %s is paused: %s\n", c.Name, c.Paused)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(st.PausedMailboxes)) {
		fmt.Fprintf(out, "\nmailbox %s is paused: %s\n", name, st.PausedMailboxes[name])
	}
	if len(st.Unknown) > 0 {
		fmt.Fprintf(out, "\n%d step(s) of unknown outcome (not resent; check the Sent folder):\n", len(st.Unknown))
		for _, u := range st.Unknown {
			fmt.Fprintf(out, "  %s step %d to %s (lead %d) %s since %s\n", u.Campaign, u.Step, u.Email, u.LeadID,
				u.MessageID, u.Since.UTC().Format(time.RFC3339))
		}
	}
	return nil
}

// Pauses says why each paused campaign and mailbox is paused, reading only their small
// state records. It does not wait for a send pass, so a page can show it at any time.
func (e *Engine) Pauses() (campaigns, mailboxes map[string]string, err error) {
	campaigns, mailboxes = map[string]string{}, map[string]string{}
	for _, c := range e.cfg.Campaigns {
		if c.Paused {
			campaigns[c.Name] = "paused in config"
		}
		var st campaignState
		if err := e.loadJSON(cursorCampaign+c.Name, &st); err != nil {
			return nil, nil, err
		}
		if st.Paused {
			campaigns[c.Name] = st.Reason
		}
	}
	for _, m := range e.cfg.Mailboxes {
		var st mailboxState
		if err := e.loadJSON(cursorMailbox+m.Name, &st); err != nil {
			return nil, nil, err
		}
		if st.Paused {
			mailboxes[m.Name] = st.Reason
		}
	}
	return campaigns, mailboxes, nil
}
