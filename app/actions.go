package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/clientele/clientele/lead"
	"github.com/clientele/clientele/replies"
	"github.com/clientele/clientele/store"
)

// The actions a person takes on a lead, a campaign or a mailbox. The commands and the
// dashboard both call these, so `leads mark` and the dashboard's outcome form do the same.

// ErrUnknownName is returned (wrapped) for a campaign or mailbox the config does not have.
var ErrUnknownName = errors.New("not in the config")

// ErrPausedInConfig is returned (wrapped) when resuming a campaign the config pauses:
// only an edit of the config lifts that.
var ErrPausedInConfig = errors.New("paused in the config: set paused: false in clientele.yaml to resume it")

// MarkOutcome records where the conversation with the lead ref (id or address) went; see
// store.SetOutcome. It returns the lead and how many sequences it stopped.
func (s *Services) MarkOutcome(ref string, o lead.Outcome) (*lead.Lead, int, error) {
	l, err := s.DB.FindLead(ref)
	if err != nil {
		return nil, 0, err
	}
	n, err := s.DB.SetOutcome(l.ID, o)
	return l, n, err
}

// StopLead stops every live sequence of a lead by hand and records it.
func (s *Services) StopLead(id lead.ID) (int, error) {
	var n int
	err := s.DB.Update(func(t *store.Tx) error {
		var err error
		if n, err = t.StopEnrollments(id, "stopped by hand"); err != nil {
			return err
		}
		return t.RecordAction(id, fmt.Sprintf("sequences stopped by hand (%d)", n))
	})
	return n, err
}

// SuppressLead puts a lead's address on the do-not-contact list, stops its sequences and
// records it.
func (s *Services) SuppressLead(id lead.ID) (string, error) {
	var email string
	err := s.DB.Update(func(t *store.Tx) error {
		l, err := t.Lead(id)
		if err != nil {
			return err
		}
		if l.Email == "" {
			return fmt.Errorf("lead %d has no address to suppress: %w", id, store.ErrInvalid)
		}
		email = l.Email
		if err := t.Suppress(l.Email, "manual"); err != nil {
			return err
		}
		if _, err := t.StopEnrollments(id, "suppressed"); err != nil {
			return err
		}
		return t.RecordAction(id, "address "+l.Email+" suppressed by hand")
	})
	return email, err
}

// A transaction offers what correcting a message needs, so a correction and all it does
// commit together.
var _ replies.CorrectionStore = (*store.Tx)(nil)

// CorrectKind re-reads a received message as kind k and acts on the correction, in one
// transaction; see replies.Handler.Correct.
func (s *Services) CorrectKind(ctx context.Context, eventID uint64, k lead.Kind) (msg string, err error) {
	err = s.DB.Update(func(t *store.Tx) error {
		h := &replies.Handler{Store: t, Log: s.log, Now: s.now}
		msg, err = h.Correct(ctx, t, eventID, k)
		return err
	})
	return msg, err
}

// PauseCampaign pauses a campaign by hand.
func (s *Services) PauseCampaign(name string) error {
	if !s.hasCampaign(name) {
		return fmt.Errorf("campaign %q: %w", name, ErrUnknownName)
	}
	return s.Engine.PauseCampaign(name, "paused by hand")
}

// ResumeCampaign lifts a campaign's pause (by hand or by its bounce shield).
func (s *Services) ResumeCampaign(name string) error {
	if !s.hasCampaign(name) {
		return fmt.Errorf("campaign %q: %w", name, ErrUnknownName)
	}
	for _, c := range s.Config.Campaigns {
		if c.Name == name && c.Paused {
			return fmt.Errorf("campaign %q: %w", name, ErrPausedInConfig)
		}
	}
	return s.Engine.ResumeCampaign(name)
}

// PauseMailbox pauses a mailbox by hand.
func (s *Services) PauseMailbox(name string) error {
	if !s.hasMailbox(name) {
		return fmt.Errorf("mailbox %q: %w", name, ErrUnknownName)
	}
	return s.Engine.PauseMailbox(name, "paused by hand")
}

// ResumeMailbox lifts a mailbox's pause.
func (s *Services) ResumeMailbox(name string) error {
	if !s.hasMailbox(name) {
		return fmt.Errorf("mailbox %q: %w", name, ErrUnknownName)
	}
	return s.Engine.ResumeMailbox(name)
}

func (s *Services) hasCampaign(name string) bool {
	for _, c := range s.Config.Campaigns {
		if c.Name == name {
			return true
		}
	}
	return false
}

func (s *Services) hasMailbox(name string) bool {
	for _, m := range s.Config.Mailboxes {
		if m.Name == name {
			return true
		}
	}
	return false
}
