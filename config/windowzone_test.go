package config

import (
	"strings"
	"testing"
	"time"
)

func TestRecipientWindowConfig(t *testing.T) {
	recipient := strings.Replace(oneCampaign, "    mailboxes: [ana]\n",
		"    mailboxes: [ana]\n    window: {timezone: recipient, fallback_timezone: Europe/Lisbon, days: [mon, tue, wed, thu, fri], from: \"09:00\", to: \"17:00\", holidays: [pt, recipient]}\n", 1)
	c, err := inline(t, recipient, nil)
	if err != nil {
		t.Fatal(err)
	}
	w := c.Campaigns[0].Window
	if !w.Recipient || w.Location.String() != "Europe/Lisbon" || !w.RecipientHolidays || strings.Join(w.HolidayCodes, ",") != "PT" {
		t.Errorf("resolved %+v", w)
	}
	scalar := strings.Replace(recipient, "holidays: [pt, recipient]", "holidays: recipient", 1)
	if c, err := inline(t, scalar, nil); err != nil || !c.Campaigns[0].Window.RecipientHolidays {
		t.Errorf("holidays: recipient: %v", err)
	}

	cases := []struct{ name, from, to, want string }{
		{"no fallback", "fallback_timezone: Europe/Lisbon, ", "", "campaigns[0].window.fallback_timezone: is required with timezone: recipient"},
		{"bad fallback", "Europe/Lisbon", "Europe/Lisbn", `campaigns[0].window.fallback_timezone: "Europe/Lisbn" is not a time zone`},
		{"fallback without recipient", "timezone: recipient", "timezone: UTC", "fallback_timezone: is only used with timezone: recipient"},
		{"a country without known holidays", "[pt, recipient]", "[pt, EG]", "holidays[1]: the public holidays of EG are not known; known: AR, AT"},
		{"not a country", "[pt, recipient]", "[Portugal]", `holidays[0]: "Portugal" is not a country code`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := inline(t, strings.Replace(recipient, tc.from, tc.to, 1), nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want %q", err, tc.want)
			}
		})
	}
}

func TestVariantsConfig(t *testing.T) {
	ok := strings.Replace(oneCampaign, "      - {subject: Hi, template: broken/templates/ok.txt}\n",
		"      - variants:\n          - {subject: Hi, template: broken/templates/ok.txt}\n          - {subject: Hello, template: broken/templates/ok.txt, weight: 3}\n", 1)
	c, err := inline(t, ok, nil)
	if err != nil {
		t.Fatal(err)
	}
	vs := c.Campaigns[0].Steps[0].Variants
	if len(vs) != 2 || vs[0].Weight != 1 || vs[1].Weight != 3 {
		t.Errorf("variants %+v", vs)
	}
	cases := []struct{ name, from, to, want string }{
		{"missing template", "{subject: Hello, template: broken/templates/ok.txt, weight: 3}", "{subject: Hello, weight: 3}", "steps[0].variants[1].template: is required"},
		{"missing file", "{subject: Hello, template: broken/templates/ok.txt, weight: 3}", "{subject: Hello, template: nope.txt}", "steps[0].variants[1].template: the file nope.txt does not exist"},
		{"bad subject", "{subject: Hi, template", "{subject: \"{{.Lead.Name\", template", "steps[0].variants[0].subject: is not a valid template"},
		{"first step without a subject", "{subject: Hi, template", "{template", "steps[0].variants[0].subject: is required for the first step"},
		{"negative weight", "weight: 3", "weight: -1", "steps[0].variants[1].weight: must not be negative"},
		{"no weight", "{subject: Hi, template: broken/templates/ok.txt}\n          - {subject: Hello, template: broken/templates/ok.txt, weight: 3}",
			"{subject: Hi, template: broken/templates/ok.txt, weight: 0}\n          - {subject: Hello, template: broken/templates/ok.txt, weight: 0}", "steps[0].variants: needs a variant with a weight above 0"},
		{"template and variants", "      - variants:\n", "      - template: broken/templates/ok.txt\n        variants:\n", "steps[0].template: cannot be used with variants"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := inline(t, strings.Replace(ok, tc.from, tc.to, 1), nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want %q", err, tc.want)
			}
		})
	}
}

// TestRecipientWindowsAcrossDST: the same window (09:00-17:00, Monday to Friday) in the
// zones of three recipients, on the days their clocks change.
func TestRecipientWindowsAcrossDST(t *testing.T) {
	base := &Window{Timezone: "recipient", FallbackTimezone: "Europe/Lisbon", Days: []string{"mon", "tue", "wed", "thu", "fri"}, From: "09:00", To: "17:00"}
	if err := base.Resolve(); err != nil {
		t.Fatal(err)
	}
	lis, ny, syd := mustLocation(t, "Europe/Lisbon"), mustLocation(t, "America/New_York"), mustLocation(t, "Australia/Sydney")
	cases := []struct {
		name string
		loc  *time.Location
		at   time.Time
		want time.Time
	}{
		// New York springs forward on Sunday 8 March 2026: Monday opens at 13:00 UTC, not 14:00.
		{"New York after spring forward", ny, time.Date(2026, 3, 6, 22, 30, 0, 0, time.UTC), time.Date(2026, 3, 9, 13, 0, 0, 0, time.UTC)},
		{"New York before it", ny, time.Date(2026, 3, 5, 22, 30, 0, 0, time.UTC), time.Date(2026, 3, 6, 14, 0, 0, 0, time.UTC)},
		// Lisbon on 29 March 2026: Monday opens at 08:00 UTC.
		{"Lisbon after spring forward", lis, time.Date(2026, 3, 27, 18, 0, 0, 0, time.UTC), time.Date(2026, 3, 30, 8, 0, 0, 0, time.UTC)},
		// Sydney falls back on Sunday 5 April 2026 (UTC+11 → UTC+10): Monday 09:00 is 23:00 UTC Sunday.
		{"Sydney after fall back", syd, time.Date(2026, 4, 3, 7, 0, 0, 0, time.UTC), time.Date(2026, 4, 5, 23, 0, 0, 0, time.UTC)},
		{"Sydney before it", syd, time.Date(2026, 4, 1, 7, 0, 0, 0, time.UTC), time.Date(2026, 4, 1, 22, 0, 0, 0, time.UTC)},
		{"unknown zone: the fallback", nil, time.Date(2026, 1, 12, 8, 0, 0, 0, time.UTC), time.Date(2026, 1, 12, 9, 0, 0, 0, time.UTC)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := base.For(tc.loc, "")
			if got := w.Next(tc.at); !got.Equal(tc.want) {
				t.Errorf("Next(%s) = %s, want %s", tc.at, got.UTC(), tc.want)
			}
			if w.Open(tc.at) {
				t.Errorf("open at %s", tc.at)
			}
		})
	}
	if base.Location.String() != lis.String() {
		t.Error("For changed the campaign's window")
	}
}

// TestWindowHolidays: fixed and moving public holidays (Easter, Corpus Christi,
// Thanksgiving) of several countries, the window's own list and the recipient's.
func TestWindowHolidays(t *testing.T) {
	lis := mustLocation(t, "Europe/Lisbon")
	mk := func(holidays ...string) *Window {
		w := &Window{Timezone: "Europe/Lisbon", Days: []string{"mon", "tue", "wed", "thu", "fri"}, From: "09:00", To: "17:00", Holidays: holidays}
		if err := w.Resolve(); err != nil {
			t.Fatal(err)
		}
		return w
	}
	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 8, 0, 0, 0, lis) }
	open := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 9, 0, 0, 0, lis) }
	cases := []struct {
		name string
		w    *Window
		at   time.Time
		want time.Time
	}{
		{"PT Good Friday (Easter 5 April 2026)", mk("PT"), day(time.April, 3), open(time.April, 6)},
		{"ES keeps Easter Monday working in the national list", mk("ES"), day(time.April, 6), open(time.April, 6)},
		{"DE Easter Monday", mk("DE"), day(time.April, 6), open(time.April, 7)},
		{"PT Corpus Christi (4 June 2026)", mk("PT"), day(time.June, 4), open(time.June, 5)},
		{"PT Dia de Portugal", mk("PT"), day(time.June, 10), open(time.June, 11)},
		{"PT and ES: ES Epiphany", mk("PT", "ES"), day(time.January, 6), open(time.January, 7)},
		{"PT only: Epiphany is a working day", mk("PT"), day(time.January, 6), open(time.January, 6)},
		{"US Thanksgiving (26 Nov 2026)", mk("US"), day(time.November, 26), open(time.November, 27)},
		{"Christmas and a weekend", mk("GB"), time.Date(2026, 12, 24, 18, 0, 0, 0, lis), open(time.December, 29)},
		{"recipient's own: DE lead at Easter", mk("recipient").For(nil, "DE"), day(time.April, 6), open(time.April, 7)},
		{"recipient's own: PT lead at Easter Monday", mk("recipient").For(nil, "PT"), day(time.April, 6), open(time.April, 6)},
		{"recipient's own: no country known", mk("recipient"), day(time.April, 3), open(time.April, 3)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.w.Next(tc.at); !got.Equal(tc.want) {
				t.Errorf("Next(%s) = %s, want %s", tc.at, got.In(lis), tc.want)
			}
		})
	}
}
