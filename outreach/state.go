package outreach

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// Cursor names of the small records the engine keeps between passes.
const (
	cursorMailbox  = "outreach/mailbox/"  // + mailbox name: mailboxState
	cursorCampaign = "outreach/campaign/" // + campaign name: campaignState
	cursorEnrol    = "outreach/enrol/"    // + campaign name + "/" + status: enrolCursor
)

// mailboxFailLimit is how many passes in a row a mailbox may fail to reach its server (or
// be refused as a sender) before it pauses itself.
const mailboxFailLimit = 5

// mailboxState survives between passes: consecutive failures and a pause with its reason.
type mailboxState struct {
	Failures int       `json:"failures"`
	Paused   bool      `json:"paused"`
	Reason   string    `json:"reason,omitempty"`
	Since    time.Time `json:"since,omitzero"`
}

// campaignState counts what the bounce-rate rule needs, and a pause with its reason.
type campaignState struct {
	Sent        int       `json:"sent"`
	HardBounces int       `json:"hard_bounces"`
	Paused      bool      `json:"paused"`
	Reason      string    `json:"reason,omitempty"`
	Since       time.Time `json:"since,omitzero"`
}

// enrolCursor remembers how far the enrolment scan of a campaign has read the leads of one
// status, so a pass looks at new leads first and costs the same whatever the store holds.
type enrolCursor struct {
	After   uint64    `json:"after"`
	SweptAt time.Time `json:"swept_at,omitzero"` // when the scan last wrapped to the start
}

func (e *Engine) loadJSON(name string, v any) error {
	b, ok, err := e.st.Cursor(name)
	if err != nil {
		return fmt.Errorf("outreach: read %s: %w", name, err)
	}
	if !ok {
		return nil
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("outreach: decode %s: %w", name, err)
	}
	return nil
}

func (e *Engine) saveJSON(name string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("outreach: encode %s: %w", name, err)
	}
	if err := e.st.SetCursor(name, b); err != nil {
		return fmt.Errorf("outreach: write %s: %w", name, err)
	}
	return nil
}

// ResumeMailbox clears a mailbox's pause and its failure count. It waits for a pass that
// is running, which would otherwise write its own count over the cleared one.
func (e *Engine) ResumeMailbox(name string) error {
	return e.resume(cursorMailbox+name, mailboxState{})
}

// ResumeCampaign clears a campaign's automatic pause; its bounce counts start again. It
// waits for a pass that is running, as ResumeMailbox does.
func (e *Engine) ResumeCampaign(name string) error {
	return e.resume(cursorCampaign+name, campaignState{})
}

func (e *Engine) resume(cursor string, cleared any) error {
	unlock, err := e.locks.lock(context.Background())
	if err != nil {
		return err
	}
	defer unlock()
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.saveJSON(cursor, cleared)
}
