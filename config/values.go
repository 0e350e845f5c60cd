package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Duration is a time.Duration written in Go syntax plus "d" for days: "3d", "90s", "1d12h".
type Duration time.Duration

// D returns the value as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// String writes the duration back in the form a user would type, using days where whole.
func (d Duration) String() string {
	td := time.Duration(d)
	if td > 0 && td%(24*time.Hour) == 0 {
		return strconv.FormatInt(int64(td/(24*time.Hour)), 10) + "d"
	}
	return td.String()
}

// maxDays bounds the days of a duration so the sum cannot overflow: a century is more than
// any delay a sequence or a re-crawl needs.
const maxDays = 36500

// ParseDuration reads a duration in Go syntax extended with days ("3d", "1d12h", "90s").
// Negative durations are refused: every duration in the config is a wait.
func ParseDuration(s string) (Duration, error) {
	in := s
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, fmt.Errorf("empty duration")
	}
	var days time.Duration
	if i := strings.IndexByte(s, 'd'); i >= 0 {
		n, err := strconv.ParseFloat(s[:i], 64)
		if err != nil || !(n >= 0 && n <= maxDays) { // also false for NaN
			return 0, fmt.Errorf("%q is not a duration", in)
		}
		days = time.Duration(n * float64(24*time.Hour))
		s = s[i+1:]
		if s == "" {
			return Duration(days), nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 || days+d < days {
		return 0, fmt.Errorf("%q is not a duration", in)
	}
	return Duration(days + d), nil
}

// ParseRate reads a percentage ("2%", "0.5%") or "off". A share is above 0% and at most 100%.
func ParseRate(s string) (Rate, error) {
	t := strings.TrimSpace(s)
	if strings.EqualFold(t, "off") {
		return Rate{Off: true}, nil
	}
	num, ok := strings.CutSuffix(t, "%")
	f, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
	if !ok || err != nil || !(f > 0 && f <= 100) { // also false for NaN
		return Rate{}, fmt.Errorf("%q is not a rate; write a percentage above 0%% and at most 100%%, like 2%%, or off", s)
	}
	return Rate{Fraction: f / 100}, nil
}

// String writes the rate back as a user would: "2%" or "off".
func (r Rate) String() string {
	if r.Off {
		return "off"
	}
	return strconv.FormatFloat(r.Fraction*100, 'f', -1, 64) + "%"
}

// MarshalText writes the rate as String does, when a config is printed as JSON or YAML.
func (r Rate) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// Secret is a value that must never be printed: passwords, tokens, signing keys.
// Its String and GoString methods redact it, so it is safe in logs and error messages.
type Secret string

// Reveal returns the secret itself, for the one place that needs it.
func (s Secret) Reveal() string { return string(s) }

// String redacts the secret.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return "********"
}

// GoString redacts the secret in %#v output.
func (s Secret) GoString() string { return `"` + s.String() + `"` }

// MarshalText redacts the secret when a config is printed as JSON or YAML.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }
