package compliance

import (
	"testing"

	"github.com/clientele/clientele/lead"
)

func TestCountryOf(t *testing.T) {
	tests := []struct {
		name string
		l    lead.Lead
		want string
	}{
		{"kept as it is", lead.Lead{Country: "pt", Phone: "+49 30 1234567"}, "PT"},
		{"international phone", lead.Lead{Phone: "+49 30 901820", Website: "https://example.com"}, "DE"},
		{"address", lead.Lead{Address: "Hauptstraße 5, 1010 Wien, Österreich"}, "AT"},
		{"website's TLD", lead.Lead{Website: "https://plumbing.co.uk/"}, "GB"},
		{"email's TLD when the website says nothing", lead.Lead{Website: "https://plumbing.com", Email: "info@plumbing.de"}, "DE"},
		{"nothing says", lead.Lead{Website: "https://plumbing.com", Email: "info@plumbing.com"}, ""},
		{"a national number read in its directory's country", lead.Lead{Phone: "07721 40 46 60", Website: "https://ferchau.com/",
			SourceURL: "https://www.branchenbuch.de/suche/it-service"}, "DE"},
		{"the directory's country alone says nothing", lead.Lead{Website: "https://pizza.com/",
			SourceURL: "https://www.branchenbuch.de/suche/pizza"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := CountryOf(&tc.l); got != tc.want {
				t.Errorf("CountryOf = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestHoldByDetectedCountry(t *testing.T) {
	r := Rules{ConsentRequired: []string{"DE"}, CorporateOnly: []string{"GB"}}
	tests := []struct {
		name   string
		l      lead.Lead
		reason string
	}{
		{"consent country", lead.Lead{Name: "Bäckerei Müller GmbH", Phone: "+49 30 901820"}, HeldConsent},
		{"sole trader in a corporate-only country", lead.Lead{Name: "Joe Bloggs Plumbing", Website: "https://bloggs.co.uk"}, HeldCorporate},
		{"company in a corporate-only country", lead.Lead{Name: "Bloggs Plumbing Ltd", Website: "https://bloggs.co.uk"}, ""},
		{"company by its site", lead.Lead{Name: "Bloggs Plumbing", Website: "https://bloggs.co.uk", Site: &lead.Site{Company: "Bloggs Plumbing Ltd"}}, ""},
		{"elsewhere", lead.Lead{Name: "Canalizações Silva", Website: "https://silva.pt"}, ""},
		{"country unknown", lead.Lead{Name: "Joe", Website: "https://joe.com"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			reason, held := r.Hold(&tc.l, CountryOf(&tc.l))
			if reason != tc.reason || held != (tc.reason != "") {
				t.Errorf("Hold = %q, %v; want %q", reason, held, tc.reason)
			}
		})
	}
}

func TestCompanyCountsAsIncorporated(t *testing.T) {
	tests := []struct{ text, want string }{
		{"Impressum. Bäckerei Muster GmbH, Hauptstraße 1, 10115 Berlin.", "Bäckerei Muster GmbH"},
		{"© 2024 Acme Plumbing Ltd. All rights reserved", "Acme Plumbing Ltd."},
		{"Registered in England and Wales, company number 01234567", "Registered in England"},
		{"Joe Bloggs, plumber. Call me any time, limited availability at weekends.", ""},
	}
	for _, tc := range tests {
		got := Company(tc.text)
		if got != tc.want {
			t.Errorf("Company(%q) = %q, want %q", tc.text, got, tc.want)
		}
		if _, ok := Incorporated("Some Name", got); ok != (tc.want != "") {
			t.Errorf("Incorporated with site %q = %v", got, ok)
		}
	}
}

// BenchmarkCountryOf is the cost enrolment pays for a stored lead that has no country
// (one stored before countries were recorded, or one nothing tells the country of).
func BenchmarkCountryOf(b *testing.B) {
	ls := []lead.Lead{
		{Name: "Müller", Phone: "030 901820", Address: "Hauptstraße 5, 10115 Berlin", Website: "https://mueller.example/"},
		{Name: "Nobody", Website: "https://plumbing.com", Email: "info@plumbing.com"},
	}
	for b.Loop() {
		for i := range ls {
			_ = CountryOf(&ls[i])
		}
	}
}
