package compliance

import (
	"slices"
	"strings"

	"github.com/clientele/clientele/lead"
)

// Reasons a lead is held back, as stats and the dashboard count them.
const (
	HeldConsent   = "consent_required" // its country wants prior consent
	HeldCorporate = "corporate_only"   // its country allows only incorporated businesses
)

// Rules are the user's compliance.consent_required and corporate_only lists.
type Rules struct {
	ConsentRequired []string // ISO codes
	CorporateOnly   []string // ISO codes
}

// Hold reports whether the law of the lead's country keeps it from being enrolled, and
// why: in a consent_required country never; in a corporate_only country unless it shows
// it is incorporated. A lead whose country is not known is not held (nothing says which
// law applies); country is the lead's, as country.Detect reads it.
func (r Rules) Hold(l *lead.Lead, country string) (reason string, held bool) {
	country = strings.ToUpper(country)
	if country == "" {
		return "", false
	}
	if slices.Contains(r.ConsentRequired, country) {
		return HeldConsent, true
	}
	if slices.Contains(r.CorporateOnly, country) {
		site := ""
		if l.Site != nil {
			site = l.Site.Company
		}
		if _, ok := Incorporated(l.Name, site); !ok {
			return HeldCorporate, true
		}
	}
	return "", false
}

// Empty reports whether no country is restricted.
func (r Rules) Empty() bool { return len(r.ConsentRequired) == 0 && len(r.CorporateOnly) == 0 }
