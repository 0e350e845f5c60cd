package outreach

import (
	"testing"

	"github.com/clientele/clientele/compliance"
	"github.com/clientele/clientele/lead"
)

func TestComplianceHoldsLeadsBack(t *testing.T) {
	clk := newClock(monday10)
	srv := newSMTPServer(t)
	db, _ := newDB(t, clk)
	cfg := testConfig(t, srv.port)
	cfg.Compliance.ConsentRequired = []string{"DE", "AT"}
	cfg.Compliance.CorporateOnly = []string{"GB"}
	e := newEngine(cfg, db, clk)
	leads := []*lead.Lead{
		{Name: "Bäckerei Müller GmbH", Email: "info@mueller.example", Phone: "+49 30 901820"},
		{Name: "Installateur Huber", Email: "office@huber.at"},
		{Name: "Joe Bloggs Plumbing", Email: "joe@bloggs.co.uk"},
		{Name: "Bloggs Plumbing Ltd", Email: "office@bloggs-ltd.co.uk"},
		{Name: "Smith Heating", Email: "info@smith.co.uk", Site: &lead.Site{Company: "Smith Heating Ltd"}},
		{Name: "Canalizações Silva", Email: "geral@silva.pt"},
		{Name: "Nowhere Plumbing", Email: "hi@nowhere.example"},
	}
	for _, l := range leads {
		l.Category, l.City, l.Source = "plumbing", "Lisboa", "test"
	}
	if _, err := db.UpsertLeads(leads); err != nil {
		t.Fatal(err)
	}
	held, err := e.HeldBack()
	if err != nil {
		t.Fatal(err)
	}
	want := HeldCounts{compliance.HeldConsent: 2, compliance.HeldCorporate: 1}
	if got := held["plumbers"]; got.String() != want.String() {
		t.Errorf("held back before sending: %s, want %s", got, want)
	}
	if sum, _ := send(t, e, false); sum.Sent != 4 {
		t.Errorf("sent %d, want 4 (the Ltd, the Limited by its site, the Portuguese and the one of no known country)", sum.Sent)
	}
	for _, l := range leads {
		l, err := db.LeadByEmail(l.Email)
		if err != nil {
			t.Fatal(err)
		}
		_, heldNow := e.held(l)
		ens, _ := db.EnrollmentsOf(l.ID)
		if heldNow == (len(ens) > 0) {
			t.Errorf("%s (%s): held %v, enrolments %d", l.Name, l.Country, heldNow, len(ens))
		}
	}
	if held, _ := e.HeldBack(); held["plumbers"].String() != want.String() {
		t.Errorf("held back after sending: %s, want %s", held["plumbers"], want)
	}
	// A lead stored before countries were recorded is judged by what it shows.
	if reason, ok := e.held(&lead.Lead{Name: "Old", Email: "old@alt.de"}); !ok || reason != compliance.HeldConsent {
		t.Errorf("lead without a stored country: %q %v", reason, ok)
	}
}
