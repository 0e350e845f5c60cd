package store

import (
	"github.com/clientele/clientele/compliance"
	"github.com/clientele/clientele/lead"
)

// fillCountry gives a lead without a country the one its phone, address or domain say,
// so every lead saved, crawled or imported, carries it (compliance rules and recipient
// windows read it).
func fillCountry(l *lead.Lead) {
	if l.Country == "" {
		l.Country = compliance.CountryOf(l)
	}
}
