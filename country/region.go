package country

import (
	"regexp"
	"strings"
)

// regionZones maps the state or province abbreviations that addresses in countries of
// several clocks end with to the zone most of that region keeps (a state split between
// two zones gets the one most of its people keep).
var regionZones = map[string]map[string]string{
	"AU": {
		"NSW": "Australia/Sydney", "ACT": "Australia/Sydney", "VIC": "Australia/Melbourne",
		"QLD": "Australia/Brisbane", "SA": "Australia/Adelaide", "WA": "Australia/Perth",
		"TAS": "Australia/Hobart", "NT": "Australia/Darwin",
	},
	"CA": {
		"BC": "America/Vancouver", "AB": "America/Edmonton", "SK": "America/Regina",
		"MB": "America/Winnipeg", "ON": "America/Toronto", "QC": "America/Toronto",
		"NB": "America/Moncton", "NS": "America/Halifax", "PE": "America/Halifax",
		"NL": "America/St_Johns", "YT": "America/Whitehorse", "NT": "America/Yellowknife",
		"NU": "America/Iqaluit",
	},
	"US": {
		"AL": "America/Chicago", "AK": "America/Anchorage", "AZ": "America/Phoenix", "AR": "America/Chicago",
		"CA": "America/Los_Angeles", "CO": "America/Denver", "CT": "America/New_York", "DE": "America/New_York",
		"DC": "America/New_York", "FL": "America/New_York", "GA": "America/New_York", "HI": "Pacific/Honolulu",
		"ID": "America/Boise", "IL": "America/Chicago", "IN": "America/Indiana/Indianapolis", "IA": "America/Chicago",
		"KS": "America/Chicago", "KY": "America/New_York", "LA": "America/Chicago", "ME": "America/New_York",
		"MD": "America/New_York", "MA": "America/New_York", "MI": "America/Detroit", "MN": "America/Chicago",
		"MS": "America/Chicago", "MO": "America/Chicago", "MT": "America/Denver", "NE": "America/Chicago",
		"NV": "America/Los_Angeles", "NH": "America/New_York", "NJ": "America/New_York", "NM": "America/Denver",
		"NY": "America/New_York", "NC": "America/New_York", "ND": "America/Chicago", "OH": "America/New_York",
		"OK": "America/Chicago", "OR": "America/Los_Angeles", "PA": "America/New_York", "RI": "America/New_York",
		"SC": "America/New_York", "SD": "America/Chicago", "TN": "America/Chicago", "TX": "America/Chicago",
		"UT": "America/Denver", "VT": "America/New_York", "VA": "America/New_York", "WA": "America/Los_Angeles",
		"WV": "America/New_York", "WI": "America/Chicago", "WY": "America/Denver",
	},
}

// regionWord finds upper-case abbreviations followed by a postal code or ending a part of
// the address: "Cairns QLD 4870", "Austin, TX 78701", "Toronto, ON M5V 3L9".
var regionWord = regexp.MustCompile(`\b([A-Z]{2,3})(?:\s+[0-9A-Z]{3,5}(?:[\s-][0-9A-Z]{3,4})?)?\s*(?:,|$)`)

// regionZone returns the zone of the region an address of country code names, or "".
func regionZone(code, address string) string {
	regions := regionZones[code]
	if regions == nil || len(address) > 1000 {
		return ""
	}
	ms := regionWord.FindAllStringSubmatch(strings.TrimSpace(address), -1)
	for i := len(ms) - 1; i >= 0; i-- {
		if z, ok := regions[ms[i][1]]; ok {
			return z
		}
	}
	return ""
}
