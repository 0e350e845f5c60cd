package outreach

import (
	"fmt"
	"time"

	"github.com/clientele/clientele/lead"
)

// composed is one step rendered for one lead, as it would go out.
type composed struct {
	out     *Outgoing
	step    int    // 1-based
	variant string // the step's variant, "" without variants
}

// compose renders step en.Step+1 of c for l from mb, with the threading of the sequence so
// far. An error means this step must not go to this lead (a missing value, a template
// error); nothing is half-sent.
func (e *Engine) compose(c *campaign, mb *mailbox, en *lead.Enrollment, l *lead.Lead, now time.Time) (*composed, error) {
	idx := en.Step
	if idx >= len(c.steps) {
		return nil, fmt.Errorf("outreach: campaign %s has no step %d", c.cfg.Name, idx+1)
	}
	email := en.Email
	if email == "" {
		email = l.Email
	}
	secret := e.cfg.Compliance.UnsubscribeSecret.Reveal()
	unsub := UnsubscribeURL(e.cfg.HTTP.PublicURL, secret, l.ID, email)
	sender := SenderData{Name: mb.from.Name, Email: mb.from.Address}
	data := NewData(l, email, sender, c.cfg.Name, idx+1, unsub, now)
	data.Variant, data.Variants = variantOf(c, en, idx), earlierVariants(en, idx)
	r, err := c.steps[idx].render(data)
	if err != nil {
		return nil, fmt.Errorf("step %d: %w", idx+1, err)
	}
	f := footer{unsubscribeURL: unsub, postal: e.cfg.Compliance.PostalAddress, emailSource: l.EmailSource}
	o := &Outgoing{
		MessageID:      NewMessageID(mb.from.Address),
		From:           mb.from,
		To:             email,
		Subject:        r.Subject,
		Text:           f.text(r.Text),
		HTML:           f.html(r.HTML),
		UnsubscribeURL: unsub,
		Date:           now,
	}
	if idx > 0 && len(en.MessageIDs) > 0 {
		o.InReplyTo = en.MessageIDs[len(en.MessageIDs)-1]
		o.References = append([]string(nil), en.MessageIDs...)
	}
	if o.Subject == "" { // a reply in the thread of the first step
		first := en.FirstSubject
		if first == "" {
			d1 := NewData(l, email, sender, c.cfg.Name, 1, unsub, now)
			d1.Variant = variantOf(c, en, 0)
			r1, err := c.steps[0].render(d1)
			if err != nil {
				return nil, fmt.Errorf("step 1 subject for step %d: %w", idx+1, err)
			}
			first = r1.Subject
		}
		o.Subject = replySubject(first)
	}
	return &composed{out: o, step: idx + 1, variant: data.Variant}, nil
}
