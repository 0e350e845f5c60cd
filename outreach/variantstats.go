package outreach

import (
	"fmt"
	"math"
	"text/tabwriter"

	"github.com/clientele/clientele/config"
	"github.com/clientele/clientele/lead"
)

// VariantStats counts one variant of a step. Like the step's own counts, replies,
// unsubscribes and outcomes are counted against the last step the lead received before
// them, so a variant is judged by what its leads did after it.
type VariantStats struct {
	Variant      string  `json:"variant"`
	Weight       int     `json:"weight"` // in the current config; 0 when no longer configured
	Enrolled     int     `json:"enrolled"`
	Sent         int     `json:"sent"`
	Replied      int     `json:"replied"`
	Bounced      int     `json:"bounced"`
	Unsubscribed int     `json:"unsubscribed"`
	Interested   int     `json:"interested"`
	Meeting      int     `json:"meeting"`
	Won          int     `json:"won"`
	ReplyRate    float64 `json:"reply_rate"`
	// ReplyLow and ReplyHigh bound the reply rate's 95 % Wilson confidence interval: two
	// variants whose intervals overlap are not yet shown to differ.
	ReplyLow  float64 `json:"reply_rate_low"`
	ReplyHigh float64 `json:"reply_rate_high"`
}

// wilson is the 95 % Wilson score interval of k successes in n trials.
func wilson(k, n int) (low, high float64) {
	if n <= 0 {
		return 0, 0
	}
	const z = 1.959963984540054
	p, fn := float64(k)/float64(n), float64(n)
	den := 1 + z*z/fn
	centre := (p + z*z/(2*fn)) / den
	half := z * math.Sqrt(p*(1-p)/fn+z*z/(4*fn*fn)) / den
	return math.Max(0, centre-half), math.Min(1, centre+half)
}

// ReplyInterval is the 95 % Wilson interval of a reply rate (replied of sent), as the
// statistics give it per variant: the dashboard shows it per step too.
func ReplyInterval(replied, sent int) (low, high float64) { return wilson(replied, sent) }

// variantKey names one variant of one step of one campaign.
type variantKey struct {
	campaign string
	step     int
	variant  string
}

// addVariantStats fills StepStats.Variants of every step that has (or had) variants,
// from the variants recorded on enrolments and message records. Callers hold e.mu.
func (e *Engine) addVariantStats(out *Stats) error {
	counts := map[variantKey]*VariantStats{}
	get := func(k variantKey) *VariantStats {
		vs := counts[k]
		if vs == nil {
			vs = &VariantStats{Variant: k.variant}
			counts[k] = vs
		}
		return vs
	}
	variantAt := recordedVariant
	err := e.st.ForEachEnrollment(func(en *lead.Enrollment) error {
		for i, v := range en.Variants {
			if v != "" {
				get(variantKey{en.Campaign, i + 1, v}).Enrolled++
			}
		}
		if en.Step == 0 && len(en.Variants) == 0 {
			return nil
		}
		last, v := en.Step, variantAt(en, en.Step)
		if v == "" && variantAt(en, en.Step+1) == "" {
			return nil
		}
		l, err := e.st.Lead(en.LeadID)
		if err != nil {
			return nil // forgotten since
		}
		if l.Status == lead.StatusBounced && variantAt(en, en.Step+1) != "" && en.State == lead.StateStopped {
			// Possibly refused at RCPT: the bounce belongs to the step being sent.
			if ms, err := e.st.SentOf(l.ID); err == nil {
				for _, m := range ms {
					if m.Campaign == en.Campaign && m.Step == en.Step+1 && m.State == lead.SendFailed {
						last, v = en.Step+1, variantAt(en, en.Step+1)
					}
				}
			}
		}
		if v == "" || last == 0 {
			return nil
		}
		vs := get(variantKey{en.Campaign, last, v})
		switch l.Status {
		case lead.StatusReplied:
			vs.Replied++
		case lead.StatusBounced:
			vs.Bounced++
		case lead.StatusUnsubscribed, lead.StatusComplained:
			vs.Unsubscribed++
		}
		switch l.Outcome {
		case lead.OutcomeInterested:
			vs.Interested++
		case lead.OutcomeMeeting:
			vs.Meeting++
		case lead.OutcomeWon:
			vs.Won++
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("outreach: variant stats: %w", err)
	}
	err = e.st.ForEachSent(func(m *lead.SentMessage) error {
		if m.Variant != "" && m.State == lead.SendSent {
			get(variantKey{m.Campaign, m.Step, m.Variant}).Sent++
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("outreach: variant stats: %w", err)
	}
	for ci := range out.Campaigns {
		cs := &out.Campaigns[ci]
		for si := range cs.Steps {
			s := &cs.Steps[si]
			names := e.variantNames(cs.Name, s.Step)
			for k := range counts {
				if k.campaign == cs.Name && k.step == s.Step && !contains(names, k.variant) {
					names = append(names, k.variant)
				}
			}
			for _, name := range names {
				vs := counts[variantKey{cs.Name, s.Step, name}]
				if vs == nil {
					vs = &VariantStats{Variant: name}
				}
				vs.Weight = e.variantWeight(cs.Name, s.Step, name)
				if base := vs.Sent; base > 0 {
					vs.ReplyRate = float64(vs.Replied) / float64(base)
					vs.ReplyLow, vs.ReplyHigh = wilson(vs.Replied, base)
				}
				s.Variants = append(s.Variants, *vs)
			}
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// variantNames are the variants step (1-based) of a campaign has in the current config.
func (e *Engine) variantNames(campaign string, step int) []string {
	c := e.campaigns[campaign]
	if c == nil || step > len(c.steps) {
		return nil
	}
	var names []string
	for j := range c.steps[step-1].variants {
		names = append(names, config.VariantName(j))
	}
	return names
}

func (e *Engine) variantWeight(campaign string, step int, name string) int {
	c := e.campaigns[campaign]
	if c == nil || step > len(c.steps) {
		return 0
	}
	st := c.steps[step-1]
	for j := range st.variants {
		if config.VariantName(j) == name {
			return st.weights[j]
		}
	}
	return 0
}

// variantRows writes a row per variant of a step under the step's own row of `stats`,
// with the reply rate's 95 % interval.
func variantRows(tw *tabwriter.Writer, campaign string, s StepStats) {
	for _, v := range s.Variants {
		fmt.Fprintf(tw, "%s\t%d/%s\t%d\t%d\t%d\t%d\t%d\t\t%.1f (%.1f–%.1f)\t\t\n", campaign, s.Step, v.Variant, v.Enrolled, v.Sent,
			v.Replied, v.Bounced, v.Unsubscribed, 100*v.ReplyRate, 100*v.ReplyLow, 100*v.ReplyHigh)
	}
}
