package outreach

import (
	"fmt"
	"time"

	"github.com/clientele/clientele/config"
)

// window is a campaign's sending window, ready to use: the days and the daily span in its
// own timezone. A nil *window means "any time".
type window struct {
	loc      *time.Location
	days     [7]bool // by time.Weekday
	from, to int     // minutes after midnight, from < to
}

// newWindow compiles a config window. Loading the config resolves windows; one built by
// hand is resolved here by the config package's own rules, on a copy.
func newWindow(w *config.Window) (*window, error) {
	if w == nil {
		return nil, nil
	}
	if w.Location == nil {
		c := *w
		c.Weekdays = nil
		if err := c.Resolve(); err != nil {
			return nil, fmt.Errorf("outreach: %w", err)
		}
		w = &c
	}
	cw := &window{loc: w.Location, from: w.FromMinute, to: w.ToMinute}
	if len(w.Weekdays) == 0 {
		cw.days = [7]bool{true, true, true, true, true, true, true}
	}
	for _, d := range w.Weekdays {
		cw.days[d] = true
	}
	if cw.to <= cw.from {
		return nil, fmt.Errorf("outreach: window %s-%s is empty", w.From, w.To)
	}
	return cw, nil
}

// span returns the window's interval that opens on the calendar day of d (in the window's
// zone), and whether that day opens one.
func (w *window) span(y int, m time.Month, d int) (start, end time.Time, ok bool) {
	day := time.Date(y, m, d, 12, 0, 0, 0, w.loc)
	if !w.days[day.Weekday()] {
		return time.Time{}, time.Time{}, false
	}
	return w.at(y, m, d, w.from), w.at(y, m, d, w.to), true
}

// at returns the instant a wall clock in the window's zone shows minute of the day on that
// date. A time skipped by a DST change becomes the first instant after the gap (02:30 on a
// day that jumps from 02:00 to 03:00 is 03:30), as a person reading a clock would say.
func (w *window) at(y int, m time.Month, d, minute int) time.Time {
	t := time.Date(y, m, d, minute/60, minute%60, 0, 0, w.loc)
	if minute >= 24*60 {
		return t
	}
	if got := t.Hour()*60 + t.Minute(); got < minute && t.Day() == time.Date(y, m, d, 12, 0, 0, 0, w.loc).Day() {
		t = t.Add(time.Duration(minute-got) * time.Minute)
	}
	return t
}

// Next returns the earliest instant at or after t inside the window (t itself when it is
// inside, or when the window is nil).
func (w *window) Next(t time.Time) time.Time {
	if w == nil {
		return t
	}
	local := t.In(w.loc)
	y, m, d := local.Date()
	for i := 0; i <= 8; i++ {
		start, end, ok := w.span(y, m, d+i)
		if !ok || !end.After(t) {
			continue
		}
		if t.Before(start) {
			return start
		}
		return t
	}
	return t // a window with no days never opens; validation refuses it
}

// Contains reports whether t is inside the window.
func (w *window) Contains(t time.Time) bool { return w == nil || w.Next(t).Equal(t) }

// dayBounds returns the calendar day containing t in loc, as [start, end). Days are 23 or
// 25 hours long across a DST change.
func dayBounds(t time.Time, loc *time.Location) (time.Time, time.Time) {
	l := t.In(loc)
	y, m, d := l.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc), time.Date(y, m, d+1, 0, 0, 0, 0, loc)
}
