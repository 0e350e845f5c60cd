package outreach

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/clientele/clientele/lead"
)

func renderOne(t *testing.T, subject, body string, l *lead.Lead) (Rendered, error) {
	t.Helper()
	st := &stepTemplates{}
	var err error
	if subject != "" {
		if st.subject, err = compileText("subject", subject); err != nil {
			t.Fatalf("parse subject: %v", err)
		}
	}
	if st.text, err = compileText("body", body); err != nil {
		t.Fatalf("parse body: %v", err)
	}
	d := NewData(l, "", SenderData{Name: "Ana Lima", Email: "ana@example.com"}, "plumbers", 1,
		"https://reach.example.com/u/1/x", time.Date(2026, 1, 12, 10, 0, 0, 0, time.UTC))
	return st.render(d)
}

func TestRenderMissingValues(t *testing.T) {
	full := &lead.Lead{ID: 7, Name: "Maria Silva", Email: "maria.silva@acme.example", City: "Porto",
		Extra: map[string]string{"country": "PT"}, Site: &lead.Site{Generator: "WordPress 6.4", CopyrightYear: 2016}}
	bare := &lead.Lead{ID: 8, Name: "Acme Plumbing Ltd", Email: "info@acme.example"}
	cases := []struct {
		name    string
		body    string
		lead    *lead.Lead
		want    string // substring of the body, when it renders
		missing bool   // ErrMissingValue expected
	}{
		{"value present", "In {{.Lead.City}}.", full, "In Porto.", false},
		{"value empty", "In {{.Lead.City}}.", bare, "", true},
		{"fallback function", "Hi {{fallback .Lead.FirstName \"there\"}},", bare, "Hi there,", false},
		{"fallback piped", "Hi {{.Lead.FirstName | fallback \"there\"}},", bare, "Hi there,", false},
		{"default alias", "Hi {{default .Lead.FirstName \"there\"}},", bare, "Hi there,", false},
		{"first name guessed", "Hi {{.Lead.FirstName}},", full, "Hi Maria,", false},
		{"guarded by if", "Hello{{if .Lead.City}} from {{.Lead.City}}{{end}}.", bare, "Hello.", false},
		{"with site", "{{with .Lead.Site}}Built with {{.Generator}}{{end}}", full, "Built with WordPress 6.4", false},
		{"site value missing", "Built with {{.Lead.Site.Generator}}", bare, "", true},
		{"zero number", "Since {{.Lead.Site.CopyrightYear}}", bare, "", true},
		{"extra present", "Country {{.Lead.Extra.country}}", full, "Country PT", false},
		{"extra missing", "Country {{.Lead.Extra.country}}", bare, "", true},
		{"function of a missing value", "{{upper .Lead.City}}", bare, "", true},
		{"spintax", "{Hi|Hello} {{.Lead.Name}}", full, "Maria Silva", false},
		{"spintax holding a missing value", "{Hi {{.Lead.City}}|Hey {{.Lead.City}}} there", bare, "", true},
		{"spintax with an empty alternative", "x{a|}y", full, "", false},
		{"crawled value is data", "Dear {{.Lead.Name}}", &lead.Lead{ID: 9, Name: "{{.Sender.Email}}", Email: "a@b.example"}, "Dear {{.Sender.Email}}", false},
		{"variable", "{{$c := .Lead.City}}In {{$c}}", bare, "", true},
		{"sender", "{{.Sender.Name}} <{{.Sender.Email}}>", bare, "Ana Lima <ana@example.com>", false},
		{"unsubscribe url", "Stop: {{.UnsubscribeURL}}", bare, "Stop: https://reach.example.com/u/1/x", false},
		// Site is nil when the crawl saw nothing: nothing may be claimed about it.
		{"no site: with is false", "A{{with .Lead.Site}} site{{end}}.", bare, "A.", false},
		{"no site: if is false", "{{if .Lead.Site}}site{{else}}none{{end}}", bare, "none", false},
		{"no site: or is false", "{{if or .Lead.Website .Lead.Site}}site{{else}}none{{end}}", bare, "none", false},
		{"no site: condition on a field", "{{if not .Lead.Site.HTTPS}}insecure{{end}}", bare, "", true},
		{"no site: with on a field", "{{with .Lead.Site.Generator}}{{.}}{{end}}", bare, "", true},
		{"no site: fallback", "Built with {{fallback .Lead.Site.Generator \"a CMS\"}}", bare, "Built with a CMS", false},
		{"no site: fallback piped", "Built with {{.Lead.Site.Generator | fallback \"a CMS\"}}", bare, "Built with a CMS", false},
		{"no site: from the root", "Built with {{$.Lead.Site.Generator}}", bare, "", true},
		{"no site: through a variable", "{{$s := .Lead.Site}}Built with {{$s.Generator}}", bare, "", true},
		{"no site: through a pipeline", "Built with {{(.Lead.Site).Generator}}", bare, "", true},
		{"no site: in a defined template", "{{define \"s\"}}{{.Site.Generator}}{{end}}Built with {{template \"s\" .Lead}}", bare, "", true},
		{"no site: function of a field", "{{upper .Lead.Site.Generator}}", bare, "", true},
		{"site: condition on a field", "{{if .Lead.Site.Generator}}Built with {{.Lead.Site.Generator}}{{end}}", full, "Built with WordPress 6.4", false},
		{"site: through a variable", "{{$s := .Lead.Site}}Built with {{$s.Generator}}", full, "Built with WordPress 6.4", false},
		{"site: in a defined template", "{{define \"s\"}}{{.Site.Generator}}{{end}}Built with {{template \"s\" .Lead}}", full, "Built with WordPress 6.4", false},
		{"site: fallback keeps the value", "Built with {{fallback .Lead.Site.Generator \"a CMS\"}}", full, "Built with WordPress 6.4", false},
		{"site: missing field value", "{{with .Lead.Site}}{{.PageBytes}}{{end}}", full, "", true},
		{"provenance", "Found on {{.Lead.SourceURL}}; address from {{.Lead.EmailSource}}; {{.Lead.Country}}",
			&lead.Lead{ID: 11, Email: "a@b.example", SourceURL: "https://dir.example/c/x", EmailSource: "https://b.example/contact", Country: "PT"},
			"Found on https://dir.example/c/x; address from https://b.example/contact; PT", false},
		{"provenance missing", "Address from {{.Lead.EmailSource}}", bare, "", true},
		{"empty site record is no site", "{{if .Lead.Site}}site{{else}}none{{end}}", &lead.Lead{ID: 10, Email: "a@b.example", Site: &lead.Site{}}, "none", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, err := renderOne(t, "", tc.body, tc.lead)
			if tc.missing {
				if !errors.Is(err, ErrMissingValue) {
					t.Fatalf("want ErrMissingValue, got %v (body %q)", err, r.Text)
				}
				return
			}
			if err != nil {
				t.Fatalf("render: %v", err)
			}
			if !strings.Contains(r.Text, tc.want) {
				t.Fatalf("body %q does not contain %q", r.Text, tc.want)
			}
		})
	}
}

func TestRenderSpinIsStablePerLead(t *testing.T) {
	body := "{A|B|C|D|E|F|G|H}"
	seen := map[string]bool{}
	for id := lead.ID(1); id <= 40; id++ {
		l := &lead.Lead{ID: id, Name: "x", Email: "x@y.example"}
		a, err := renderOne(t, "", body, l)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := renderOne(t, "", body, l)
		if a.Text != b.Text {
			t.Fatalf("lead %d: %q then %q", id, a.Text, b.Text)
		}
		seen[a.Text] = true
	}
	if len(seen) < 3 {
		t.Fatalf("spintax picked only %v over 40 leads", seen)
	}
}

func TestRenderSubjectIsAHeader(t *testing.T) {
	l := &lead.Lead{ID: 1, Name: "Evil\r\nBcc: victim@example.com\x00\x1b[31m", Email: "a@b.example"}
	r, err := renderOne(t, "About {{.Lead.Name}}", "Hi", l)
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(r.Subject, "\r\n\x00\x1b") {
		t.Fatalf("subject %q keeps control characters", r.Subject)
	}
	if r.Subject != "About Evil Bcc: victim@example.com [31m" {
		t.Fatalf("subject %q", r.Subject)
	}
}

func TestRenderTemplateError(t *testing.T) {
	l := &lead.Lead{ID: 1, Name: "Acme", Email: "a@b.example"}
	if _, err := renderOne(t, "", "{{index .Lead.Extra}}{{len 3}}", l); err == nil {
		t.Fatal("a failing template rendered")
	}
}
