package config

import (
	"fmt"
	"strings"
	"time"

	"github.com/clientele/clientele/country"
)

// RecipientZone is the window.timezone (and the window.holidays entry) that means "the
// lead's own": its local time, its country's public holidays.
const RecipientZone = "recipient"

// Holidays is window.holidays: a list of country codes and the word recipient, or that
// word alone (holidays: recipient).
type Holidays []string

// resolveZone fills Location, Recipient, HolidayCodes and RecipientHolidays from
// Timezone, FallbackTimezone and Holidays. With timezone recipient, Location is the
// fallback zone: the zone of a lead whose own cannot be told, and the one the campaign's
// mailboxes count their days (daily_limit) in.
func (w *Window) resolveZone(add func(path, format string, args ...any)) {
	tz := strings.TrimSpace(w.Timezone)
	fallback := strings.TrimSpace(w.FallbackTimezone)
	w.Recipient = strings.EqualFold(tz, RecipientZone)
	if w.Recipient {
		tz = fallback
		if tz == "" {
			add("fallback_timezone", "is required with timezone: recipient: the zone of leads whose own cannot be told (and of the mailboxes' days), like Europe/Lisbon")
		}
	} else if fallback != "" {
		add("fallback_timezone", "is only used with timezone: recipient; remove it, or write timezone: recipient")
	}
	if tz == "" && !w.Recipient {
		tz = "UTC"
	}
	if tz != "" {
		if loc, err := time.LoadLocation(tz); err != nil {
			key, written := "timezone", w.Timezone
			if w.Recipient {
				key, written = "fallback_timezone", w.FallbackTimezone
			}
			add(key, "%q is not a time zone; write a name like Europe/Lisbon, America/New_York or UTC%s", written,
				map[bool]string{true: "", false: ", or recipient"}[w.Recipient])
		} else {
			w.Location = loc
		}
	}
	w.HolidayCodes, w.RecipientHolidays = nil, false
	for i, h := range w.Holidays {
		code := strings.ToUpper(strings.TrimSpace(h))
		switch {
		case strings.EqualFold(code, RecipientZone):
			w.RecipientHolidays = true
		case country.HasHolidays(code):
			w.HolidayCodes = append(w.HolidayCodes, code)
		case country.Valid(code):
			add(fmt.Sprintf("holidays[%d]", i), "the public holidays of %s are not known; known: %s, or recipient",
				code, strings.Join(country.HolidayCountries(), ", "))
		default:
			add(fmt.Sprintf("holidays[%d]", i), "%q is not a country code; write two-letter ISO codes like PT or ES (known: %s), or recipient",
				h, strings.Join(country.HolidayCountries(), ", "))
		}
	}
}

// For returns the window as it applies to one lead: its days and hours in loc (nil keeps
// the window's own zone) and, when the window skips the recipient's holidays, those of
// country code. The window itself is not changed.
func (w *Window) For(loc *time.Location, code string) *Window {
	c := *w
	if loc != nil {
		c.Location = loc
	}
	c.Country = strings.ToUpper(code)
	return &c
}

// holiday reports whether the calendar day of day (in the window's zone) is a public
// holiday the window skips.
func (w *Window) holiday(day time.Time) bool {
	for _, code := range w.HolidayCodes {
		if _, ok := country.Holiday(code, day); ok {
			return true
		}
	}
	if w.RecipientHolidays && w.Country != "" {
		if _, ok := country.Holiday(w.Country, day); ok {
			return true
		}
	}
	return false
}
