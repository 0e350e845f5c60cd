package outreach

import (
	"bytes"
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/clientele/clientele/lead"
	"github.com/clientele/clientele/templates"
)

// TestStarterTemplates renders the starter templates `clientele init` writes for leads
// the crawl knows more or less about, and checks that nothing is claimed about a website
// the crawl did not see.
func TestStarterTemplates(t *testing.T) {
	checked := time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC)
	leads := []struct {
		name string
		lead *lead.Lead
		// want and wantNot are substrings of the first message.
		want, wantNot []string
	}{
		{"no website and no site data",
			&lead.Lead{ID: 1, Name: "Acme Plumbing Ltd", Email: "info@acme.example", City: "Porto"},
			[]string{" there,", "in Porto."},
			[]string{"website", "HTTPS", "phones", "footer", "weighs"}},
		{"website not crawled",
			&lead.Lead{ID: 2, Name: "Acme Plumbing Ltd", Email: "info@acme.example", Website: "https://acme.example"},
			[]string{"had a look at your website."},
			[]string{"HTTPS", "phones", "footer", "weighs"}},
		{"https site",
			&lead.Lead{ID: 3, Name: "Maria Silva", Email: "maria.silva@silva.example", Website: "https://silva.example",
				Site: &lead.Site{HTTPS: true, MobileViewport: true, CopyrightYear: 2025, PageBytes: 800_000, CheckedAt: checked}},
			[]string{" Maria,", "had a look at your website."},
			[]string{"HTTPS", "phones", "footer", "weighs"}},
		{"https site without a mobile viewport",
			&lead.Lead{ID: 4, Name: "Maria Silva", Email: "maria.silva@silva.example", Website: "https://silva.example",
				Site: &lead.Site{HTTPS: true, CopyrightYear: 2025, PageBytes: 800_000, CheckedAt: checked}},
			[]string{"isn't set up for phones"},
			[]string{"HTTPS"}},
		{"http site",
			&lead.Lead{ID: 5, Name: "Padaria Estrela", Email: "geral@estrela.example", Website: "http://estrela.example",
				City: "Lisboa", Site: &lead.Site{HTTPS: false, MobileViewport: true, CopyrightYear: 2016, CheckedAt: checked}},
			[]string{"had a look at your website.", "it still opens without HTTPS"},
			[]string{"phones", "footer"}},
	}
	var out bytes.Buffer
	for _, file := range []string{"intro.txt", "followup.txt", "last.txt"} {
		text, err := fs.ReadFile(templates.Starter, file)
		if err != nil {
			t.Fatal(err)
		}
		st := &stepTemplates{}
		if st.text, err = compileText(file, string(text)); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		for _, tc := range leads {
			d := NewData(tc.lead, "", SenderData{Name: "Ana Lima", Email: "ana@example.com"}, "starter", 1,
				"https://reach.example.com/u/x", monday10)
			r, err := st.render(d)
			if err != nil {
				t.Fatalf("%s for a lead with %s: %v", file, tc.name, err)
			}
			out.WriteString("==== " + file + ": " + tc.name + "\n" + r.Text)
			if file != "intro.txt" {
				continue
			}
			for _, w := range tc.want {
				if !strings.Contains(r.Text, w) {
					t.Errorf("%s for a lead with %s lacks %q:\n%s", file, tc.name, w, r.Text)
				}
			}
			for _, w := range tc.wantNot {
				if strings.Contains(r.Text, w) {
					t.Errorf("%s for a lead with %s says %q:\n%s", file, tc.name, w, r.Text)
				}
			}
		}
	}
	golden(t, "starter.golden", out.Bytes())
}
