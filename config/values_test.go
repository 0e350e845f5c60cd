package config

import (
	"reflect"
	"testing"
	"time"
)

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"3d", 72 * time.Hour, true},
		{"90s", 90 * time.Second, true},
		{"1d12h", 36 * time.Hour, true},
		{"1.5d", 36 * time.Hour, true},
		{" 4m ", 4 * time.Minute, true},
		{"0", 0, true},
		{"", 0, false},
		{"3 days", 0, false},
		{"-1h", 0, false},
		{"-1d", 0, false},
		{"1d-1h", 0, false},
		{"NaNd", 0, false},
		{"Infd", 0, false},
		{"99999999d", 0, false},
		{"36500d2562047h", 0, false},
		{"d", 0, false},
		{"5m3d", 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseDuration(tc.in)
			if (err == nil) != tc.ok || (tc.ok && got.D() != tc.want) {
				t.Errorf("ParseDuration(%q) = %v, %v; want %v ok=%v", tc.in, got, err, tc.want, tc.ok)
			}
		})
	}
}

func TestDurationMessage(t *testing.T) {
	tests := []struct{ in, want string }{
		{"3 days", `"3 days" is not a duration; write 3d`},
		{"2 weeks", `"2 weeks" is not a duration; write 14d`},
		{"90 Seconds", `"90 Seconds" is not a duration; write 90s`},
		{"1.5 hours", `"1.5 hours" is not a duration; write 1.5h`},
		{"4mins", `"4mins" is not a duration; write 4m`},
		{"10", `"10" is not a duration; add a unit, like 10s, 10m, 10h or 10d`},
		{"soon", `"soon" is not a duration; write it like 90s, 4m, 1h30m or 3d`},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := durationMessage(tc.in); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestDurationString(t *testing.T) {
	for _, tc := range []struct {
		d    Duration
		want string
	}{{Duration(72 * time.Hour), "3d"}, {Duration(90 * time.Second), "1m30s"}, {0, "0s"}} {
		if got := tc.d.String(); got != tc.want {
			t.Errorf("%d: got %q, want %q", tc.d, got, tc.want)
		}
	}
}

func TestNearest(t *testing.T) {
	keys := []string{"host", "port", "security", "username", "password", "folders"}
	tests := []struct{ in, want string }{
		{"pasword", "password"},
		{"Username", "username"},
		{"securty", "security"},
		{"prot", "port"},
		{"colour", ""},
		{"x", ""},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := nearest(tc.in, keys); got != tc.want {
				t.Errorf("nearest(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestWindow(t *testing.T) {
	w := &Window{Timezone: "Europe/Lisbon", Days: []string{"mon", "Friday"}, From: "9:00", To: "17:30"}
	if err := w.Resolve(); err != nil {
		t.Fatal(err)
	}
	lisbon := w.Location
	tests := []struct {
		name string
		at   time.Time
		want bool
	}{
		{"monday morning", time.Date(2026, 3, 2, 9, 0, 0, 0, lisbon), true},
		{"monday before", time.Date(2026, 3, 2, 8, 59, 0, 0, lisbon), false},
		{"friday end is excluded", time.Date(2026, 3, 6, 17, 30, 0, 0, lisbon), false},
		{"friday just before end", time.Date(2026, 3, 6, 17, 29, 0, 0, lisbon), true},
		{"tuesday", time.Date(2026, 3, 3, 12, 0, 0, 0, lisbon), false},
		{"monday in another zone", time.Date(2026, 3, 2, 16, 0, 0, 0, time.FixedZone("X", 5*3600)), true},
		{"monday morning elsewhere is still early in Lisbon", time.Date(2026, 3, 2, 12, 0, 0, 0, time.FixedZone("X", 5*3600)), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := w.Open(tc.at); got != tc.want {
				t.Errorf("Open(%v) = %v, want %v", tc.at, got, tc.want)
			}
		})
	}
	bad := &Window{Timezone: "Mars/Base", From: "18:00", To: "08:00"}
	if err := bad.Resolve(); err == nil {
		t.Error("a bad window resolved")
	}
}

// TestSchemaHasDecoders walks every yaml field of Config and checks the decoder knows its
// kind, so a new field of an unsupported type fails here and not in a user's config check.
func TestSchemaHasDecoders(t *testing.T) {
	var walk func(t *testing.T, typ reflect.Type, path string)
	walk = func(t *testing.T, typ reflect.Type, path string) {
		switch {
		case typ == durationType, typ == rateType, typ.Kind() == reflect.String, typ.Kind() == reflect.Int, typ.Kind() == reflect.Bool:
		case typ.Kind() == reflect.Slice, typ.Kind() == reflect.Pointer:
			walk(t, typ.Elem(), path+"[]")
		case typ.Kind() == reflect.Struct:
			for name, i := range yamlFields(typ) {
				walk(t, typ.Field(i).Type, path+"."+name)
			}
		default:
			t.Errorf("%s: the decoder cannot read a %s", path, typ)
		}
	}
	walk(t, reflect.TypeOf(Config{}), "")
}
