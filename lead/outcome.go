package lead

import (
	"slices"
	"strings"
)

// Outcomes are the outcomes a user may record, in the order a conversation reaches them.
var Outcomes = []Outcome{OutcomeInterested, OutcomeNotInterested, OutcomeMeeting, OutcomeWon, OutcomeLost}

// Valid reports whether o is one of Outcomes, or OutcomeNone (which clears).
func (o Outcome) Valid() bool { return o == OutcomeNone || slices.Contains(Outcomes, o) }

// StopsSequences reports whether recording o ends the lead's sequences: the person said no.
func (o Outcome) StopsSequences() bool { return o == OutcomeNotInterested || o == OutcomeLost }

// ParseOutcome reads an outcome as a user writes it (any case; "none" clears); ok is false
// for a word that is none of them.
func ParseOutcome(s string) (o Outcome, ok bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "none" {
		return OutcomeNone, true
	}
	o = Outcome(s)
	return o, s != "" && o.Valid()
}
