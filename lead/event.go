package lead

import "time"

// Kind is what an incoming message (or an action) turned out to be.
type Kind string

// The kinds of the SPEC's reply classification.
const (
	KindReply       Kind = "reply"
	KindAutoReply   Kind = "auto_reply"
	KindBounce      Kind = "bounce"
	KindComplaint   Kind = "complaint"
	KindUnsubscribe Kind = "unsubscribe"
	KindDelivered   Kind = "delivered"
	KindOther       Kind = "other"
)

// Event is something that happened to a lead that a person may want to see later: a reply,
// a bounce, an unsubscribe click. Events are shown in `leads show` and counted in `stats`.
type Event struct {
	ID        uint64    `json:"id"`
	LeadID    ID        `json:"lead_id"`
	Time      time.Time `json:"time"`
	Kind      Kind      `json:"kind"`
	Hard      bool      `json:"hard,omitempty"`   // a permanent failure (bounces)
	Status    string    `json:"status,omitempty"` // RFC 3463 code, where given
	Subject   string    `json:"subject,omitempty"`
	Snippet   string    `json:"snippet,omitempty"`
	From      string    `json:"from,omitempty"`
	MessageID string    `json:"message_id,omitempty"` // of the incoming message
	InReplyTo string    `json:"in_reply_to,omitempty"`
	Campaign  string    `json:"campaign,omitempty"`
	Mailbox   string    `json:"mailbox,omitempty"`
	// Text is the decoded text of the message received, when it is known: stored apart
	// from the event (so lists of events stay small) and read for the lead's page only.
	Text string `json:"-"`
}

// SentMessage is one message we handed (or were handing) to an SMTP server, keyed by its
// Message-ID so replies and bounces can be traced back to the lead and step.
type SentMessage struct {
	MessageID string `json:"message_id"`
	LeadID    ID     `json:"lead_id"`
	Campaign  string `json:"campaign"`
	Step      int    `json:"step"`
	Mailbox   string `json:"mailbox"`
	To        string `json:"to"`
	Subject   string `json:"subject"`
	// Variant is the step's variant this message is ("A", "B", …), "" without variants.
	Variant   string    `json:"variant,omitempty"`
	State     SendState `json:"state"`
	StartedAt time.Time `json:"started_at"`
	SentAt    time.Time `json:"sent_at,omitempty"`
	Error     string    `json:"error,omitempty"`
	// Text is the plain-text body that went out, footer included: set when the server
	// accepted it and stored apart from the record with the sent state.
	Text string `json:"-"`
}

// SendState follows one message through the exactly-once protocol.
type SendState string

// The states of a sent message.
const (
	SendSending SendState = "sending" // persisted before the SMTP transaction
	SendSent    SendState = "sent"    // the server answered 250
	SendFailed  SendState = "failed"  // the server refused it; it did not go out
	SendUnknown SendState = "unknown" // found in sending after a restart
)

// Suppression is one entry of the do-not-contact list: an address, or a whole domain
// written "@example.com".
type Suppression struct {
	Value  string    `json:"value"`
	Reason string    `json:"reason"` // "manual", "unsubscribe", "bounce", "complaint", "forget"
	Time   time.Time `json:"time"`
}
