package outreach

import (
	"fmt"
	"io"

	"github.com/clientele/clientele/config"
	"github.com/clientele/clientele/lead"
)

// Preview writes the exact message step (1-based; 0 means the lead's next step) of a
// campaign would send to a lead, headers included. Nothing is recorded: the Message-ID is
// a fresh one, and a follow-up of a lead not yet in the sequence threads on nothing.
//
// A step with variants is shown in each of them, one after the other, each introduced by
// a line naming it and marking the lead's own; PreviewVariant shows one.
func (e *Engine) Preview(campaignName string, ref string, step int, out io.Writer) error {
	return e.PreviewVariant(campaignName, ref, step, "", out)
}

// PreviewVariant is Preview of one variant of the step ("A", "B", …); "" shows every
// variant of a step that has them.
func (e *Engine) PreviewVariant(campaignName string, ref string, step int, variant string, out io.Writer) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := e.prepare(); err != nil {
		return err
	}
	c := e.campaigns[campaignName]
	if c == nil {
		return fmt.Errorf("outreach: no campaign %q", campaignName)
	}
	l, err := e.st.FindLead(ref)
	if err != nil {
		return fmt.Errorf("outreach: preview: lead %q: %w", ref, err)
	}
	ens, err := e.st.EnrollmentsOf(l.ID)
	if err != nil {
		return fmt.Errorf("outreach: preview: %w", err)
	}
	en := &lead.Enrollment{LeadID: l.ID, Campaign: campaignName, Email: lead.NormalizeEmail(l.Email)}
	for _, x := range ens {
		if x.Campaign == campaignName {
			en = x
		}
	}
	if en.Email == "" {
		return fmt.Errorf("outreach: preview: lead %d has no email address", l.ID)
	}
	if step <= 0 {
		step = en.Step + 1
	}
	if step > len(c.steps) {
		return fmt.Errorf("outreach: preview: campaign %s has %d steps", campaignName, len(c.steps))
	}
	view := *en
	view.Step = step - 1
	if len(view.MessageIDs) > step-1 {
		view.MessageIDs = view.MessageIDs[:step-1]
	}
	mb := c.mailboxes[0]
	if en.Mailbox != "" && e.mailboxes[en.Mailbox] != nil {
		mb = e.mailboxes[en.Mailbox]
	}
	st := c.steps[step-1]
	if variant != "" {
		if _, err := st.variant(variant); err != nil {
			return fmt.Errorf("outreach: preview: campaign %s step %d: %w", campaignName, step, err)
		}
		return e.previewOne(c, mb, view, l, variant, out)
	}
	if len(st.variants) == 0 {
		return e.previewOne(c, mb, view, l, "", out)
	}
	own := variantOf(c, &view, step-1)
	for j := range st.variants {
		name := config.VariantName(j)
		mark := ""
		if name == own {
			mark = ", this lead's"
		}
		fmt.Fprintf(out, "=== variant %s (weight %d%s) ===\n", name, st.weights[j], mark)
		if err := e.previewOne(c, mb, view, l, name, out); err != nil {
			return err
		}
		fmt.Fprintln(out)
	}
	return nil
}

// previewOne writes the message of view's next step in the given variant ("" for the
// lead's own or a step without variants).
func (e *Engine) previewOne(c *campaign, mb *mailbox, view lead.Enrollment, l *lead.Lead, variant string, out io.Writer) error {
	if variant != "" {
		vs := make([]string, max(len(view.Variants), view.Step+1))
		copy(vs, view.Variants)
		vs[view.Step] = variant
		view.Variants = vs
	}
	msg, err := e.compose(c, mb, &view, l, e.now())
	if err != nil {
		return fmt.Errorf("outreach: preview of lead %d: %w", l.ID, err)
	}
	gm, err := msg.out.Msg()
	if err != nil {
		return err
	}
	if _, err := gm.WriteTo(out); err != nil {
		return fmt.Errorf("outreach: preview: %w", err)
	}
	return nil
}
