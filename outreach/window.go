package outreach

import (
	"fmt"
	"strings"
	"time"

	"github.com/clientele/clientele/config"
)

// window is a campaign's sending window, ready to use: the days and the daily span in its
// own timezone. A nil *window means "any time".
type window struct {
	loc      *time.Location
	days     [7]bool // by time.Weekday
	from, to int     // minutes after midnight; to <= from spans midnight
}

// newWindow compiles a config window. It relies on the fields validation fills but parses
// the raw ones when they are missing, so a hand-built config works too.
func newWindow(w *config.Window) (*window, error) {
	if w == nil {
		return nil, nil
	}
	cw := &window{loc: w.Location, from: w.FromMinute, to: w.ToMinute}
	if cw.loc == nil {
		tz := w.Timezone
		if tz == "" {
			tz = "UTC"
		}
		loc, err := time.LoadLocation(tz)
		if err != nil {
			return nil, fmt.Errorf("outreach: window timezone %q: %w", tz, err)
		}
		cw.loc = loc
	}
	if w.From != "" || w.To != "" {
		var err error
		if cw.from, err = parseClock(w.From, 0); err != nil {
			return nil, err
		}
		if cw.to, err = parseClock(w.To, 24*60); err != nil {
			return nil, err
		}
	} else if w.FromMinute == 0 && w.ToMinute == 0 {
		cw.to = 24 * 60
	}
	switch {
	case len(w.Weekdays) > 0:
		for _, d := range w.Weekdays {
			cw.days[d] = true
		}
	case len(w.Days) > 0:
		for _, d := range w.Days {
			wd, ok := weekdays[strings.ToLower(strings.TrimSpace(d))]
			if !ok {
				return nil, fmt.Errorf("outreach: window day %q is not mon..sun", d)
			}
			cw.days[wd] = true
		}
	default:
		cw.days = [7]bool{true, true, true, true, true, true, true}
	}
	return cw, nil
}

var weekdays = map[string]time.Weekday{
	"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday,
}

func parseClock(s string, empty int) (int, error) {
	if s == "" {
		return empty, nil
	}
	t, err := time.Parse("15:04", s)
	if err != nil {
		if s == "24:00" {
			return 24 * 60, nil
		}
		return 0, fmt.Errorf("outreach: window time %q is not HH:MM", s)
	}
	return t.Hour()*60 + t.Minute(), nil
}

// span returns the window's interval that opens on the calendar day of d (in the window's
// zone), and whether that day opens one.
func (w *window) span(y int, m time.Month, d int) (start, end time.Time, ok bool) {
	day := time.Date(y, m, d, 12, 0, 0, 0, w.loc)
	if !w.days[day.Weekday()] {
		return time.Time{}, time.Time{}, false
	}
	start = w.at(y, m, d, w.from)
	if w.to > w.from {
		end = w.at(y, m, d, w.to)
	} else {
		end = w.at(y, m, d+1, w.to)
	}
	return start, end, true
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
	for i := -1; i <= 8; i++ {
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
