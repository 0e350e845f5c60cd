// Package country tells where a lead is: its country (ISO 3166-1 alpha-2), read from its
// phone number, its postal address or its web domain, in that order of trust; the time
// zone it keeps; and its public holidays. The data behind it (libphonenumber's metadata,
// tzdb's zone.tab and iso3166.tab, rickar/cal's holiday rules) is embedded in the binary.
//
// It knows nothing of leads, campaigns or storage: callers hand it strings.
package country

import (
	_ "embed"
	"regexp"
	"strings"
	"sync"
	"unicode"

	"github.com/nyaruka/phonenumbers"
	"golang.org/x/net/publicsuffix"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Where a country was read from, as Detect reports it.
const (
	FromPhone   = "phone"
	FromAddress = "address"
	FromDomain  = "domain"
)

// Detect returns the country of a business from what is known of it: the phone number
// when it carries a country code (or is valid in the country the address or domain
// suggests), else a country named or implied by the postal address, else the web or email
// domain's country-code TLD. It returns "" when none of them says.
func Detect(phone, address, domain string) (code, from string) {
	byAddress := fromAddress(address)
	byDomain := fromDomain(domain)
	if c := fromPhone(phone, byAddress, byDomain); c != "" {
		return c, FromPhone
	}
	if byAddress != "" {
		return byAddress, FromAddress
	}
	if byDomain != "" {
		return byDomain, FromDomain
	}
	return "", ""
}

// Code returns the ISO 3166-1 alpha-2 code a user wrote, in upper case, reading UK as GB
// (the code people write for the United Kingdom, reserved but not assigned); "" when it
// is no country's.
func Code(s string) string {
	c := strings.ToUpper(strings.TrimSpace(s))
	if c == "UK" {
		c = "GB"
	}
	if !Valid(c) {
		return ""
	}
	return c
}

// Valid reports whether code is an ISO 3166-1 alpha-2 country code.
func Valid(code string) bool {
	_, ok := isoNames()[strings.ToUpper(code)]
	return ok
}

// fromPhone reads the country of an international number, or of a national one that is
// valid in one of the hinted countries.
func fromPhone(phone string, hints ...string) string {
	if strings.TrimSpace(phone) == "" {
		return ""
	}
	for _, h := range append([]string{""}, hints...) {
		if h == "" && !international(phone) {
			continue
		}
		if num, ok := parsePhone(phone, h); ok {
			if r := phonenumbers.GetRegionCodeForNumber(num); Valid(r) {
				return r
			}
		}
	}
	return ""
}

// international reports whether a number is written with its country code.
func international(phone string) bool {
	p := strings.TrimLeft(phone, " \t(")
	return strings.HasPrefix(p, "+") || strings.HasPrefix(p, "00")
}

// parsePhone parses a number, nationally formatted numbers in region (an ISO code; "" for
// numbers with a country code), and keeps it only when libphonenumber holds it valid.
func parsePhone(phone, region string) (*phonenumbers.PhoneNumber, bool) {
	phone = strings.TrimSpace(phone)
	if phone == "" || len(phone) > 40 {
		return nil, false
	}
	if strings.HasPrefix(phone, "00") {
		phone = "+" + phone[2:]
	}
	if region == "" {
		if !strings.HasPrefix(phone, "+") {
			return nil, false
		}
		region = "ZZ"
	}
	num, err := phonenumbers.Parse(phone, strings.ToUpper(region))
	if err != nil || !phonenumbers.IsValidNumber(num) {
		return nil, false
	}
	return num, true
}

// genericTLDs are country-code TLDs sold and used worldwide, which say nothing of where a
// business is.
var genericTLDs = map[string]bool{
	"io": true, "co": true, "me": true, "tv": true, "ai": true, "ly": true, "fm": true, "to": true,
	"cc": true, "ws": true, "nu": true, "so": true, "sh": true, "ac": true, "am": true, "la": true,
	"md": true, "vc": true, "gg": true, "im": true, "re": true, "gs": true, "tk": true, "ml": true,
	"ga": true, "cf": true, "gq": true, "ms": true, "st": true, "cx": true, "pw": true, "sx": true,
	"bz": true, "mu": true, "tc": true, "vg": true, "fo": true, "ps": true, "as": true,
}

// fromDomain reads the country of a host name or URL or email address from its TLD.
func fromDomain(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.LastIndexByte(s, '@'); i >= 0 {
		s = s[i+1:]
	}
	if i := strings.Index(s, "://"); i >= 0 {
		s = s[i+3:]
	}
	if i := strings.IndexAny(s, "/?#:"); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimSuffix(s, ".")
	suffix, _ := publicsuffix.PublicSuffix(s)
	tld := suffix[strings.LastIndexByte(suffix, '.')+1:]
	if len(tld) != 2 || genericTLDs[tld] {
		return ""
	}
	switch tld {
	case "uk":
		return "GB"
	case "eu", "su":
		return ""
	}
	if code := strings.ToUpper(tld); Valid(code) {
		return code
	}
	return ""
}

//go:embed iso3166.tab
var isoTab string

var (
	isoOnce    sync.Once
	isoByCode  map[string]string // "PT" → "Portugal"
	isoByName  map[string]string // folded name → code, English and native names
	nativeName = map[string][]string{
		"AT": {"österreich", "austria"}, "BE": {"belgië", "belgique", "belgien", "belgium"},
		"CH": {"schweiz", "suisse", "svizzera", "switzerland"}, "CZ": {"česko", "česká republika", "czechia"},
		"DE": {"deutschland", "germany"}, "DK": {"danmark"}, "ES": {"españa", "spain"},
		"FI": {"suomi"}, "FR": {"france"}, "GB": {"united kingdom", "uk", "great britain", "england", "scotland", "wales", "northern ireland"},
		"GR": {"ελλάδα", "hellas"}, "HR": {"hrvatska"}, "HU": {"magyarország"}, "IE": {"éire"},
		"IT": {"italia"}, "LU": {"luxembourg", "luxemburg"}, "NL": {"nederland", "the netherlands", "holland"},
		"NO": {"norge"}, "PL": {"polska"}, "PT": {"portugal"}, "RO": {"românia"}, "SE": {"sverige"},
		"SI": {"slovenija"}, "SK": {"slovensko"}, "US": {"usa", "u.s.a.", "united states of america", "u.s."},
		"MX": {"méxico"}, "BR": {"brasil"}, "TR": {"türkiye", "turkey"}, "KR": {"south korea", "korea"},
		"RU": {"россия"}, "UA": {"україна"}, "JP": {"日本"}, "CN": {"中国"},
	}
)

func isoNames() map[string]string {
	isoOnce.Do(func() {
		isoByCode, isoByName = map[string]string{}, map[string]string{}
		for _, line := range strings.Split(isoTab, "\n") {
			if line == "" || line[0] == '#' {
				continue
			}
			code, name, ok := strings.Cut(line, "\t")
			if !ok {
				continue
			}
			isoByCode[code] = name
			isoByName[fold(name)] = code
		}
		for code, names := range nativeName {
			for _, n := range names {
				isoByName[fold(n)] = code
			}
		}
	})
	return isoByCode
}

// fold lower-cases a name and strips its accents, so "Österreich" matches "osterreich".
func fold(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, strings.ToLower(strings.TrimSpace(s)))
	if err != nil {
		return strings.ToLower(strings.TrimSpace(s))
	}
	return out
}

// Postal codes that name their country by their shape alone.
var (
	prefixedPostal = regexp.MustCompile(`(?:^|[\s,])(D|A|CH|F|I|NL|B|L|DK|S|N|FIN|P|E|PL|CZ|SK|H)-\d{4,5}\b`)
	usStateZIP     = regexp.MustCompile(`\b(A[KLRZ]|C[AOT]|D[CE]|FL|GA|HI|I[ADLN]|K[SY]|LA|M[ADEINOST]|N[CDEHJMVY]|O[HKR]|PA|RI|S[CD]|T[NX]|UT|V[AT]|W[AIVY])\s+\d{5}(?:-\d{4})?\b`)
	ukPostcode     = regexp.MustCompile(`\b[A-Z]{1,2}\d[A-Z\d]?\s+\d[A-Z]{2}\b`)
	caPostal       = regexp.MustCompile(`\b[ABCEGHJ-NPRSTVXY]\d[A-Z]\s?\d[A-Z]\d\b`)
	nlPostal       = regexp.MustCompile(`\b[1-9]\d{3}\s?[A-Z]{2}\b`)
	auStatePost    = regexp.MustCompile(`\b(NSW|VIC|QLD|WA|SA|TAS|ACT|NT)\s+\d{4}\b`)
	ptPostal       = regexp.MustCompile(`\b\d{4}-\d{3}\b`)
	vehiclePrefix  = map[string]string{
		"D": "DE", "A": "AT", "CH": "CH", "F": "FR", "I": "IT", "NL": "NL", "B": "BE", "L": "LU",
		"DK": "DK", "S": "SE", "N": "NO", "FIN": "FI", "P": "PT", "E": "ES", "PL": "PL", "CZ": "CZ",
		"SK": "SK", "H": "HU",
	}
)

// fromAddress reads the country an address names (its last part, in English or the
// country's own language) or implies by a postal code of a shape only one country uses.
func fromAddress(addr string) string {
	addr = strings.TrimSpace(addr)
	if addr == "" || len(addr) > 1000 {
		return ""
	}
	isoNames()
	parts := strings.FieldsFunc(addr, func(r rune) bool { return r == ',' || r == '\n' || r == ';' })
	if len(parts) > 0 {
		last := strings.TrimSpace(parts[len(parts)-1])
		if code, ok := isoByName[fold(last)]; ok {
			return code
		}
	}
	switch {
	case prefixedPostal.MatchString(addr):
		return vehiclePrefix[prefixedPostal.FindStringSubmatch(addr)[1]]
	case usStateZIP.MatchString(addr):
		return "US"
	case auStatePost.MatchString(addr):
		return "AU"
	case caPostal.MatchString(addr):
		return "CA"
	case ukPostcode.MatchString(addr):
		return "GB"
	case nlPostal.MatchString(addr):
		return "NL"
	case ptPostal.MatchString(addr):
		return "PT"
	}
	return ""
}
