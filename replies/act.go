package replies

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/clientele/clientele/lead"
)

// Store is what reply handling needs from the database. store.DB satisfies it; the
// package declares it so it never imports the store.
type Store interface {
	Sent(messageID string) (*lead.SentMessage, error)
	SentOf(id lead.ID) ([]*lead.SentMessage, error)
	Lead(id lead.ID) (*lead.Lead, error)
	LeadByEmail(email string) (*lead.Lead, error)
	EventsOf(id lead.ID) ([]lead.Event, error)
	// ApplyReply applies a whole action in one transaction, returning false (and changing
	// nothing) when an event already records the message.
	ApplyReply(a *lead.ReplyAction) (bool, error)
	SetCursor(name string, value []byte) error
	Cursor(name string) ([]byte, bool, error)
}

// SoftBounceLimit is how many soft bounces of one address make it count as a hard one.
const SoftBounceLimit = 3

// snippetRunes is the length of the text kept with an event.
const snippetRunes = 200

// Handler applies classification results to the leads they concern.
type Handler struct {
	Store Store
	Log   *slog.Logger
	Now   func() time.Time
}

// Outcome says what handling one message did.
type Outcome struct {
	Kind      lead.Kind
	LeadID    lead.ID // 0 when no lead matched
	Duplicate bool    // the message was handled before (same Message-ID): nothing done
	// Action is what was done: "replied", "unsubscribed", "complained", "bounced",
	// "soft_bounce", "delayed", "held", "recorded", "untraced" (a report traced to no
	// lead: recorded, nothing done) or "ignored".
	Action string
}

// Traced is a message tied to the lead it concerns, ready to be acted on: what Handle
// builds from a classified message, and what a user's correction of a message's kind
// passes to Apply again.
type Traced struct {
	// Event records the message; Event.Kind says what to do and Event.LeadID to whom. An
	// Event with an ID (one stored before) is rewritten, not added.
	Event lead.Event
	// Address is the lead's address the message concerns (the one written to, or the one
	// that failed): the address suppressed. Empty: found from the event.
	Address string
	// ReturnDate is when an auto-reply says its author is back; zero when it gives none.
	ReturnDate time.Time
}

// Handle acts on one classified message that arrived in mailbox: it traces the lead (see
// trace.go), records an event, and stops, holds or suppresses as the SPEC says: a reply,
// bounce, complaint or unsubscribe stops the lead's sequences; a hard bounce (or the
// SoftBounceLimit-th soft one of an address), a complaint and an unsubscribe also set the
// status and suppress the address; an auto-reply may hold the next step; a delay notice is
// only recorded. A bounce or complaint traced to no lead is recorded and does nothing. A
// message handled before (same Message-ID) is skipped, so a rescan never acts twice.
func (h *Handler) Handle(ctx context.Context, r Result, mailbox string) (Outcome, error) {
	out := Outcome{Kind: r.Kind, Action: "ignored"}
	if r.Kind == lead.KindOther {
		return out, nil
	}
	if err := ctx.Err(); err != nil {
		return out, err
	}
	m, why, err := h.trace(r, mailbox)
	if err != nil {
		return out, err
	}
	ev := lead.Event{
		Time: r.Date, Kind: r.Kind, Hard: r.Hard, Status: r.Status,
		Subject: snippet(r.Subject, snippetRunes), Snippet: snippet(r.Snippet, snippetRunes),
		From: r.From, MessageID: r.MessageID, InReplyTo: r.InReplyTo, Mailbox: mailbox, Text: r.Text,
	}
	if ev.Time.IsZero() || ev.Time.After(h.now()) {
		ev.Time = h.now()
	}
	if m == nil {
		if (r.Kind != lead.KindBounce && r.Kind != lead.KindComplaint) || r.Delayed {
			return out, nil
		}
		return h.untraced(ev, why)
	}
	ev.LeadID, ev.Campaign = m.lead.ID, m.campaign
	if r.Kind == lead.KindBounce && r.Delayed {
		// The mail system is still trying: not a failure, so nothing stops and it is not
		// counted toward SoftBounceLimit (only bounce events are).
		ev.Kind, ev.Hard = lead.KindOther, false
		ev.From = m.address
		ev.Snippet = snippet("delivery delayed: "+ev.Snippet, snippetRunes)
		out, err := h.Apply(ctx, Traced{Event: ev, Address: m.address})
		out.Kind = r.Kind
		if err == nil && !out.Duplicate {
			out.Action = "delayed"
		}
		return out, err
	}
	return h.Apply(ctx, Traced{Event: ev, Address: m.address, ReturnDate: r.ReturnDate})
}

// untraced records a bounce or complaint that could be traced to no lead. It says why in
// the log, once: a second sight of the message is a duplicate.
func (h *Handler) untraced(ev lead.Event, why string) (Outcome, error) {
	out := Outcome{Kind: ev.Kind, Action: "untraced"}
	ev.Snippet = snippet("not traced to a lead: "+why+": "+ev.Snippet, snippetRunes)
	a := lead.ReplyAction{Event: ev}
	applied, err := h.Store.ApplyReply(&a)
	if err != nil {
		return out, fmt.Errorf("replies: record untraced %s: %w", ev.Kind, err)
	}
	out.Duplicate = !applied
	if applied {
		h.log().Warn("report not traced to a lead, nothing done", "kind", ev.Kind, "from", ev.From,
			"mailbox", ev.Mailbox, "message_id", ev.MessageID, "reason", why)
	}
	return out, nil
}

// Apply applies the actions of t.Event.Kind to the lead t.Event.LeadID, in one store
// transaction together with the event that records the message. It is what Handle does
// once a message is traced, and what correcting a stored message's kind does with the
// corrected kind (the stored event, with its ID, is then rewritten). A new message already
// recorded is a duplicate and changes nothing.
func (h *Handler) Apply(ctx context.Context, t Traced) (Outcome, error) {
	ev := t.Event
	out := Outcome{Kind: ev.Kind, LeadID: ev.LeadID, Action: "recorded"}
	if err := ctx.Err(); err != nil {
		return out, err
	}
	if ev.LeadID == 0 {
		return out, fmt.Errorf("replies: apply %s: no lead", ev.Kind)
	}
	l, err := h.Store.Lead(ev.LeadID)
	if err != nil {
		return out, fmt.Errorf("replies: apply %s to lead %d: %w", ev.Kind, ev.LeadID, err)
	}
	address := t.Address
	if address == "" {
		address = h.addressOf(ev, l)
	}
	address = lead.NormalizeEmail(address)
	a := lead.ReplyAction{}
	switch ev.Kind {
	case lead.KindReply:
		out.Action = "replied"
		// An opt-out, complaint or bounce says more than a later reply: keep it.
		a.Status, a.KeepFinal, a.Stop, a.Reason = lead.StatusReplied, true, true, "replied"
	case lead.KindUnsubscribe:
		out.Action = "unsubscribed"
		a.Status, a.Stop, a.Reason = lead.StatusUnsubscribed, true, "unsubscribe"
		a.Suppress = addresses(address)
		if from := lead.NormalizeEmail(ev.From); from != "" && from != address && !isDaemon(from, "") {
			a.Suppress = append(a.Suppress, from)
		}
	case lead.KindComplaint:
		out.Action = "complained"
		a.Status, a.Stop, a.Reason, a.Suppress = lead.StatusComplained, true, "complaint", addresses(address)
	case lead.KindBounce:
		if address != "" {
			ev.From = address // for bounces, the address that failed
		}
		if !ev.Hard {
			n, err := h.softBounces(ev.LeadID, ev.From, ev.ID)
			if err != nil {
				return out, err
			}
			if n+1 >= SoftBounceLimit {
				ev.Hard = true
				ev.Snippet = snippet(fmt.Sprintf("soft bounce %d of %d, treated as hard: %s", n+1, SoftBounceLimit, ev.Snippet), snippetRunes)
			}
		}
		if ev.Hard {
			out.Action = "bounced"
			a.Status, a.Stop, a.Reason, a.Suppress = lead.StatusBounced, true, "bounce", addresses(address)
		} else {
			// A soft bounce stops the sequences like any bounce (SPEC), but neither sets
			// the status nor suppresses: the address may work again, and a later
			// sequence may use it.
			out.Action = "soft_bounce"
			a.Stop, a.Reason = true, "soft_bounce"
		}
	case lead.KindAutoReply:
		if !t.ReturnDate.IsZero() && t.ReturnDate.After(h.now()) {
			a.HoldUntil = t.ReturnDate
		}
	}
	a.Event = ev
	applied, err := h.Store.ApplyReply(&a)
	if err != nil {
		return out, fmt.Errorf("replies: apply %s to lead %d: %w", ev.Kind, ev.LeadID, err)
	}
	if !applied {
		out.Duplicate, out.Action = true, "ignored"
		return out, nil
	}
	if a.Held > 0 {
		out.Action = "held"
	}
	h.log().Info("reply handled", "lead_id", ev.LeadID, "kind", ev.Kind, "action", out.Action, "mailbox", ev.Mailbox, "message_id", ev.MessageID)
	return out, nil
}

// addressOf finds the lead's address a stored event concerns: the address of the message
// of ours it refers to, the failed address of a bounce, the address of the sequence it
// stopped, else the lead's own.
func (h *Handler) addressOf(ev lead.Event, l *lead.Lead) string {
	if ev.InReplyTo != "" {
		if s, err := h.Store.Sent(ev.InReplyTo); err == nil && s.LeadID == l.ID {
			return s.To
		}
	}
	if ev.Kind == lead.KindBounce && ev.From != "" {
		return ev.From
	}
	return l.Email
}

// addresses is a one-element list of a, or none when a is empty.
func addresses(a string) []string {
	if a == "" {
		return nil
	}
	return []string{a}
}

// softBounces counts the soft bounces already recorded for an address of a lead, leaving
// out the event except (the one being corrected).
func (h *Handler) softBounces(id lead.ID, address string, except uint64) (int, error) {
	evs, err := h.Store.EventsOf(id)
	if err != nil {
		return 0, fmt.Errorf("replies: events of lead %d: %w", id, err)
	}
	n := 0
	for _, e := range evs {
		if e.ID != except && e.Kind == lead.KindBounce && !e.Hard && strings.EqualFold(e.From, address) {
			n++
		}
	}
	return n, nil
}

// isNotFound reports whether a Store error means the thing is not stored: the store wraps
// lead.ErrNotFound, so no sentinel needs handing in.
func isNotFound(err error) bool { return errors.Is(err, lead.ErrNotFound) }

func (h *Handler) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

func (h *Handler) log() *slog.Logger {
	if h.Log != nil {
		return h.Log
	}
	return slog.New(slog.DiscardHandler)
}
