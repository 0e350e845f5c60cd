package store

import (
	"errors"
	"fmt"
	"time"

	"github.com/clientele/clientele/lead"
)

// Why a lead is let go by compliance.forget_after.
const (
	ExpiredNeverContacted = "never contacted"
	ExpiredUnanswered     = "sequence ended without a reply"
)

// SuppressRetention is the suppression reason kept for a lead written to and then
// forgotten by the retention rule, so a later crawl that finds it again does not start its
// sequence over.
const SuppressRetention = "retention"

// Expiry is when the retention rule lets a lead go, and why; Never for leads it keeps:
// a person who answered, one with an outcome, one still in a sequence.
type Expiry struct {
	Since  time.Time // the lead was collected, or its last sequence ended; zero: never
	Reason string
}

// Never reports whether the lead is kept whatever its age.
func (e Expiry) Never() bool { return e.Since.IsZero() }

// expiry reads when l's data stops being needed: when it was collected, for a lead never
// written to, or when its last sequence ended, for one that got no answer.
func (t *Tx) expiry(l *lead.Lead) (Expiry, error) {
	if l.Outcome != lead.OutcomeNone || l.Status == lead.StatusReplied {
		return Expiry{}, nil
	}
	es, err := t.EnrollmentsOf(l.ID)
	if err != nil {
		return Expiry{}, err
	}
	var ended time.Time
	contacted := l.Status != lead.StatusNew
	for _, e := range es {
		if e.Live() {
			return Expiry{}, nil
		}
		contacted = contacted || e.Step > 0
		if e.UpdatedAt.After(ended) {
			ended = e.UpdatedAt
		}
	}
	if !contacted {
		// A step whose fate nobody knows may have reached the person: written to, for this
		// rule, so the address is kept from a sequence started again by a later crawl.
		sent, err := t.SentOf(l.ID)
		if err != nil {
			return Expiry{}, err
		}
		for _, m := range sent {
			contacted = contacted || m.State == lead.SendSent || m.State == lead.SendUnknown
		}
	}
	if !contacted {
		return Expiry{Since: l.CreatedAt, Reason: ExpiredNeverContacted}, nil
	}
	if ended.IsZero() {
		ended = l.UpdatedAt
	}
	return Expiry{Since: ended, Reason: ExpiredUnanswered}, nil
}

// RetentionSummary is what the retention rule would do at a moment.
type RetentionSummary struct {
	Due      int       // leads due to be forgotten now
	Next     time.Time // when the next lead not yet due becomes due; zero: none
	NextDue  int       // how many become due in the day after Next
	ByReason map[string]int
}

// Retention says which leads forget_after lets go at now: how many are due, and when the
// next ones will be. It reads every lead (stats and a daily job call it, never a page).
func (db *DB) Retention(now time.Time, after time.Duration) (RetentionSummary, error) {
	sum := RetentionSummary{ByReason: map[string]int{}}
	cutoff := now.Add(-after)
	var later []time.Time
	err := db.ForEachLead(func(l *lead.Lead) error {
		var ex Expiry
		if err := db.View(func(t *Tx) error {
			var err error
			ex, err = t.expiry(l)
			return err
		}); err != nil {
			return err
		}
		switch {
		case ex.Never():
		case !ex.Since.After(cutoff):
			sum.Due++
			sum.ByReason[ex.Reason]++
		default:
			later = append(later, ex.Since.Add(after))
		}
		return nil
	})
	if err != nil {
		return sum, fmt.Errorf("store: retention: %w", err)
	}
	for _, at := range later {
		if sum.Next.IsZero() || at.Before(sum.Next) {
			sum.Next = at
		}
	}
	for _, at := range later {
		if at.Before(sum.Next.Add(24 * time.Hour)) {
			sum.NextDue++
		}
	}
	return sum, nil
}

// ForgetExpired erases every lead forget_after lets go at now, with its enrolments,
// messages and events. A lead that was written to keeps a suppression of its address
// (reason "retention") so it is never written to again; one never written to leaves
// nothing behind; an existing suppression (an opt-out) stays as it was. Freed pages are
// overwritten afterwards, as for leads forget. It returns how many leads went.
func (db *DB) ForgetExpired(now time.Time, after time.Duration) (int, error) {
	if after <= 0 {
		return 0, nil
	}
	cutoff := now.Add(-after)
	var due []lead.ID
	err := db.ForEachLead(func(l *lead.Lead) error {
		return db.View(func(t *Tx) error {
			ex, err := t.expiry(l)
			if err == nil && !ex.Never() && !ex.Since.After(cutoff) {
				due = append(due, l.ID)
			}
			return err
		})
	})
	if err != nil {
		return 0, fmt.Errorf("store: forget expired leads: %w", err)
	}
	n := 0
	for start := 0; start < len(due); start += upsertBatch {
		batch := due[start:min(start+upsertBatch, len(due))]
		done := 0
		err := db.Update(func(t *Tx) error {
			done = 0
			for _, id := range batch {
				l, err := t.getLead(id)
				if errors.Is(err, ErrNotFound) {
					continue
				}
				if err != nil {
					return err
				}
				// Checked again: the lead may have been enrolled or answered since the scan.
				ex, err := t.expiry(l)
				if err != nil {
					return err
				}
				if ex.Never() || ex.Since.After(cutoff) {
					continue
				}
				if ex.Reason == ExpiredUnanswered {
					// Every address written to, the lead's own and each sequence's; Suppress
					// keeps an entry already there, with its reason.
					if err := t.suppressWrittenTo(l); err != nil {
						return err
					}
				}
				if err := t.deleteLeadAndRecords(l); err != nil {
					return err
				}
				done++
			}
			return nil
		})
		if err != nil {
			return n, fmt.Errorf("store: forget expired leads: %w", err)
		}
		n += done
	}
	if n > 0 {
		if err := db.overwriteFreePages(); err != nil {
			return n, fmt.Errorf("store: forget expired leads: overwrite freed pages: %w", err)
		}
	}
	return n, nil
}

// suppressWrittenTo suppresses, for the retention rule, the lead's address and every
// address its sequences wrote to.
func (t *Tx) suppressWrittenTo(l *lead.Lead) error {
	addrs := []string{l.Email}
	es, err := t.EnrollmentsOf(l.ID)
	if err != nil {
		return err
	}
	for _, e := range es {
		addrs = append(addrs, e.Email)
	}
	for _, a := range addrs {
		if lead.NormalizeEmail(a) == "" {
			continue
		}
		if err := t.Suppress(a, SuppressRetention); err != nil {
			return err
		}
	}
	return nil
}
