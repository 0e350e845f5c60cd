package outreach

import (
	"fmt"
	"time"

	"github.com/clientele/clientele/config"
)

// newWindow returns a campaign's sending window ready to use (config.Window owns the rule:
// days and daily span in its own timezone, across DST changes); nil means "any time".
// Loading the config resolves windows; one built by hand is resolved here, on a copy.
func newWindow(w *config.Window) (*config.Window, error) {
	if w == nil || w.Location != nil {
		return w, nil
	}
	c := *w
	c.Weekdays = nil
	if err := c.Resolve(); err != nil {
		return nil, fmt.Errorf("outreach: %w", err)
	}
	return &c, nil
}

// dayBounds returns the calendar day containing t in loc, as [start, end). Days are 23 or
// 25 hours long across a DST change.
func dayBounds(t time.Time, loc *time.Location) (time.Time, time.Time) {
	l := t.In(loc)
	y, m, d := l.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc), time.Date(y, m, d+1, 0, 0, 0, 0, loc)
}
