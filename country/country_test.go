package country

import (
	"testing"
	"time"
)

func TestDetect(t *testing.T) {
	tests := []struct {
		name                   string
		phone, address, domain string
		wantCode, wantFrom     string
	}{
		{"international phone wins", "+49 7721 123456", "", "example.com", "DE", FromPhone},
		{"00 prefix", "0033 1 42 68 53 00", "", "", "FR", FromPhone},
		{"national phone valid in the domain's country", "07721 123456", "", "https://www.example.de/", "DE", FromPhone},
		{"national phone valid in the address's country", "(415) 555-0132", "1 Main St, San Francisco, CA 94103", "", "US", FromPhone},
		{"address names its country", "", "Rua Augusta 1, 1100-048 Lisboa, Portugal", "", "PT", FromAddress},
		{"address in the country's own language", "", "Hauptstraße 5, 1010 Wien, Österreich", "", "AT", FromAddress},
		{"address with a vehicle prefix", "", "Bahnhofstr. 3, D-78050 Villingen", "", "DE", FromAddress},
		{"australian state and postcode", "", "12 Sheridan St, Cairns QLD 4870", "", "AU", FromAddress},
		{"uk postcode", "", "10 Downing Street, London SW1A 2AA", "", "GB", FromAddress},
		{"dutch postcode", "", "Damrak 1, 1012 LG Amsterdam", "", "NL", FromAddress},
		{"domain tld", "", "", "https://bakkerij.nl/contact", "NL", FromDomain},
		{"uk domain", "", "", "shop.example.co.uk", "GB", FromDomain},
		{"email domain", "", "", "info@example.it", "IT", FromDomain},
		{"generic cctld says nothing", "", "", "startup.io", "", ""},
		{"generic tld says nothing", "", "", "example.com", "", ""},
		{"national phone without a hint says nothing", "07721 123456", "", "example.com", "", ""},
		{"invalid phone is ignored", "+49 1", "", "example.fr", "FR", FromDomain},
		{"a state is no country", "", "Bickenstr. 12, 78050 Villingen-Schwenningen, BW", "", "", ""},
		{"nor a US state", "", "500 Market St, San Francisco, CA", "", "", ""},
		{"nothing", "", "", "", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, from := Detect(tc.phone, tc.address, tc.domain)
			if code != tc.wantCode || from != tc.wantFrom {
				t.Errorf("Detect(%q, %q, %q) = %q, %q; want %q, %q", tc.phone, tc.address, tc.domain, code, from, tc.wantCode, tc.wantFrom)
			}
		})
	}
}

func TestZone(t *testing.T) {
	tests := []struct {
		name, code, phone, address, city string
		want                             string // "" for none
	}{
		{"single zone", "DE", "", "", "", "Europe/Berlin"},
		{"mainland zone", "PT", "", "", "", "Europe/Lisbon"},
		{"several zones of one clock", "AR", "", "", "", "America/Argentina/Buenos_Aires"},
		{"several clocks, no hint", "US", "", "", "", ""},
		{"several clocks, phone area", "US", "+1 312 555 0100", "", "", "America/Chicago"},
		{"several clocks, city", "AU", "", "", "Perth", "Australia/Perth"},
		{"several clocks, state in the address", "AU", "(07) 4051 2345", "12 Sheridan St, Cairns QLD 4870", "", "Australia/Brisbane"},
		{"state before the zip", "US", "", "500 Congress Ave, Austin, TX 78701", "", "America/Chicago"},
		{"province", "CA", "", "1 King St W, Toronto, ON M5V 3L9", "", "America/Toronto"},
		{"unknown country", "XX", "", "", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			loc, ok := Zone(tc.code, tc.phone, tc.address, tc.city)
			got := ""
			if ok {
				got = loc.String()
			}
			if got != tc.want {
				t.Errorf("Zone(%q, %q, %q, %q) = %q; want %q", tc.code, tc.phone, tc.address, tc.city, got, tc.want)
			}
		})
	}
}

func TestHoliday(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 10, 0, 0, 0, time.UTC) }
	tests := []struct {
		name string
		code string
		day  time.Time
		want bool
	}{
		{"german unity day", "DE", day(2026, time.October, 3), true},
		{"good friday moves with easter 2026", "DE", day(2026, time.April, 3), true},
		{"good friday moves with easter 2027", "DE", day(2027, time.March, 26), true},
		{"the day before good friday", "DE", day(2026, time.April, 2), false},
		{"easter monday in the uk", "GB", day(2027, time.March, 29), true},
		{"thanksgiving", "US", day(2026, time.November, 26), true},
		{"us on german unity day", "US", day(2026, time.October, 3), false},
		{"portugal day", "PT", day(2026, time.June, 10), true},
		{"corpus christi in portugal", "pt", day(2026, time.June, 4), true},
		{"australia day", "AU", day(2027, time.January, 26), true},
		{"a working day", "FR", day(2026, time.December, 2), false},
		{"unknown country", "XX", day(2026, time.January, 1), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			name, ok := Holiday(tc.code, tc.day)
			if ok != tc.want {
				t.Errorf("Holiday(%q, %s) = %q, %v; want %v", tc.code, tc.day.Format("2006-01-02"), name, ok, tc.want)
			}
		})
	}
}

func TestHolidayFollowsTheLocalDate(t *testing.T) {
	// 23:30 on 2 October in UTC is already 3 October in Berlin.
	berlin, _ := time.LoadLocation("Europe/Berlin")
	at := time.Date(2026, time.October, 2, 23, 30, 0, 0, time.UTC)
	if _, ok := Holiday("DE", at); ok {
		t.Fatal("2 October UTC counted as a holiday")
	}
	if _, ok := Holiday("DE", at.In(berlin)); !ok {
		t.Fatal("3 October in Berlin not counted as a holiday")
	}
}

func TestCode(t *testing.T) {
	for in, want := range map[string]string{"pt": "PT", " GB ": "GB", "UK": "GB", "uk": "GB", "XX": "", "Germany": "", "": ""} {
		if got := Code(in); got != want {
			t.Errorf("Code(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzDetect(f *testing.F) {
	f.Add("+49 7721 123456", "Rua Augusta 1, 1100-048 Lisboa, Portugal", "https://example.de")
	f.Fuzz(func(t *testing.T, phone, address, domain string) {
		code, from := Detect(phone, address, domain)
		if (code == "") != (from == "") || (code != "" && !Valid(code)) {
			t.Fatalf("Detect = %q, %q", code, from)
		}
	})
}
