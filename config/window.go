package config

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // time zones must load on machines without system zoneinfo
)

// dayNames maps what users write in window.days to weekdays.
var dayNames = map[string]time.Weekday{
	"sun": time.Sunday, "sunday": time.Sunday,
	"mon": time.Monday, "monday": time.Monday,
	"tue": time.Tuesday, "tues": time.Tuesday, "tuesday": time.Tuesday,
	"wed": time.Wednesday, "wednesday": time.Wednesday,
	"thu": time.Thursday, "thur": time.Thursday, "thurs": time.Thursday, "thursday": time.Thursday,
	"fri": time.Friday, "friday": time.Friday,
	"sat": time.Saturday, "saturday": time.Saturday,
}

// Resolve checks the window and fills Location, FromMinute, ToMinute and Weekdays from
// Timezone, From, To and Days. Load does this for every campaign; code that builds a
// Window by hand calls it before use.
func (w *Window) Resolve() error {
	problems := w.resolve()
	if len(problems) == 0 {
		return nil
	}
	msgs := make([]string, len(problems))
	for i, p := range problems {
		msgs[i] = p.path + ": " + p.msg
	}
	return fmt.Errorf("config: window: %s", strings.Join(msgs, "; "))
}

// resolve is Resolve with the problems kept apart, with paths relative to the window.
func (w *Window) resolve() []problem {
	var problems []problem
	add := func(path, format string, args ...any) {
		problems = append(problems, problem{path, fmt.Sprintf(format, args...)})
	}
	w.resolveZone(add)
	w.Weekdays = w.Weekdays[:0]
	seen := map[time.Weekday]bool{}
	for i, d := range w.Days {
		wd, ok := dayNames[strings.ToLower(strings.TrimSpace(d))]
		if !ok {
			add(fmt.Sprintf("days[%d]", i), "%q is not a day; write mon, tue, wed, thu, fri, sat or sun", d)
			continue
		}
		if !seen[wd] {
			w.Weekdays = append(w.Weekdays, wd)
			seen[wd] = true
		}
	}
	from, okFrom := clockMinute(w.From, "00:00")
	if !okFrom {
		add("from", "%q is not a time of day; write it like 09:00", w.From)
	}
	to, okTo := clockMinute(w.To, "24:00")
	if !okTo {
		add("to", "%q is not a time of day; write it like 17:00", w.To)
	}
	if okFrom && okTo {
		if from >= to {
			add("to", "must be later than from (%s); a window cannot cross midnight", w.From)
		}
		w.FromMinute, w.ToMinute = from, to
	}
	return problems
}

// Open reports whether t falls inside the window; a nil window is always open. Call
// Resolve (or load the config) first.
func (w *Window) Open(t time.Time) bool { return w == nil || w.Next(t).Equal(t) }

// Next returns the earliest instant at or after t inside the window: t itself when it is
// inside, or when the window is nil ("any time"). Days and times are those of the
// window's timezone, across DST changes. Call Resolve (or load the config) first.
func (w *Window) Next(t time.Time) time.Time {
	if w == nil {
		return t
	}
	local := t.In(w.loc())
	y, m, d := local.Date()
	for i := 0; i <= 40; i++ { // weekends and holidays (a week of them, at Christmas)
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

func (w *Window) loc() *time.Location {
	if w.Location == nil {
		return time.UTC
	}
	return w.Location
}

// span returns the window's interval that opens on the calendar day y-m-d (in the window's
// zone), and whether that day opens one.
func (w *Window) span(y int, m time.Month, d int) (start, end time.Time, ok bool) {
	day := time.Date(y, m, d, 12, 0, 0, 0, w.loc())
	if len(w.Weekdays) > 0 && !slices.Contains(w.Weekdays, day.Weekday()) || w.holiday(day) {
		return time.Time{}, time.Time{}, false
	}
	return w.at(y, m, d, w.FromMinute), w.at(y, m, d, w.ToMinute), true
}

// at returns the instant a wall clock in the window's zone shows minute of the day on that
// date. A time skipped by a DST change becomes the first instant after the gap (02:30 on a
// day that jumps from 02:00 to 03:00 is 03:30), as a person reading a clock would say.
func (w *Window) at(y int, m time.Month, d, minute int) time.Time {
	loc := w.loc()
	t := time.Date(y, m, d, minute/60, minute%60, 0, 0, loc)
	if minute >= 24*60 {
		return t
	}
	if got := t.Hour()*60 + t.Minute(); got < minute && t.Day() == time.Date(y, m, d, 12, 0, 0, 0, loc).Day() {
		t = t.Add(time.Duration(minute-got) * time.Minute)
	}
	return t
}

// clockMinute reads "HH:MM" (or "H:MM") as minutes after midnight; "24:00" is the end of
// the day. An empty value is def.
func clockMinute(s, def string) (int, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		s = def
	}
	hh, mm, ok := strings.Cut(s, ":")
	if !ok || len(mm) != 2 || len(hh) < 1 || len(hh) > 2 {
		return 0, false
	}
	h, err1 := strconv.Atoi(hh)
	m, err2 := strconv.Atoi(mm)
	if err1 != nil || err2 != nil || h < 0 || m < 0 || m > 59 || h > 24 || (h == 24 && m != 0) {
		return 0, false
	}
	return h*60 + m, true
}
