package lead

import "testing"

func TestParseOutcome(t *testing.T) {
	for in, want := range map[string]Outcome{"interested": OutcomeInterested, " Won ": OutcomeWon, "NOT_INTERESTED": OutcomeNotInterested, "none": OutcomeNone} {
		if o, ok := ParseOutcome(in); !ok || o != want {
			t.Errorf("ParseOutcome(%q) = %q, %v; want %q", in, o, ok, want)
		}
	}
	for _, in := range []string{"", "maybe", "wonn"} {
		if o, ok := ParseOutcome(in); ok {
			t.Errorf("ParseOutcome(%q) = %q, accepted", in, o)
		}
	}
	if !OutcomeLost.StopsSequences() || OutcomeMeeting.StopsSequences() {
		t.Error("only not_interested and lost stop sequences")
	}
}
