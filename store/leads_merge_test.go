package store

import (
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/clientele/clientele/lead"
)

func TestUpsertLeadsMerges(t *testing.T) {
	old := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	newer := old.Add(24 * time.Hour)
	stored := func() *lead.Lead {
		return &lead.Lead{
			Name: "Casa Pasta", Email: "ciao@casapasta.test", Website: "https://casapasta.test",
			Phone: "+44 20 7946 0000", City: "", Extra: map[string]string{"country": "UK"},
			Site: &lead.Site{HTTPS: false, CheckedAt: newer}, Status: lead.StatusContacted,
		}
	}
	tests := []struct {
		name    string
		stored  *lead.Lead
		in      []*lead.Lead
		created int
		merged  int
		check   func(t *testing.T, got *lead.Lead)
	}{
		{
			name:   "by secondary address",
			stored: stored(),
			in:     []*lead.Lead{{Email: "mario@casapasta.test", Emails: []string{"CIAO@casapasta.test"}, City: "London"}},
			merged: 1,
			check: func(t *testing.T, got *lead.Lead) {
				if got.Email != "ciao@casapasta.test" || !slices.Equal(got.Emails, []string{"ciao@casapasta.test", "mario@casapasta.test"}) {
					t.Errorf("addresses = %q %q: stored primary must stay first", got.Email, got.Emails)
				}
				if got.City != "London" {
					t.Errorf("empty City not filled: %q", got.City)
				}
			},
		},
		{
			name:   "by website domain",
			stored: stored(),
			in:     []*lead.Lead{{Website: "www.casapasta.test/menu", Extra: map[string]string{"country": "IT", "cuisine": "pasta"}}},
			merged: 1,
			check: func(t *testing.T, got *lead.Lead) {
				if got.Name != "Casa Pasta" {
					t.Errorf("non-empty Name overwritten: %q", got.Name)
				}
				if !maps.Equal(got.Extra, map[string]string{"country": "UK", "cuisine": "pasta"}) {
					t.Errorf("Extra = %v: new keys added, existing kept", got.Extra)
				}
			},
		},
		{
			name:    "by name and phone",
			stored:  stored(),
			in:      []*lead.Lead{{Name: "  CASA   pasta ", Phone: "020 7946 0000 ext", Email: "orders@elsewhere.test"}},
			created: 1, // "+44 20 7946 0000" and "020 7946 0000" have different digits
		},
		{
			name:   "by name and same phone digits",
			stored: stored(),
			in:     []*lead.Lead{{Name: "  CASA   pasta ", Phone: "(44) 20-7946-0000", Email: "orders@elsewhere.test", Status: lead.StatusReplied}},
			merged: 1,
			check: func(t *testing.T, got *lead.Lead) {
				if !slices.Equal(got.Emails, []string{"ciao@casapasta.test", "orders@elsewhere.test"}) {
					t.Errorf("Emails = %q", got.Emails)
				}
				if got.Status != lead.StatusContacted {
					t.Errorf("Status = %q: an incoming status applies only to a new lead", got.Status)
				}
			},
		},
		{
			name:   "newer site replaces, older does not",
			stored: stored(),
			in: []*lead.Lead{
				{Email: "ciao@casapasta.test", Site: &lead.Site{HTTPS: true, CheckedAt: old}},
				{Email: "ciao@casapasta.test", Site: &lead.Site{CopyrightYear: 2016, CheckedAt: newer.Add(time.Hour)}},
			},
			merged: 2,
			check: func(t *testing.T, got *lead.Lead) {
				if got.Site == nil || got.Site.CopyrightYear != 2016 || got.Site.HTTPS {
					t.Errorf("Site = %+v, want the newest check only", got.Site)
				}
			},
		},
		{
			name:   "status applied to a new lead",
			stored: &lead.Lead{Email: "x@y.test"},
			in:     []*lead.Lead{{Email: "x@y.test", Status: lead.StatusBounced}},
			merged: 1,
			check: func(t *testing.T, got *lead.Lead) {
				if got.Status != lead.StatusBounced {
					t.Errorf("Status = %q", got.Status)
				}
			},
		},
		{
			name:   "by website domain and the same name",
			stored: stored(),
			in:     []*lead.Lead{{Name: "casa  PASTA", Website: "https://casapasta.test/", SourceURL: "https://dir.test/c/food"}},
			merged: 1,
		},
		{
			name:    "different names on one website stay apart",
			stored:  stored(),
			in:      []*lead.Lead{{Name: "Casa Pasta Soho", Website: "https://casapasta.test/soho"}},
			created: 1,
		},
		{
			name:    "the directory's page is no website key",
			stored:  &lead.Lead{Website: "https://dir.test/biz/1", SourceURL: "https://dir.test/c/food"},
			in:      []*lead.Lead{{Website: "https://dir.test/biz/2", SourceURL: "https://www.dir.test/c/food?page=2"}},
			created: 1,
		},
		{
			name:    "a directions link shared by every card is no website key",
			stored:  &lead.Lead{Website: "https://maps.apple.com/?daddr=dir"},
			in:      []*lead.Lead{{Website: "https://maps.apple.com/?daddr=dir"}},
			created: 1,
		},
		{
			name:    "social page is no company domain",
			stored:  &lead.Lead{Name: "A", Website: "https://facebook.com/a"},
			in:      []*lead.Lead{{Name: "B", Website: "https://www.facebook.com/b"}},
			created: 1,
		},
		{
			name:    "unrelated",
			stored:  stored(),
			in:      []*lead.Lead{{Name: "Zed", Email: "z@zed.test", Website: "zed.test"}},
			created: 1,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			db, clk := openTest(t)
			first := mustPut(t, db, tc.stored)
			clk.Add(time.Hour)
			res, err := db.UpsertLeads(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if res.Created != tc.created || res.Merged != tc.merged || len(res.IDs) != len(tc.in) {
				t.Fatalf("result = %+v, want %d created, %d merged", res, tc.created, tc.merged)
			}
			if tc.check == nil {
				return
			}
			got, err := db.Lead(first.ID)
			if err != nil {
				t.Fatal(err)
			}
			if res.IDs[0] != first.ID || !got.CreatedAt.Equal(first.CreatedAt) || !got.UpdatedAt.Equal(clk.Now()) {
				t.Errorf("merged into %d (want %d), created %v updated %v", res.IDs[0], first.ID, got.CreatedAt, got.UpdatedAt)
			}
			tc.check(t, got)
		})
	}
}

func TestUpsertLeadsWithinBatch(t *testing.T) {
	db, _ := openTest(t)
	in := []*lead.Lead{
		{Name: "Ana", Email: "ana@studio.test", Website: "studio.test", ID: 77},
		{Name: "Bruno", Email: "bruno@other.test"},
		{Email: "ANA@studio.test", City: "Porto"},                 // same address as #1
		{Website: "https://blog.studio.test", Phone: "12345"},     // same domain as #1
		{Name: "Bruno", Phone: "+1 555 010 0000"},                 // #2 has no phone to match: new
		{Name: "bruno", Phone: "15550100000", Email: "b2@x.test"}, // same name+phone as #5
	}
	res, err := db.UpsertLeads(in)
	if err != nil {
		t.Fatal(err)
	}
	want := []lead.ID{1, 2, 1, 1, 3, 3}
	if !slices.Equal(res.IDs, want) || res.Created != 3 || res.Merged != 3 {
		t.Fatalf("result = %+v, want IDs %v, 3 created, 3 merged", res, want)
	}
	ana, _ := db.Lead(1)
	if ana.City != "Porto" || ana.Phone != "12345" || ana.Name != "Ana" {
		t.Errorf("lead 1 = %+v", ana)
	}
	if in[0].ID != 77 || in[2].Email != "ANA@studio.test" {
		t.Error("UpsertLeads modified its input")
	}
	b, _ := db.Lead(3)
	if b.Email != "b2@x.test" {
		t.Errorf("lead 3 Email = %q: an empty primary is filled", b.Email)
	}
}

func TestUpsertLeadsAddressOfThirdLead(t *testing.T) {
	db, _ := openTest(t)
	a := mustPut(t, db, &lead.Lead{Email: "a@x.test"})
	b := mustPut(t, db, &lead.Lead{Email: "b@y.test"})
	res, err := db.UpsertLeads([]*lead.Lead{{Email: "a@x.test", Emails: []string{"b@y.test", "c@x.test"}}})
	if err != nil {
		t.Fatal(err)
	}
	if res.IDs[0] != a.ID {
		t.Fatalf("merged into %d", res.IDs[0])
	}
	got, _ := db.Lead(a.ID)
	if !slices.Equal(got.Emails, []string{"a@x.test", "c@x.test"}) {
		t.Errorf("Emails = %q: b@y.test belongs to lead %d", got.Emails, b.ID)
	}
	if owner, _ := db.LeadByEmail("b@y.test"); owner.ID != b.ID {
		t.Errorf("b@y.test moved to lead %d", owner.ID)
	}
}

func TestUpsertLeadsBatches(t *testing.T) {
	db, _ := openTest(t)
	var in []*lead.Lead
	for i := range 2*upsertBatch + 10 {
		in = append(in, genLead(i))
	}
	in = append(in, genLead(5)) // a duplicate from the first batch
	res, err := db.UpsertLeads(in)
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != 2*upsertBatch+10 || res.Merged != 1 || res.IDs[len(in)-1] != res.IDs[5] {
		t.Errorf("Created %d Merged %d", res.Created, res.Merged)
	}
	bad := []*lead.Lead{genLead(100000), {Email: "broken"}}
	if _, err := db.UpsertLeads(bad); err == nil {
		t.Error("an invalid address was accepted")
	}
	if _, err := db.LeadByEmail(genLead(100000).Email); err == nil {
		t.Error("a failed batch was half-written")
	}
}
