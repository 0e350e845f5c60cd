package lead

import "time"

// State is where one enrolment (a lead in a campaign's sequence) stands.
type State string

// The enrolment states of the SPEC.
const (
	StateActive   State = "active"   // more steps may go out
	StateFinished State = "finished" // every step was sent
	StateStopped  State = "stopped"  // a reply, bounce, opt-out or the user stopped it
	// StateUnknown: the process died while handing a step to the SMTP server, so nobody
	// knows whether it went out. It is never resent on its own.
	StateUnknown State = "unknown"
)

// Enrollment is one lead's progress through one campaign's sequence.
type Enrollment struct {
	LeadID   ID     `json:"lead_id"`
	Campaign string `json:"campaign"`
	// Step counts the steps really sent (0 before the first one).
	Step  int   `json:"step"`
	State State `json:"state"`
	// NextAt is when the next step becomes due; zero when nothing is due.
	NextAt time.Time `json:"next_at"`
	// Mailbox sent the first step; every follow-up comes from the same one.
	Mailbox string `json:"mailbox,omitempty"`
	// Email is the address the sequence writes to, fixed at enrolment.
	Email string `json:"email"`
	// Domain is the registrable domain of Email, used for the one-per-company rule.
	Domain string `json:"domain,omitempty"`
	// FirstSubject is the subject of step 1; follow-ups without a subject use "Re: " + it.
	FirstSubject string `json:"first_subject,omitempty"`
	// MessageIDs are the Message-IDs of the steps sent, in order; follow-ups thread on them.
	MessageIDs []string `json:"message_ids,omitempty"`
	// Sending is set while a step is being handed to the SMTP server: intent recorded before
	// the side effect, cleared when the server answers.
	Sending *Attempt `json:"sending,omitempty"`
	// Attempts counts temporary failures of the current step, for backoff.
	Attempts int `json:"attempts,omitempty"`
	// Variants are the variant of each step (index 0: step 1) chosen for this lead, ""
	// for a step without variants. A step's variant is recorded with its intent, before it
	// is sent, so a retry or a restart sends the same one and later steps know it.
	Variants []string `json:"variants,omitempty"`
	// Zone and Country are the recipient's time zone and country as the campaign's window
	// last resolved them (window.timezone or window.holidays recipient), so the next step
	// is due when the recipient's own window opens; "" for a campaign-wide window.
	Zone    string `json:"zone,omitempty"`
	Country string `json:"country,omitempty"`
	// Reason says why the enrolment stopped, is unknown or why its step could not be sent.
	Reason string `json:"reason,omitempty"`
	// Hold is set when an auto-reply's return date moved the next step (see HeldNow).
	Hold *Hold `json:"hold,omitempty"`
	// Before is what a stop replaced: the state and due time the enrolment had, so a stop
	// the user takes back (a reply corrected to an auto-reply) restores exactly that: a step
	// of unknown fate stays unknown, a follow-up keeps its delay.
	Before     *Stopped  `json:"before,omitempty"`
	EnrolledAt time.Time `json:"enrolled_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// Stopped is an enrolment's state and due time before it was stopped.
type Stopped struct {
	State  State     `json:"state"`
	NextAt time.Time `json:"next_at,omitempty"`
}

// Hold is an out-of-office hold: the author of an auto-reply said they are back at Until,
// so the step after Step waits until then.
type Hold struct {
	Until time.Time `json:"until"`
	Step  int       `json:"step"` // the steps sent when the hold was set
}

// HeldNow reports whether the next step waits for an out-of-office hold: the hold was set
// at the current step of a sequence still running, and the step is not due before it
// (a sequence reopened or rescheduled since is not held).
func (e *Enrollment) HeldNow() bool {
	return e.Hold != nil && e.State == StateActive && e.Hold.Step == e.Step && !e.NextAt.IsZero() && !e.NextAt.Before(e.Hold.Until)
}

// Attempt is a step in flight: recorded before the SMTP transaction starts.
type Attempt struct {
	Step      int       `json:"step"` // 1-based step being sent
	MessageID string    `json:"message_id"`
	Mailbox   string    `json:"mailbox"`
	StartedAt time.Time `json:"started_at"`
	// Boot identifies the running system when the attempt was recorded (Linux boot id), so
	// a restart can tell a process that died from a machine that went down.
	Boot string `json:"boot,omitempty"`
}

// Live reports whether the enrolment still holds its lead in a sequence (active, or
// unknown until a person settles it), for the one-sequence-at-a-time rules.
func (e *Enrollment) Live() bool { return e.State == StateActive || e.State == StateUnknown }

// Summary is the part of an enrolment shown in exports: {campaign, step, state, next_at}.
type Summary struct {
	Campaign string     `json:"campaign"`
	Step     int        `json:"step"`
	State    State      `json:"state"`
	NextAt   *time.Time `json:"next_at"`
}

// Summarize returns the exported view of e.
func (e *Enrollment) Summarize() Summary {
	s := Summary{Campaign: e.Campaign, Step: e.Step, State: e.State}
	if !e.NextAt.IsZero() {
		t := e.NextAt.UTC()
		s.NextAt = &t
	}
	return s
}
