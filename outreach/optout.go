package outreach

import (
	"context"
	"fmt"
	"strconv"

	"github.com/clientele/clientele/lead"
)

// Unsubscribe handles a one-click unsubscribe link: it checks the token against the lead's
// addresses and, when it is ours, suppresses the address, marks the lead unsubscribed and
// stops every sequence of the lead, in one transaction, before returning. A link that was
// not issued by us (forged, altered, unknown lead) gives an error wrapping ErrBadToken and
// changes nothing. Calling it again for the same link is harmless.
func (e *Engine) Unsubscribe(ctx context.Context, leadID, token string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	n, err := strconv.ParseUint(leadID, 10, 64)
	if err != nil || n == 0 {
		return fmt.Errorf("outreach: unsubscribe %q: %w", leadID, ErrBadToken)
	}
	id := lead.ID(n)
	secret := e.cfg.Compliance.UnsubscribeSecret.Reveal()
	l, err := e.st.Lead(id)
	if err != nil {
		// An unknown lead and a bad token look the same from outside: links cannot be
		// used to learn which ids exist.
		e.log.Warn("unsubscribe for an unknown lead", "lead", id, "error", err)
		return fmt.Errorf("outreach: unsubscribe lead %d: %w", id, ErrBadToken)
	}
	candidates := append([]string{l.Email}, l.Emails...)
	if ens, err := e.st.EnrollmentsOf(id); err == nil {
		for _, en := range ens {
			candidates = append(candidates, en.Email)
		}
	}
	email := ""
	for _, c := range candidates {
		if c != "" && VerifyToken(secret, id, c, token) {
			email = lead.NormalizeEmail(c)
			break
		}
	}
	if email == "" {
		return fmt.Errorf("outreach: unsubscribe lead %d: %w", id, ErrBadToken)
	}
	if l.Status == lead.StatusUnsubscribed {
		if ok, err := e.st.IsSuppressed(email); err == nil && ok {
			return nil // a second click: already done, nothing more to record
		}
	}
	ev := &lead.Event{LeadID: id, Time: e.now(), Kind: lead.KindUnsubscribe, From: email,
		Snippet: "one-click unsubscribe link"}
	if err := e.st.OutreachOptOut(id, email, ev); err != nil {
		return fmt.Errorf("outreach: unsubscribe lead %d: %w", id, err)
	}
	e.log.Info("unsubscribed", "lead", id)
	return nil
}
