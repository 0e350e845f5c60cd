package compliance

import (
	"strings"

	"github.com/clientele/clientele/country"
	"github.com/clientele/clientele/lead"
)

// CountryOf is the lead's country (ISO code): the one it has, else what its phone number,
// postal address, website or email domain say, in that order of trust (country.Detect);
// "" when none says. The store fills it in when it saves a lead; enrolment and stats ask
// it of leads stored before that.
func CountryOf(l *lead.Lead) string {
	if l.Country != "" {
		return strings.ToUpper(l.Country)
	}
	// A number written with its country code says it alone; reading the address and the
	// domain too (hints for a national number) would double the cost of every stored lead.
	if code, _ := country.Detect(l.Phone, "", ""); code != "" {
		return code
	}
	domain := l.Website
	if domain == "" {
		domain = l.Email
	}
	code, _ := country.Detect(l.Phone, l.Address, domain)
	if code == "" && l.Website != "" && l.Email != "" {
		code, _ = country.Detect("", "", l.Email)
	}
	if code == "" && l.Phone != "" && l.SourceURL != "" {
		// Directories print numbers the national way ("07721 40 46 60"): the country of the
		// directory's domain lets such a number be read, and only the number decides.
		if c, from := country.Detect(l.Phone, "", l.SourceURL); from == country.FromPhone {
			code = c
		}
	}
	return code
}
