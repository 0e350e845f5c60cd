package lead

import (
	"testing"
	"time"
)

func TestHeldNow(t *testing.T) {
	until := time.Date(2026, 3, 9, 8, 0, 0, 0, time.UTC)
	hold := &Hold{Until: until, Step: 1}
	for name, tc := range map[string]struct {
		e    Enrollment
		want bool
	}{
		"held at this step":      {Enrollment{State: StateActive, Step: 1, NextAt: until, Hold: hold}, true},
		"moved on since":         {Enrollment{State: StateActive, Step: 2, NextAt: until.Add(72 * time.Hour), Hold: hold}, false},
		"stopped":                {Enrollment{State: StateStopped, Step: 1, Hold: hold}, false},
		"never held":             {Enrollment{State: StateActive, Step: 1, NextAt: until}, false},
		"nothing due (finished)": {Enrollment{State: StateActive, Step: 1, Hold: hold}, false},
		"rescheduled earlier":    {Enrollment{State: StateActive, Step: 1, NextAt: until.Add(-time.Hour), Hold: hold}, false},
		"window opens after it":  {Enrollment{State: StateActive, Step: 1, NextAt: until.Add(time.Hour), Hold: hold}, true},
	} {
		if got := tc.e.HeldNow(); got != tc.want {
			t.Errorf("%s: HeldNow() = %v", name, got)
		}
	}
}
