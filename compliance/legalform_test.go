package compliance

import (
	"testing"

	"github.com/clientele/clientele/lead"
)

func TestIncorporated(t *testing.T) {
	tests := []struct {
		name, site string
		want       bool
	}{
		{"Acme Plumbing Ltd", "", true},
		{"ACME PLUMBING LIMITED", "", true},
		{"Smith & Sons (Builders) Ltd.", "", true},
		{"Northwind Consulting LLP", "", true},
		{"Bäckerei Müller GmbH", "", true},
		{"Müller GmbH & Co. KG", "", true},
		{"Schmidt IT AG", "", true},
		{"Dupont SARL", "", true},
		{"S.A.R.L. Dupont", "", false}, // a dotted acronym at the start is not the form's usual place; the site decides
		{"Bakkerij de Vries B.V.", "", true},
		{"Reformas García S.L.", "", true},
		{"Construções Silva, Lda", "", true},
		{"Idraulica Rossi S.r.l.", "", true},
		{"Nordic Design AB", "", true},
		{"Hansen Rør AS", "", true},
		{"Kowalski Sp. z o.o.", "", true},
		{"Novák s.r.o.", "", true},
		{"Joe Bloggs Plumbing", "", false},
		{"As You Like It Café", "", false},
		{"Ab Fab Hair", "", false},
		{"Sa Pizzeria", "", false},
		{"Limited Edition Hair", "", true}, // a form word in a name is taken at its word
		{"Joe Bloggs Plumbing", "Registered in England and Wales No. 01234567", true},
		{"Joe Bloggs Plumbing", "Impressum: Muster Haustechnik GmbH, Amtsgericht Freiburg HRB 123456", true},
		{"Joe Bloggs Plumbing", "© 2024 Bloggs Plumbing Ltd. All rights reserved.", true},
		{"Joe Bloggs Plumbing", "Limited time offer! We are a sole trader serving Leeds.", false},
		{"Joe Bloggs Plumbing", "Call us as soon as you can.", false},
		{"Padaria Lisboa", "NIPC: 500123456", true},
		{"Bakkerij Jansen", "KvK 12345678", true},
	}
	for _, tc := range tests {
		if ev, got := Incorporated(tc.name, tc.site); got != tc.want {
			t.Errorf("Incorporated(%q, %q) = %v (%s); want %v", tc.name, tc.site, got, ev, tc.want)
		}
	}
}

func TestHold(t *testing.T) {
	r := Rules{ConsentRequired: []string{"DE", "AT"}, CorporateOnly: []string{"GB"}}
	tests := []struct {
		name    string
		l       lead.Lead
		country string
		reason  string
	}{
		{"consent country", lead.Lead{Name: "Muster GmbH"}, "DE", HeldConsent},
		{"consent country, lower case", lead.Lead{Name: "Muster GmbH"}, "at", HeldConsent},
		{"corporate country, sole trader", lead.Lead{Name: "Joe Bloggs Plumbing"}, "GB", HeldCorporate},
		{"corporate country, company", lead.Lead{Name: "Bloggs Plumbing Ltd"}, "GB", ""},
		{"corporate country, company by its site", lead.Lead{Name: "Bloggs Plumbing", Site: &lead.Site{Company: "Registered in England and Wales No. 0123"}}, "GB", ""},
		{"other country", lead.Lead{Name: "Joe"}, "PT", ""},
		{"unknown country", lead.Lead{Name: "Joe"}, "", ""},
	}
	for _, tc := range tests {
		reason, held := r.Hold(&tc.l, tc.country)
		if reason != tc.reason || held != (tc.reason != "") {
			t.Errorf("%s: Hold = %q, %v; want %q", tc.name, reason, held, tc.reason)
		}
	}
}
