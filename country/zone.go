package country

import (
	_ "embed"
	"strings"
	"sync"
	"time"

	"github.com/nyaruka/phonenumbers"
)

// zoneTab is tzdb's zone.tab (public domain): one line per time zone of a country, the
// country's most populous zone first.
//
//go:embed zone.tab
var zoneTab string

type zoneEntry struct {
	name    string // IANA name, "Europe/Lisbon"
	comment string // "Portugal (mainland)", "Eastern (most areas)"
}

var (
	zonesOnce sync.Once
	zonesBy   map[string][]zoneEntry // ISO code → its zones, in zone.tab's order
)

func zones() map[string][]zoneEntry {
	zonesOnce.Do(func() {
		zonesBy = map[string][]zoneEntry{}
		for _, line := range strings.Split(zoneTab, "\n") {
			if line == "" || line[0] == '#' {
				continue
			}
			f := strings.Split(line, "\t")
			if len(f) < 3 {
				continue
			}
			e := zoneEntry{name: f[2]}
			if len(f) > 3 {
				e.comment = f[3]
			}
			zonesBy[f[0]] = append(zonesBy[f[0]], e)
		}
	})
	return zonesBy
}

// Zone is the time zone a lead in country code keeps. A country with one civil time (or
// one that nearly all its people keep: "mainland", "most of") has its zone; a country
// that spans several (the US, Canada, Australia, Brazil, Russia …) is settled by the state
// or province its address names, the phone number's area code or the city's name, and
// otherwise not at all (ok false), so the caller falls back to a configured zone rather
// than guess.
func Zone(code, phone, address, city string) (*time.Location, bool) {
	code = strings.ToUpper(code)
	zs := zones()[code]
	if len(zs) == 0 {
		return nil, false
	}
	if name := mainZone(zs); name != "" {
		return load(name)
	}
	if name := regionZone(code, address); name != "" {
		return load(name)
	}
	if name := phoneZone(code, phone, zs); name != "" {
		return load(name)
	}
	if name := cityZone(city, zs); name != "" {
		return load(name)
	}
	return nil, false
}

func load(name string) (*time.Location, bool) {
	loc, err := time.LoadLocation(name)
	return loc, err == nil
}

// mainZone returns the zone a country keeps as a whole, or "" when it has several.
func mainZone(zs []zoneEntry) string {
	first := zs[0]
	if len(zs) == 1 || strings.HasPrefix(first.comment, "most of") || strings.Contains(first.comment, "(mainland)") {
		return first.name
	}
	ref, ok := load(first.name)
	if !ok {
		return ""
	}
	for _, z := range zs[1:] {
		loc, ok := load(z.name)
		if !ok || !sameOffsets(ref, loc) {
			return ""
		}
	}
	return first.name
}

// sameOffsets reports whether two zones keep the same clock in winter and in summer (of a
// fixed recent year, so the answer does not change with the day it is asked).
func sameOffsets(a, b *time.Location) bool {
	const year = 2026
	for _, m := range []time.Month{time.January, time.July} {
		t := time.Date(year, m, 15, 12, 0, 0, 0, time.UTC)
		_, oa := t.In(a).Zone()
		_, ob := t.In(b).Zone()
		if oa != ob {
			return false
		}
	}
	return true
}

// phoneZone uses libphonenumber's area-code map: a number whose prefix maps to one zone of
// the country gives that zone.
func phoneZone(code, phone string, zs []zoneEntry) string {
	num, ok := parsePhone(phone, code)
	if !ok {
		return ""
	}
	names, err := phonenumbers.GetTimezonesForNumber(num)
	if err != nil || len(names) != 1 {
		return ""
	}
	for _, z := range zs {
		if z.name == names[0] {
			return z.name
		}
	}
	// The map may name a zone that zone.tab links to another of the country's (a
	// backward name); trust it when Go knows it.
	if _, ok := load(names[0]); ok {
		return names[0]
	}
	return ""
}

// cityZone matches a city to the zone named after it ("Chicago" → America/Chicago).
func cityZone(city string, zs []zoneEntry) string {
	key := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(city)), " ", "_")
	if key == "" {
		return ""
	}
	for _, z := range zs {
		last := z.name[strings.LastIndexByte(z.name, '/')+1:]
		if strings.ToLower(last) == key {
			return z.name
		}
	}
	return ""
}
