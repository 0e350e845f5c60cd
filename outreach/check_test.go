package outreach

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clientele/clientele/templates"
)

func TestCheckTemplates(t *testing.T) {
	cases := []struct {
		name    string
		subject string            // of step 1; "" keeps the test config's
		files   map[string]string // template files to overwrite
		html    string            // an HTML alternative for step 2, "" for none
		want    []string          // substrings of the error, each expected once; none: no error
	}{
		{name: "good templates"},
		{name: "starter-like site sentences",
			files: map[string]string{"intro.txt": "Hi {{fallback .Lead.FirstName \"there\"}},\n" +
				"{{with .Lead.Site}}{{if not .HTTPS}}No HTTPS.{{else if gt .PageBytes 3000000}}It weighs {{bytes .PageBytes}}.{{end}}{{end}}\n" +
				"Country: {{.Lead.Extra.country}} {{index .Lead.Extra \"region\"}}\n"}},
		{name: "provenance fields",
			files: map[string]string{"intro.txt": "Listed on {{.Lead.SourceURL}}; your address was on {{.Lead.EmailSource}} ({{.Lead.Country}}).\n"}},
		{name: "missing values are not errors",
			files: map[string]string{"intro.txt": "Built with {{.Lead.Site.Generator}} in {{.Lead.City}}.\n"}},
		{name: "field typo in the subject",
			subject: "About {{.Lead.Nmae}}",
			want:    []string{"campaign plumbers step 1 subject: template: plumbers/step1/subject:1:13: ", "can't evaluate field Nmae in type outreach.LeadData"}},
		{name: "field typo in a branch the sample does not take",
			files: map[string]string{"followup.txt": "Hi,\n\n{{if eq .Lead.City \"Nowhere\"}}\n  {{.Lead.Ctiy}}{{end}}\n"},
			want:  []string{"campaign plumbers step 2 template followup.txt: template: followup.txt:4:9: ", "field Ctiy"}},
		{name: "field typo inside with",
			files: map[string]string{"last.txt": "{{with .Lead.Site}}{{if not .HTTPS}}{{.CopyrigthYear}}{{end}}{{end}}Bye\n"},
			want:  []string{"campaign plumbers step 3 template last.txt: template: last.txt:1:", "field CopyrigthYear in type *outreach.SiteData"}},
		{name: "field typo through a nil pointer",
			files: map[string]string{"last.txt": "Bye {{.Lead.Site.Generatr}}\n"},
			want:  []string{"step 3 template last.txt: template: last.txt:1:11: ", "field Generatr"}},
		{name: "function called wrongly",
			files: map[string]string{"intro.txt": "Hi\n{{sub .Lead.Name 1}}\n"},
			want:  []string{"campaign plumbers step 1 template intro.txt: template: intro.txt:2:11: ", "expected int; got string"}},
		{name: "html template",
			html: "<p>{{.Lead.Naem}}</p>",
			want: []string{"campaign plumbers step 2 html_template body.html: template: body.html:1:10: ", "field Naem"}},
		{name: "every error is reported",
			subject: "About {{.Lead.Nmae}}",
			files:   map[string]string{"last.txt": "{{.Lead.Ctiy}}\n"},
			html:    "<p>{{.Lead.Naem}}</p>",
			want:    []string{"field Nmae", "field Ctiy", "field Naem"}},
		{name: "unreadable template",
			files: map[string]string{"intro.txt": "{{if}}"},
			want:  []string{"campaign plumbers step 1: ", "intro.txt"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testConfig(t, 2525)
			dir := filepath.Dir(cfg.File)
			for name, text := range tc.files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			if tc.subject != "" {
				cfg.Campaigns[0].Steps[0].Subject = tc.subject
			}
			if tc.html != "" {
				if err := os.WriteFile(filepath.Join(dir, "body.html"), []byte(tc.html), 0o600); err != nil {
					t.Fatal(err)
				}
				cfg.Campaigns[0].Steps[1].HTMLTemplate = "body.html"
			}
			clk := newClock(monday10)
			err := newEngine(cfg, nil, clk).CheckTemplates()
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if n := strings.Count(err.Error(), w); n != 1 {
					t.Errorf("%q appears %d times in:\n%v", w, n, err)
				}
			}
		})
	}
}

// TestCheckStarterTemplates: the templates `clientele init` writes pass the check.
func TestCheckStarterTemplates(t *testing.T) {
	cfg := testConfig(t, 2525)
	dir := filepath.Dir(cfg.File)
	for _, name := range []string{"intro.txt", "followup.txt", "last.txt"} {
		b, err := fs.ReadFile(templates.Starter, name)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := newEngine(cfg, nil, newClock(monday10)).CheckTemplates(); err != nil {
		t.Fatal(err)
	}
}
