package outreach

import (
	"time"

	"github.com/clientele/clientele/config"
	"github.com/clientele/clientele/country"
	"github.com/clientele/clientele/lead"
)

// A campaign whose window is in the recipient's own time (window.timezone: recipient)
// or skips the recipient's own holidays (window.holidays: [recipient]) has a window per
// lead: its days and hours in the lead's zone, its country's holidays. The campaign's
// window (c.window) is then the one of the fallback zone: the window of a lead whose zone
// cannot be told, and the zone the mailboxes count their days (daily_limit) in, so a
// mailbox's limit is one number per day however many zones its leads live in.
//
// The due index stays the only thing a pass walks: a step that comes due while its
// lead's window is closed is moved (NextAt) to the next opening of that window, so no
// pass reads it again before then, and every follow-up is scheduled in the lead's window
// from the zone recorded on its enrolment. A window changed by a reload is applied
// lazily: a step that comes due is checked against the window of the current config.

// perRecipient reports whether the campaign's window depends on the lead.
func (c *campaign) perRecipient() bool {
	return c.window != nil && (c.window.Recipient || c.window.RecipientHolidays)
}

// mayOpen reports whether the campaign may send to anybody now: its window is open, or
// it is open somewhere (each lead's own window is checked when its step is prepared).
func (c *campaign) mayOpen(now time.Time) bool {
	return c.window == nil || c.window.Recipient || c.window.Open(now)
}

// leadWindow returns the window that applies to l, and records on en the zone and country
// it was resolved from (stored with the step), so its follow-ups are scheduled in it.
func (c *campaign) leadWindow(en *lead.Enrollment, l *lead.Lead) *config.Window {
	if !c.perRecipient() {
		return c.window
	}
	code := l.Country
	if code == "" {
		if code, _ = country.Detect(l.Phone, l.Address, l.Website); code == "" {
			code, _ = country.Detect("", "", lead.EmailDomain(en.Email))
		}
	}
	zone := ""
	if c.window.Recipient && code != "" {
		if loc, ok := country.Zone(code, l.Phone, l.Address, l.City); ok {
			zone = loc.String()
			c.rememberZone(loc)
		}
	}
	en.Zone, en.Country = zone, code
	return c.localWindow(zone, code)
}

// nextOpen is the first instant at or after t when en's lead may receive a step: in its
// own window, as recorded on the enrolment, or the campaign's.
func (c *campaign) nextOpen(en *lead.Enrollment, t time.Time) time.Time {
	if c.perRecipient() {
		return c.localWindow(en.Zone, en.Country).Next(t)
	}
	return c.window.Next(t)
}

// localWindow returns (and keeps) the campaign's window in zone for a recipient of country
// code; an empty or unknown zone is the fallback's.
func (c *campaign) localWindow(zone, code string) *config.Window {
	if !c.window.Recipient {
		zone = ""
	}
	if !c.window.RecipientHolidays {
		code = ""
	}
	if zone == "" && code == "" {
		return c.window
	}
	key := zone + " " + code
	if w, ok := c.local[key]; ok {
		return w
	}
	var loc *time.Location
	if zone != "" {
		loc = c.zones[zone]
		if loc == nil {
			l, err := time.LoadLocation(zone)
			if err == nil {
				loc = l
				c.rememberZone(l)
			}
		}
	}
	w := c.window.For(loc, code)
	if c.local == nil {
		c.local = map[string]*config.Window{}
	}
	c.local[key] = w
	return w
}

func (c *campaign) rememberZone(loc *time.Location) {
	if c.zones == nil {
		c.zones = map[string]*time.Location{}
	}
	c.zones[loc.String()] = loc
}

// later leaves a step whose lead's window is closed due at the window's next opening. It
// is recorded with the pass's next batch; the step uses none of the limits. A lead enrolled
// in this pass and parked so counts against the enrolment scan (enrolFrom): a pass parks
// no more new leads than its mailboxes could send now, so enrolment stays about as lazy as
// the sending.
func (p *pass) later(en *lead.Enrollment, at time.Time) {
	p.sum.Waiting++
	if en.Step == 0 && en.EnrolledAt.Equal(p.now) {
		if p.parked == nil {
			p.parked = map[string]int{}
		}
		p.parked[en.Campaign]++
	}
	if p.dryRun {
		return
	}
	en.NextAt = at
	p.pend.ens = append(p.pend.ens, en)
}
