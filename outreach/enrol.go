package outreach

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/clientele/clientele/lead"
)

// errStop ends a store walk early; it never leaves this package.
var errStop = errors.New("stop")

// sweepEvery is how often the enrolment scan of a campaign starts again from the first
// lead, to pick up leads skipped earlier for a reason that has since gone (another sequence
// ended, a company slot freed, an address was found).
const sweepEvery = 24 * time.Hour

// enrolStatuses are the statuses whose leads may be enrolled: never emailed first, then
// contacted by another campaign whose sequence ended. With a single campaign every
// contacted lead is already in it, so only new leads are read.
func (p *pass) enrolStatuses() []lead.Status {
	if len(p.e.campaigns) > 1 {
		return []lead.Status{lead.StatusNew, lead.StatusContacted}
	}
	return []lead.Status{lead.StatusNew}
}

// enrolAndSend enrols, campaign by campaign, as many leads as the mailboxes can write to
// now, and sends each its first step at once. Enrolment is lazy: a pass after importing
// 100,000 leads reads about as much as one after importing 1,000.
func (p *pass) enrolAndSend() error {
	for _, name := range slices.Sorted(maps.Keys(p.e.campaigns)) {
		c := p.e.campaigns[name]
		for _, s := range p.enrolStatuses() {
			if !p.usable(c) || p.capacity(c) == 0 {
				break
			}
			if err := p.enrolFrom(c, s); err != nil {
				return err
			}
		}
	}
	return nil
}

// enrolFrom continues a campaign's scan of the leads in one status from where the last
// pass stopped.
func (p *pass) enrolFrom(c *campaign, status lead.Status) error {
	name := cursorEnrol + c.cfg.Name + "/" + string(status)
	var cur enrolCursor
	if err := p.e.loadJSON(name, &cur); err != nil {
		return err
	}
	// skipped bounds what a pass spends on leads it cannot enrol (outside the audience,
	// suppressed, in another sequence); the ones it enrols are bounded by the limits.
	skipped, stopped := 0, false
	var inner error
	err := p.e.st.LeadsAfter(status, lead.ID(cur.After), func(l *lead.Lead) error {
		if p.ctx.Err() != nil {
			inner = p.ctx.Err()
			return errStop
		}
		if !p.usable(c) || p.capacity(c) == 0 || skipped >= p.e.maxExamine || p.parked[c.cfg.Name] >= max(p.capacity(c), 1) {
			stopped = true
			return errStop
		}
		cur.After = uint64(l.ID)
		en, err := p.enrol(c, l)
		if err != nil {
			inner = err
			return errStop
		}
		if en == nil {
			skipped++
		} else {
			done, err := p.step(c, en, l) // l was read a moment ago, in this page of the scan
			if err == nil && !done && !p.dryRun {
				err = p.e.st.PutEnrollment(en) // due now: the next pass sends it
			}
			if err != nil {
				inner = err
				return errStop
			}
		}
		return nil
	})
	if err != nil && !errors.Is(err, errStop) {
		return fmt.Errorf("outreach: scan %s leads for %s: %w", status, c.cfg.Name, err)
	}
	if inner != nil {
		return inner
	}
	if !stopped && p.now.Sub(cur.SweptAt) >= sweepEvery {
		cur.After, cur.SweptAt = 0, p.now // start again from the first lead next time
	}
	if !p.dryRun {
		// Saved after the pass has recorded the intents of the enrolments it moves past
		// (saveCursors): a crash before then rescans leads, which enrol skips.
		p.cursors[name] = cur
	}
	return nil
}

// saveCursors stores where each enrolment scan stopped. Send calls it only once every
// intent and outcome of the pass is recorded, so no cursor ever passes a lead whose
// enrolment could still be lost.
func (p *pass) saveCursors() error {
	for _, name := range slices.Sorted(maps.Keys(p.cursors)) {
		cur := p.cursors[name]
		if err := p.e.saveJSON(name, &cur); err != nil {
			return err
		}
	}
	return nil
}

// enrol enrols l in c when the rules allow it, returning nil when they do not: the lead has
// an address and no final status, matches the audience, its country's law allows it
// (compliance), is not suppressed, is in no live sequence and its company has room in this
// campaign.
func (p *pass) enrol(c *campaign, l *lead.Lead) (*lead.Enrollment, error) {
	if !l.Contactable() || !matches(c, l) || p.takenLeads[l.ID] {
		return nil, nil
	}
	if _, held := p.e.held(l); held {
		return nil, nil // kept, never written to: see HeldBack
	}
	email := lead.NormalizeEmail(l.Email)
	if email == "" || p.takenEmails[email] {
		return nil, nil
	}
	if sup, err := p.e.st.IsSuppressed(email); err != nil {
		return nil, fmt.Errorf("outreach: suppression of lead %d: %w", l.ID, err)
	} else if sup {
		return nil, nil
	}
	ens, err := p.e.st.EnrollmentsOf(l.ID)
	if err != nil {
		return nil, fmt.Errorf("outreach: enrolments of lead %d: %w", l.ID, err)
	}
	for _, en := range ens {
		if en.Campaign == c.cfg.Name || en.Live() {
			return nil, nil
		}
	}
	live, err := p.e.st.LiveByEmail(email)
	if err != nil {
		return nil, fmt.Errorf("outreach: sequences of %s: %w", email, err)
	}
	if len(live) > 0 {
		return nil, nil
	}
	domain := companyDomain(email)
	if domain != "" {
		n, err := p.e.st.CountLiveInDomain(c.cfg.Name, domain)
		if err != nil {
			return nil, fmt.Errorf("outreach: sequences at %s: %w", domain, err)
		}
		if n+p.takenDomains[c.cfg.Name+"\x00"+domain] >= c.perDomain {
			return nil, nil
		}
	}
	en := &lead.Enrollment{LeadID: l.ID, Campaign: c.cfg.Name, State: lead.StateActive, NextAt: p.now,
		Email: email, EnrolledAt: p.now}
	// Stored with the intent of its first step, in the same transaction.
	p.takenLeads[l.ID] = true
	p.takenEmails[email] = true
	if domain != "" {
		p.takenDomains[c.cfg.Name+"\x00"+domain]++
	}
	if !p.dryRun {
		p.sum.Enrolled++
	}
	return en, nil
}

// matches reports whether a lead is in a campaign's audience; an empty list matches all.
func matches(c *campaign, l *lead.Lead) bool {
	a := c.cfg.Audience
	return inList(a.Categories, l.Category) && inList(a.Cities, l.City) && inList(a.Sources, l.Source)
}

func inList(list []string, v string) bool {
	if len(list) == 0 {
		return true
	}
	v = strings.TrimSpace(v)
	for _, x := range list {
		if strings.EqualFold(strings.TrimSpace(x), v) {
			return true
		}
	}
	return false
}

// companyDomain is the company an address belongs to for the one-person-per-company rule:
// its registrable domain, or "" for a free-mail provider where every address is a
// different person.
func companyDomain(email string) string {
	d := lead.EmailDomain(email)
	if r := lead.RegistrableDomain(d); r != "" {
		d = r
	}
	if d == "" || lead.IsFreeMail(d) {
		return ""
	}
	return d
}
