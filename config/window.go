package config

import (
	"fmt"
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
	tz := strings.TrimSpace(w.Timezone)
	if tz == "" {
		tz = "UTC"
	}
	if loc, err := time.LoadLocation(tz); err != nil {
		add("timezone", "%q is not a time zone; write a name like Europe/Lisbon, America/New_York or UTC", w.Timezone)
	} else {
		w.Location = loc
	}
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

// Open reports whether t falls inside the window. Call Resolve (or load the config) first.
func (w *Window) Open(t time.Time) bool {
	if w.Location != nil {
		t = t.In(w.Location)
	}
	if len(w.Weekdays) > 0 {
		ok := false
		for _, d := range w.Weekdays {
			ok = ok || d == t.Weekday()
		}
		if !ok {
			return false
		}
	}
	m := t.Hour()*60 + t.Minute()
	return m >= w.FromMinute && m < w.ToMinute
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
