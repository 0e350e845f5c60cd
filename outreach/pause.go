package outreach

import (
	"context"
	"time"
)

// PauseCampaign pauses a campaign by hand, keeping its bounce counts; ResumeCampaign lifts
// it. It waits for a send pass in progress, which saves the campaign states at its end.
func (e *Engine) PauseCampaign(name, reason string) error {
	return e.pause(cursorCampaign+name, &campaignState{}, reason)
}

// PauseMailbox pauses a mailbox by hand; ResumeMailbox lifts it.
func (e *Engine) PauseMailbox(name, reason string) error {
	return e.pause(cursorMailbox+name, &mailboxState{}, reason)
}

// pausable is a stored state a person can pause: setPause reports whether it changed.
type pausable interface {
	setPause(reason string, at time.Time) bool
}

func (s *campaignState) setPause(reason string, at time.Time) bool {
	if s.Paused {
		return false
	}
	s.Paused, s.Reason, s.Since = true, reason, at
	return true
}

func (s *mailboxState) setPause(reason string, at time.Time) bool {
	if s.Paused {
		return false
	}
	s.Paused, s.Reason, s.Since = true, reason, at
	return true
}

// pause loads the state under cursor into st, pauses it and saves it. It takes the send
// lock, which outlives engines: a pass of an engine a reload replaced saves its states at
// its end and would write over the pause otherwise.
func (e *Engine) pause(cursor string, st pausable, reason string) error {
	unlock, err := e.locks.lock(context.Background())
	if err != nil {
		return err
	}
	defer unlock()
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := e.loadJSON(cursor, st); err != nil {
		return err
	}
	if !st.setPause(reason, e.now()) {
		return nil
	}
	return e.saveJSON(cursor, st)
}
