package replies

import (
	"fmt"
	"slices"
	"strings"

	"github.com/clientele/clientele/lead"
)

// Tracing ties an incoming message to the lead it concerns. A person's answer is traced by
// the Message-ID of ours it answers, else by its sender. A machine report (bounce,
// complaint, delivery notice) can be written by anyone and can name anyone, so it is traced
// only as the SPEC allows: by a message of ours it refers to, when the recipient it names
// (if it names one) is the one that message went to; else by a failed recipient we really
// wrote to from the mailbox the report arrived in. A report traced to no lead is recorded
// and does nothing.

// match is the lead a message concerns and the address of it that was written to.
type match struct {
	lead     *lead.Lead
	address  string
	campaign string
}

// trace finds the lead a classified message concerns. It returns nil and the reason when
// the message cannot be traced to one.
func (h *Handler) trace(r Result, mailbox string) (*match, string, error) {
	if isReport(r.Kind) {
		return h.traceReport(r, mailbox)
	}
	ours, err := h.ourMessages(r.Refs)
	if err != nil || len(ours) > 0 {
		if err != nil {
			return nil, "", err
		}
		return ours[0], "", nil
	}
	a := lead.NormalizeEmail(r.From)
	if a == "" || isDaemon(a, "") {
		return nil, "no message of ours and no sender", nil
	}
	l, err := h.leadByEmail(a)
	if err != nil || l == nil || l.Status == lead.StatusNew {
		// Never written to: whatever this person sent, it is not about our mail.
		return nil, "the sender is no lead we wrote to", err
	}
	return &match{lead: l, address: a}, "", nil
}

// isReport reports whether a kind is a machine's report about a message, which anyone can
// forge naming anyone.
func isReport(k lead.Kind) bool {
	return k == lead.KindBounce || k == lead.KindComplaint || k == lead.KindDelivered
}

// traceReport traces a bounce, complaint or delivery notice.
func (h *Handler) traceReport(r Result, mailbox string) (*match, string, error) {
	named := r.Recipients // the failed recipients a bounce names
	if r.Kind == lead.KindComplaint {
		named = r.Complainants
	}
	all := named
	// A report that hides the recipient (RFC 6590 redaction) names no one.
	named = slices.DeleteFunc(slices.Clone(named), redacted)
	ours, err := h.ourMessages(r.Refs)
	if err != nil {
		return nil, "", err
	}
	if len(ours) > 0 {
		if len(named) == 0 {
			return ours[0], "", nil
		}
		for _, m := range ours {
			for _, a := range named {
				if sameRecipient(a, m.address) {
					return m, "", nil
				}
				if a = lead.NormalizeEmail(a); slices.Contains(m.lead.Emails, a) || m.lead.Email == a {
					// Another address of the same lead: that one failed.
					return &match{lead: m.lead, address: a, campaign: m.campaign}, "", nil
				}
			}
		}
		return nil, fmt.Sprintf("refers to our message to %s (lead %d) but names %s", ours[0].address, ours[0].lead.ID, strings.Join(named, ", ")), nil
	}
	cands := all // each must be an address we wrote to, so none is left out here
	if r.Kind != lead.KindBounce {
		cands = append(slices.Clip(cands), r.OriginalTo...)
	}
	for _, a := range cands {
		a = lead.NormalizeEmail(a)
		if a == "" || isDaemon(a, "") {
			continue
		}
		l, err := h.leadByEmail(a)
		if err != nil {
			return nil, "", err
		}
		if l == nil {
			continue
		}
		s, err := h.wroteFrom(l.ID, a, mailbox)
		if err != nil {
			return nil, "", err
		}
		if s != nil {
			return &match{lead: l, address: a, campaign: s.Campaign}, "", nil
		}
	}
	if len(cands) == 0 {
		return nil, "refers to no message of ours and names no recipient", nil
	}
	return nil, fmt.Sprintf("refers to no message of ours, and we wrote to none of %s from mailbox %s", strings.Join(cands, ", "), mailbox), nil
}

// ourMessages returns, for each Message-ID that is one of ours, the lead it went to and
// the address, in the order given.
func (h *Handler) ourMessages(refs []string) ([]*match, error) {
	var out []*match
	for _, id := range refs {
		s, err := h.Store.Sent(id)
		if err != nil {
			if isNotFound(err) {
				continue
			}
			return nil, fmt.Errorf("replies: look up sent message %s: %w", id, err)
		}
		l, err := h.Store.Lead(s.LeadID)
		if err != nil {
			if isNotFound(err) {
				continue
			}
			return nil, fmt.Errorf("replies: look up lead %d: %w", s.LeadID, err)
		}
		out = append(out, &match{lead: l, address: lead.NormalizeEmail(s.To), campaign: s.Campaign})
	}
	return out, nil
}

// leadByEmail returns the lead of an address, nil when there is none.
func (h *Handler) leadByEmail(a string) (*lead.Lead, error) {
	l, err := h.Store.LeadByEmail(a)
	if err != nil {
		if isNotFound(err) {
			return nil, nil
		}
		return nil, fmt.Errorf("replies: look up lead by %s: %w", a, err)
	}
	return l, nil
}

// wroteFrom returns a message of ours to address, of the lead, sent (or maybe sent) from
// mailbox; nil when there is none.
func (h *Handler) wroteFrom(id lead.ID, address, mailbox string) (*lead.SentMessage, error) {
	ms, err := h.Store.SentOf(id)
	if err != nil {
		return nil, fmt.Errorf("replies: messages of lead %d: %w", id, err)
	}
	for _, m := range slices.Backward(ms) {
		if m.Mailbox == mailbox && m.State != lead.SendFailed && lead.NormalizeEmail(m.To) == address {
			return m, nil
		}
	}
	return nil, nil
}

// sameRecipient reports whether the failed recipient a report names is the address we
// wrote to, as mail relays rewrite it: the same address, a source route
// ("user%domain@relay"), or the same local part at a subdomain of its domain or the other
// way round. A different person at the same company is never the same recipient.
func sameRecipient(named, wrote string) bool {
	named, wrote = lead.NormalizeEmail(named), lead.NormalizeEmail(wrote)
	if named == "" || wrote == "" {
		return false
	}
	if named == wrote {
		return true
	}
	nl, nd, _ := strings.Cut(named, "@")
	wl, wd, _ := strings.Cut(wrote, "@")
	if l, d, ok := strings.Cut(nl, "%"); ok {
		return l+"@"+d == wrote
	}
	return nl == wl && (strings.HasSuffix(nd, "."+wd) || strings.HasSuffix(wd, "."+nd))
}

// redacted reports whether a recipient named by a report was hidden by its writer (RFC
// 6590): a local part that is a hash (16 or more hexadecimal digits), masked ("xxxx",
// "****") or says so ("redacted").
func redacted(a string) bool {
	local, _, _ := strings.Cut(lead.NormalizeEmail(a), "@")
	if local == "" || strings.Contains(local, "redacted") {
		return true
	}
	if strings.Trim(local, "x*#") == "" {
		return true
	}
	if len(local) < 16 {
		return false
	}
	for _, c := range local {
		if !strings.ContainsRune("0123456789abcdef", c) {
			return false
		}
	}
	return true
}
