package outreach

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/clientele/clientele/compliance"
	"github.com/clientele/clientele/lead"
)

// ComplianceRules are the config's compliance.consent_required and corporate_only lists.
func (e *Engine) ComplianceRules() compliance.Rules {
	return compliance.Rules{ConsentRequired: e.cfg.Compliance.ConsentRequired, CorporateOnly: e.cfg.Compliance.CorporateOnly}
}

// held reports whether the law of the lead's country keeps it from being enrolled, and
// why. A lead stored before countries were recorded gets its country read on the fly.
func (e *Engine) held(l *lead.Lead) (reason string, held bool) {
	r := e.ComplianceRules()
	if r.Empty() {
		return "", false
	}
	return r.Hold(l, compliance.CountryOf(l))
}

// HeldCounts are the leads held back, by reason (compliance.HeldConsent, HeldCorporate).
type HeldCounts map[string]int

// Total is how many leads are held back for any reason.
func (h HeldCounts) Total() int {
	n := 0
	for _, v := range h {
		n += v
	}
	return n
}

// String is "3 consent_required, 1 corporate_only", every reason named, the two of the
// config always.
func (h HeldCounts) String() string {
	reasons := []string{compliance.HeldConsent, compliance.HeldCorporate}
	for _, r := range slices.Sorted(maps.Keys(h)) {
		if !slices.Contains(reasons, r) {
			reasons = append(reasons, r)
		}
	}
	parts := make([]string, len(reasons))
	for i, r := range reasons {
		parts[i] = fmt.Sprintf("%d %s", h[r], r)
	}
	return strings.Join(parts, ", ")
}

// HeldBack counts, per campaign of the config, the leads of its audience that enrolment
// would take but the compliance rules keep back: they have an address, no final status,
// are in no sequence of that campaign, and their country wants consent or an incorporated
// business. It reads the leads enrolment reads (stats, dry runs and the dashboard call
// it, never a send pass); with no rules it reads nothing.
func (e *Engine) HeldBack() (map[string]HeldCounts, error) {
	out := make(map[string]HeldCounts, len(e.cfg.Campaigns))
	for _, c := range e.cfg.Campaigns {
		out[c.Name] = HeldCounts{}
	}
	if e.ComplianceRules().Empty() || len(e.cfg.Campaigns) == 0 {
		return out, nil
	}
	statuses := []lead.Status{lead.StatusNew}
	if len(e.cfg.Campaigns) > 1 {
		statuses = append(statuses, lead.StatusContacted)
	}
	for _, s := range statuses {
		err := e.st.LeadsWithStatus(s, func(l *lead.Lead) error {
			if !l.Contactable() {
				return nil
			}
			reason, held := e.held(l)
			if !held {
				return nil
			}
			var ens []*lead.Enrollment
			for i := range e.cfg.Campaigns {
				c := &campaign{cfg: e.cfg.Campaigns[i]}
				if !matches(c, l) {
					continue
				}
				if ens == nil {
					var err error
					if ens, err = e.st.EnrollmentsOf(l.ID); err != nil {
						return fmt.Errorf("outreach: enrolments of lead %d: %w", l.ID, err)
					}
				}
				if !slices.ContainsFunc(ens, func(en *lead.Enrollment) bool { return en.Campaign == c.cfg.Name }) {
					out[c.cfg.Name][reason]++
				}
			}
			return nil
		})
		if err != nil {
			return out, fmt.Errorf("outreach: leads held back: %w", err)
		}
	}
	return out, nil
}
