package templates

import (
	"testing"
	"time"

	"github.com/clientele/clientele/lead"
)

func TestFuncs(t *testing.T) {
	now := time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC)
	d := &data{
		Lead: &lead.Lead{Name: "maria silva", Email: "maria.silva@acme.pt", Website: "https://www.Acme.pt/contact",
			Emails: []string{"a@x.pt", "b@x.pt"},
			Site:   &lead.Site{CopyrightYear: 2019, PageBytes: 3 << 20, LoadTime: 2345 * time.Millisecond}},
		Sender: ana, At: now,
	}
	tests := []struct {
		name, text, want string
	}{
		{"fallback first non-empty", `{{fallback "" "  " .Lead.Phone "x" "y"}}`, "x"},
		{"fallback keeps a value", `{{fallback .Lead.Name "there"}}`, "maria silva"},
		{"fallback all empty", `[{{fallback "" .Lead.Phone}}]`, "[]"},
		{"fallback skips zero numbers", `{{fallback 0 7}}`, "7"},
		{"fallback skips nil pointer", `{{fallback .Lead.Site.Generator "none"}}`, "none"},
		{"default is fallback", `{{default .Lead.City "your city"}}`, "your city"},
		{"lower", `{{lower "AcMe"}}`, "acme"},
		{"upper", `{{upper .Lead.Name}}`, "MARIA SILVA"},
		{"title", `{{title .Lead.Name}}`, "Maria Silva"},
		{"title keeps inner capitals", `{{title "mcDonald plumbing"}}`, "McDonald Plumbing"},
		{"trim", `[{{trim "  x  "}}]`, "[x]"},
		{"firstname from a person's name", `{{firstname "Maria Silva" "maria@silva.pt"}}`, "Maria"},
		{"firstname needs the address to confirm it", `[{{firstname "Maria Silva"}}]`, "[]"},
		{"firstname of a business is empty", `[{{firstname "Acme Plumbing Ltd"}}]`, "[]"},
		{"firstname from the email", `{{firstname "Acme Ltd" "joao.costa@acme.pt"}}`, "Joao"},
		{"spin without alternatives", `[{{spin $}}]`, "[]"},
		{"year from the data's clock", `{{year $}}`, "2026"},
		{"years since the copyright", `{{sub (year $) .Lead.Site.CopyrightYear}}`, "7"},
		{"add", `{{add 2 3}}`, "5"},
		{"concat", `{{concat "a" 1 .Lead.Phone "b"}}`, "a1b"},
		{"join", `{{join ", " .Lead.Emails}}`, "a@x.pt, b@x.pt"},
		{"join of nothing", `[{{join ", " .Lead.Extra}}]`, "[]"},
		{"contains", `{{contains "silva" .Lead.Name}}`, "true"},
		{"hasPrefix", `{{hasPrefix "https" .Lead.Website}}`, "true"},
		{"hasSuffix", `{{hasSuffix ".com" .Lead.Website}}`, "false"},
		{"replace", `{{replace "silva" "costa" .Lead.Name}}`, "maria costa"},
		{"domain of a URL", `{{domain .Lead.Website}}`, "acme.pt"},
		{"domain of a bare host", `{{domain "Shop.example.org"}}`, "shop.example.org"},
		{"domain of nothing", `[{{domain ""}}]`, "[]"},
		{"bytes in MB", `{{bytes .Lead.Site.PageBytes}}`, "3.0 MB"},
		{"bytes in KB", `{{bytes 1536}}`, "2 KB"},
		{"bytes small", `{{bytes 12}}`, "12 bytes"},
		{"seconds", `{{seconds .Lead.Site.LoadTime}}`, "2.3"},
		{"pipeline", `{{.Lead.Name | title | printf "%s!"}}`, "Maria Silva!"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := render(t, tc.text, d); got != tc.want {
				t.Errorf("render(%q) = %q, want %q", tc.text, got, tc.want)
			}
		})
	}
}

func TestYearWithoutClock(t *testing.T) {
	got := render(t, "{{year $}}", map[string]any{})
	if got != time.Now().Format("2006") && got != time.Now().Add(-time.Minute).Format("2006") {
		t.Errorf("year without a clock = %q, want this year", got)
	}
}

func TestFuncsIsANewMapEachTime(t *testing.T) {
	a := Funcs()
	a["lower"] = nil
	if Funcs()["lower"] == nil {
		t.Error("changing one FuncMap changed the next")
	}
}
