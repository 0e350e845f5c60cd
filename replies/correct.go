package replies

import (
	"context"
	"errors"
	"fmt"

	"github.com/clientele/clientele/lead"
)

// ErrNotAKind is returned (wrapped) by Correct for a kind that is not one of the SPEC's.
var ErrNotAKind = errors.New("replies: not a kind of message")

// CorrectionStore is what correcting a message's kind needs besides Store.
type CorrectionStore interface {
	Store
	Event(id uint64) (*lead.Event, error)
	SetEventKind(id uint64, k lead.Kind) error
	// ReopenAfterReply undoes what a mistaken reply did, unless something else stops the lead.
	ReopenAfterReply(id lead.ID) (int, error)
	RecordAction(id lead.ID, text string) error
}

// Correct re-reads a received message as kind k, because the user says the classifier got
// it wrong, and acts as if it had arrived as k: a reply, bounce, complaint or unsubscribe
// stops the lead's sequences (the last three also suppress its address), with the same
// code Handle uses. A reply corrected to an auto-reply, delivery notice or other lets the
// sequences go on, unless something else (another reply, a bounce, an opt-out, an outcome)
// stopped them. A suppression is never lifted here: that stays the user's explicit call.
// It returns what it did, in words, and records that in the lead's timeline.
func (h *Handler) Correct(ctx context.Context, st CorrectionStore, eventID uint64, k lead.Kind) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	if !messageKind(k) {
		return "", fmt.Errorf("%w: %q", ErrNotAKind, k)
	}
	ev, err := st.Event(eventID)
	if err != nil {
		return "", err
	}
	if ev.LeadID == 0 {
		return "", fmt.Errorf("replies: message %d concerns no lead", eventID)
	}
	if !messageKind(ev.Kind) {
		return "", fmt.Errorf("replies: event %d records no message received (%s)", eventID, ev.Kind)
	}
	if ev.Kind == k {
		return fmt.Sprintf("the message was already read as %s", k), nil
	}
	l, err := st.Lead(ev.LeadID)
	if err != nil {
		return "", err
	}
	was := ev.Kind
	h2 := *h
	h2.Store = st
	id := l.ID
	did := ""
	switch k {
	case lead.KindReply, lead.KindUnsubscribe, lead.KindComplaint, lead.KindBounce:
		// The stored event is rewritten with its new kind and the kind's actions applied,
		// in one transaction, by the code that acts on a message as it arrives.
		corrected := *ev
		corrected.Kind = k
		if k == lead.KindBounce {
			corrected.Hard = true // the user says the address does not take mail
		}
		_, err = h2.Apply(ctx, Traced{Event: corrected, Address: l.Email})
		did = "its sequences are stopped"
		if k != lead.KindReply {
			did += " and its address suppressed"
		}
	default:
		if err = st.SetEventKind(eventID, k); err != nil {
			return "", err
		}
		if was == lead.KindReply {
			var n int
			n, err = st.ReopenAfterReply(id)
			if n > 0 {
				did = fmt.Sprintf("%d sequence(s) go on", n)
			} else {
				did = "nothing reopened: something else stopped its sequences"
			}
		} else {
			did = "nothing else changed (a suppression stays until you remove it)"
		}
	}
	if err != nil {
		return "", err
	}
	msg := fmt.Sprintf("message read as %s instead of %s: %s", k, was, did)
	if err := st.RecordAction(id, msg); err != nil {
		return "", err
	}
	h.log().Info("message kind corrected", "lead_id", id, "event_id", eventID, "from", was, "to", k)
	return msg, nil
}

// messageKind reports whether k is one of the kinds of a message received.
func messageKind(k lead.Kind) bool {
	switch k {
	case lead.KindReply, lead.KindAutoReply, lead.KindBounce, lead.KindComplaint, lead.KindUnsubscribe, lead.KindDelivered, lead.KindOther:
		return true
	}
	return false
}
