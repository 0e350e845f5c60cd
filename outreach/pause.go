package outreach

import "context"

// PauseCampaign pauses a campaign by hand, keeping its bounce counts; ResumeCampaign lifts
// it. It waits for a send pass in progress, which saves the campaign states at its end.
func (e *Engine) PauseCampaign(name, reason string) error {
	// The send lock, which outlives engines: a pass of an engine a reload replaced saves
	// its campaign states at its end and would write over the pause otherwise.
	unlock, err := e.locks.lock(context.Background())
	if err != nil {
		return err
	}
	defer unlock()
	e.mu.Lock()
	defer e.mu.Unlock()
	var st campaignState
	if err := e.loadJSON(cursorCampaign+name, &st); err != nil {
		return err
	}
	if st.Paused {
		return nil
	}
	st.Paused, st.Reason, st.Since = true, reason, e.now()
	return e.saveJSON(cursorCampaign+name, st)
}

// PauseMailbox pauses a mailbox by hand; ResumeMailbox lifts it.
func (e *Engine) PauseMailbox(name, reason string) error {
	unlock, err := e.locks.lock(context.Background())
	if err != nil {
		return err
	}
	defer unlock()
	e.mu.Lock()
	defer e.mu.Unlock()
	var st mailboxState
	if err := e.loadJSON(cursorMailbox+name, &st); err != nil {
		return err
	}
	if st.Paused {
		return nil
	}
	st.Paused, st.Reason, st.Since = true, reason, e.now()
	return e.saveJSON(cursorMailbox+name, st)
}
