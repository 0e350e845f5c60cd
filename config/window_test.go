package config

import (
	"testing"
	"time"
)

func mustLocation(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Skipf("no tzdata for %s: %v", name, err)
	}
	return loc
}

func TestWindowNextAcrossDST(t *testing.T) {
	lis := mustLocation(t, "Europe/Lisbon")
	ny := mustLocation(t, "America/New_York")
	weekdays := &Window{Timezone: "Europe/Lisbon", Days: []string{"mon", "tue", "wed", "thu", "fri"}, From: "09:00", To: "17:00"}
	cases := []struct {
		name string
		w    *Window
		at   time.Time
		want time.Time
	}{
		{"inside", weekdays, time.Date(2026, 1, 12, 10, 0, 0, 0, lis), time.Date(2026, 1, 12, 10, 0, 0, 0, lis)},
		{"before opening", weekdays, time.Date(2026, 1, 12, 7, 30, 0, 0, lis), time.Date(2026, 1, 12, 9, 0, 0, 0, lis)},
		{"at closing", weekdays, time.Date(2026, 1, 12, 17, 0, 0, 0, lis), time.Date(2026, 1, 13, 9, 0, 0, 0, lis)},
		{"friday evening to monday", weekdays, time.Date(2026, 1, 16, 18, 0, 0, 0, lis), time.Date(2026, 1, 19, 9, 0, 0, 0, lis)},
		{"saturday", weekdays, time.Date(2026, 1, 17, 12, 0, 0, 0, lis), time.Date(2026, 1, 19, 9, 0, 0, 0, lis)},
		{"given in another zone", weekdays, time.Date(2026, 1, 12, 6, 0, 0, 0, ny), time.Date(2026, 1, 12, 11, 0, 0, 0, lis)},
		// Lisbon moves to summer time on Sunday 29 March 2026 at 01:00 (→ 02:00).
		{"monday after spring forward", weekdays, time.Date(2026, 3, 28, 12, 0, 0, 0, lis), time.Date(2026, 3, 30, 9, 0, 0, 0, lis)},
		// ... and back on Sunday 25 October 2026 at 02:00 (→ 01:00).
		{"monday after fall back", weekdays, time.Date(2026, 10, 24, 12, 0, 0, 0, lis), time.Date(2026, 10, 26, 9, 0, 0, 0, lis)},
		// New York springs forward on 8 March 2026 at 02:00: 02:30 does not exist that day.
		{"opening inside the DST gap", &Window{Timezone: "America/New_York", From: "02:30", To: "05:00"},
			time.Date(2026, 3, 8, 0, 0, 0, 0, ny), time.Date(2026, 3, 8, 3, 30, 0, 0, ny)},
		{"the day after the gap", &Window{Timezone: "America/New_York", From: "02:30", To: "05:00"},
			time.Date(2026, 3, 8, 6, 0, 0, 0, ny), time.Date(2026, 3, 9, 2, 30, 0, 0, ny)},
		{"no window", nil, time.Date(2026, 1, 17, 3, 0, 0, 0, time.UTC), time.Date(2026, 1, 17, 3, 0, 0, 0, time.UTC)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w, err := resolved(tc.w)
			if err != nil {
				t.Fatal(err)
			}
			got := w.Next(tc.at)
			if !got.Equal(tc.want) {
				t.Fatalf("Next(%s) = %s, want %s", tc.at, got.In(tc.want.Location()), tc.want)
			}
			if !w.Open(got) {
				t.Fatalf("Next(%s) = %s is not inside the window", tc.at, got)
			}
		})
	}
}

// TestFollowUpAcrossDST: a 3-day follow-up sent on the Friday before the autumn change
// lands on Monday at opening time, local wall clock, not an hour off.
func TestFollowUpAcrossDST(t *testing.T) {
	lis := mustLocation(t, "Europe/Lisbon")
	w, err := resolved(&Window{Timezone: "Europe/Lisbon", Days: []string{"mon", "tue", "wed", "thu", "fri"}, From: "09:00", To: "17:00"})
	if err != nil {
		t.Fatal(err)
	}
	sent := time.Date(2026, 10, 23, 16, 30, 0, 0, lis) // Friday, summer time
	got := w.Next(sent.Add(3 * 24 * time.Hour))        // Monday 15:30 winter time
	if want := time.Date(2026, 10, 26, 15, 30, 0, 0, lis); !got.Equal(want) {
		t.Fatalf("follow-up due %s, want %s", got, want)
	}
	sent = time.Date(2026, 10, 22, 16, 59, 0, 0, lis) // Thursday: +3d is Sunday
	if got, want := w.Next(sent.Add(3*24*time.Hour)), time.Date(2026, 10, 26, 9, 0, 0, 0, lis); !got.Equal(want) {
		t.Fatalf("follow-up due %s, want %s", got, want)
	}
}

func TestWindowInvalid(t *testing.T) {
	for name, w := range map[string]*Window{
		"zone":  {Timezone: "Mars/Olympus"},
		"day":   {Days: []string{"someday"}},
		"time":  {From: "9am"},
		"empty": {From: "10:00", To: "09:00"},
	} {
		if _, err := resolved(w); err == nil {
			t.Errorf("%s: invalid window accepted", name)
		}
	}
}

// resolved resolves a copy of w, as Load does for every campaign; nil stays nil.
func resolved(w *Window) (*Window, error) {
	if w == nil {
		return nil, nil
	}
	c := *w
	if err := c.Resolve(); err != nil {
		return nil, err
	}
	return &c, nil
}
