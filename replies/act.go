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
	Lead(id lead.ID) (*lead.Lead, error)
	LeadByEmail(email string) (*lead.Lead, error)
	SetStatus(id lead.ID, s lead.Status) error
	StopEnrollments(id lead.ID, reason string) (int, error)
	EnrollmentsOf(id lead.ID) ([]*lead.Enrollment, error)
	PutEnrollment(e *lead.Enrollment) error
	Suppress(value, reason string) error
	AddEvent(e *lead.Event) error
	EventsOf(id lead.ID) ([]lead.Event, error)
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
	// NotFound is the store's "not found" sentinel (store.ErrNotFound). When nil, an
	// error whose text says "not found" counts as one.
	NotFound error
}

// Outcome says what handling one message did.
type Outcome struct {
	Kind      lead.Kind
	LeadID    lead.ID // 0 when no lead matched
	Duplicate bool    // the message was handled before (same Message-ID): nothing done
	Action    string  // "replied", "bounced", "soft_bounce", "delayed", "held", "recorded", "ignored", ...
}

// match is the lead a message concerns and the address of it that was written to.
type match struct {
	lead     *lead.Lead
	address  string
	campaign string
}

// Handle acts on one classified message that arrived in mailbox: it finds the lead (by
// the Message-ID of ours it refers to, else a failed recipient, else the sender), records
// an event, and stops, holds or suppresses as the SPEC says: a reply, bounce, complaint or
// unsubscribe stops the lead's sequences; a hard bounce (or the SoftBounceLimit-th soft
// one of an address), a complaint and an unsubscribe also set the status and suppress the
// address; an auto-reply may hold the next step; a delay notice is only recorded. A
// message handled before (same Message-ID in the lead's events) is skipped, so a rescan
// never acts twice.
func (h *Handler) Handle(ctx context.Context, r Result, mailbox string) (Outcome, error) {
	out := Outcome{Kind: r.Kind, Action: "ignored"}
	if r.Kind == lead.KindOther {
		return out, nil
	}
	if err := ctx.Err(); err != nil {
		return out, err
	}
	m, err := h.find(r)
	if err != nil || m == nil {
		return out, err
	}
	id := m.lead.ID
	out.LeadID = id
	dup, err := h.seen(id, r.MessageID)
	if err != nil || dup {
		out.Duplicate = dup
		return out, err
	}
	ev := lead.Event{
		LeadID: id, Time: r.Date, Kind: r.Kind, Hard: r.Hard, Status: r.Status,
		Subject: snippet(r.Subject, snippetRunes), Snippet: snippet(r.Snippet, snippetRunes),
		From: r.From, MessageID: r.MessageID, InReplyTo: r.InReplyTo,
		Campaign: m.campaign, Mailbox: mailbox,
	}
	if ev.Time.IsZero() || ev.Time.After(h.now()) {
		ev.Time = h.now()
	}
	switch r.Kind {
	case lead.KindReply:
		out.Action = "replied"
		if m.lead.Status.Final() {
			// An opt-out, complaint or bounce says more than a later reply: keep it.
			err = h.stop(id, "replied")
		} else {
			err = h.final(id, lead.StatusReplied, "", "replied")
		}
	case lead.KindUnsubscribe:
		out.Action = "unsubscribed"
		err = h.final(id, lead.StatusUnsubscribed, m.address, "unsubscribe")
		if err == nil && r.From != "" && r.From != m.address && !isDaemon(r.From, "") {
			err = h.suppress(r.From, "unsubscribe")
		}
	case lead.KindComplaint:
		out.Action = "complained"
		err = h.final(id, lead.StatusComplained, m.address, "complaint")
	case lead.KindBounce:
		ev.From = m.address // for bounces, the address that failed
		if r.Delayed {
			// The mail system is still trying: not a failure, so nothing stops and it
			// is not counted toward SoftBounceLimit (only bounce events are).
			out.Action = "delayed"
			ev.Kind, ev.Hard = lead.KindOther, false
			ev.Snippet = snippet("delivery delayed: "+ev.Snippet, snippetRunes)
			break
		}
		hard := r.Hard
		if !hard {
			n, cerr := h.softBounces(id, m.address)
			if cerr != nil {
				return out, cerr
			}
			if n+1 >= SoftBounceLimit {
				hard = true
				ev.Hard = true
				ev.Snippet = snippet(fmt.Sprintf("soft bounce %d of %d, treated as hard: %s", n+1, SoftBounceLimit, ev.Snippet), snippetRunes)
			}
		}
		if hard {
			out.Action = "bounced"
			err = h.final(id, lead.StatusBounced, m.address, "bounce")
		} else {
			// A soft bounce stops the sequences like any bounce (SPEC), but neither sets
			// the status nor suppresses: the address may work again, and a later
			// sequence may use it.
			out.Action = "soft_bounce"
			err = h.stop(id, "soft_bounce")
		}
	case lead.KindAutoReply:
		out.Action = "recorded"
		if !r.ReturnDate.IsZero() && r.ReturnDate.After(h.now()) {
			var held bool
			held, err = h.hold(id, r.ReturnDate)
			if held {
				out.Action = "held"
			}
		}
	case lead.KindDelivered:
		out.Action = "recorded"
	}
	if err != nil {
		return out, err
	}
	if err := h.Store.AddEvent(&ev); err != nil {
		return out, fmt.Errorf("replies: record %s of lead %d: %w", r.Kind, id, err)
	}
	h.log().Info("reply handled", "lead_id", id, "kind", r.Kind, "action", out.Action, "mailbox", mailbox, "message_id", r.MessageID)
	return out, nil
}

// find matches a result to a lead: by a Message-ID of ours it refers to, else by a failed
// or original recipient, else by the sender's address. It returns nil when nothing matches.
func (h *Handler) find(r Result) (*match, error) {
	for _, id := range r.Refs {
		s, err := h.Store.Sent(id)
		if err != nil {
			if h.isNotFound(err) {
				continue
			}
			return nil, fmt.Errorf("replies: look up sent message %s: %w", id, err)
		}
		l, err := h.Store.Lead(s.LeadID)
		if err != nil {
			if h.isNotFound(err) {
				continue
			}
			return nil, fmt.Errorf("replies: look up lead %d: %w", s.LeadID, err)
		}
		return &match{lead: l, address: lead.NormalizeEmail(s.To), campaign: s.Campaign}, nil
	}
	var addrs []string
	switch r.Kind {
	case lead.KindBounce:
		addrs = append(append(addrs, r.Recipients...), r.OriginalTo...)
	case lead.KindComplaint, lead.KindDelivered:
		addrs = append(addrs, r.OriginalTo...)
	default:
		addrs = append(addrs, r.From)
	}
	for _, a := range addrs {
		a = lead.NormalizeEmail(a)
		if a == "" || isDaemon(a, "") {
			continue
		}
		l, err := h.Store.LeadByEmail(a)
		if err != nil {
			if h.isNotFound(err) {
				continue
			}
			return nil, fmt.Errorf("replies: look up lead by %s: %w", a, err)
		}
		if l.Status == lead.StatusNew {
			// Never written to: whatever this person sent, it is not about our mail.
			continue
		}
		return &match{lead: l, address: a}, nil
	}
	return nil, nil
}

// seen reports whether an event of this lead already records the message.
func (h *Handler) seen(id lead.ID, messageID string) (bool, error) {
	if messageID == "" {
		return false, nil
	}
	evs, err := h.Store.EventsOf(id)
	if err != nil {
		return false, fmt.Errorf("replies: events of lead %d: %w", id, err)
	}
	for _, e := range evs {
		if e.MessageID == messageID {
			return true, nil
		}
	}
	return false, nil
}

// softBounces counts the soft bounces already recorded for an address of a lead.
func (h *Handler) softBounces(id lead.ID, address string) (int, error) {
	evs, err := h.Store.EventsOf(id)
	if err != nil {
		return 0, fmt.Errorf("replies: events of lead %d: %w", id, err)
	}
	n := 0
	for _, e := range evs {
		if e.Kind == lead.KindBounce && !e.Hard && strings.EqualFold(e.From, address) {
			n++
		}
	}
	return n, nil
}

// final sets a final status, suppresses the address (when given) and stops the lead's
// sequences.
func (h *Handler) final(id lead.ID, s lead.Status, address, reason string) error {
	if err := h.Store.SetStatus(id, s); err != nil {
		return fmt.Errorf("replies: set status of lead %d to %s: %w", id, s, err)
	}
	if address != "" {
		if err := h.suppress(address, reason); err != nil {
			return err
		}
	}
	return h.stop(id, reason)
}

// stop ends the lead's active sequences, giving reason.
func (h *Handler) stop(id lead.ID, reason string) error {
	if _, err := h.Store.StopEnrollments(id, reason); err != nil {
		return fmt.Errorf("replies: stop sequences of lead %d: %w", id, err)
	}
	return nil
}

func (h *Handler) suppress(address, reason string) error {
	if err := h.Store.Suppress(address, reason); err != nil {
		return fmt.Errorf("replies: suppress %s: %w", address, err)
	}
	return nil
}

// hold moves the next step of the lead's active sequences to until, when it was due
// earlier: the person said they are away until then.
func (h *Handler) hold(id lead.ID, until time.Time) (bool, error) {
	es, err := h.Store.EnrollmentsOf(id)
	if err != nil {
		return false, fmt.Errorf("replies: enrolments of lead %d: %w", id, err)
	}
	held := false
	for _, e := range es {
		if e.State != lead.StateActive || e.NextAt.IsZero() || !e.NextAt.Before(until) {
			continue
		}
		e.NextAt = until
		e.UpdatedAt = h.now()
		if err := h.Store.PutEnrollment(e); err != nil {
			return held, fmt.Errorf("replies: hold %s for lead %d: %w", e.Campaign, id, err)
		}
		held = true
	}
	return held, nil
}

func (h *Handler) isNotFound(err error) bool {
	if h.NotFound != nil {
		return errors.Is(err, h.NotFound)
	}
	return strings.Contains(err.Error(), "not found")
}

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
