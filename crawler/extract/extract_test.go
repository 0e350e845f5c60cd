package extract

import (
	"bytes"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/clientele/clientele/config"
)

func load(t testing.TB, name string) *goquery.Document {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

var base, _ = url.Parse("https://directory.example/list")

func TestReaders(t *testing.T) {
	tests := []struct {
		name string
		file string
		read func(*goquery.Document) []Business
		want []Business
	}{
		{"jsonld", "jsonld.html", JSONLD, []Business{
			{Name: "Smile Dental", Phone: "+44 20 7946 0000", Website: "https://smile-dental.co.uk/", Address: "1 Baker St, NW1, London", City: "London"},
			{Name: "Bäckerei Müller", Emails: []string{"info@baeckerei-mueller.de"}, Website: "https://directory.example/biz/2",
				Links: []string{"https://www.facebook.com/mueller", "https://baeckerei-mueller.de/"}},
			{Name: "Gelato Uno", Emails: []string{"ciao@gelato-uno.it"}, Phone: "+39 06 1234567"},
		}},
		{"microdata", "microdata.html", Microdata, []Business{
			{Name: "Pipe Pros", Emails: []string{"office@pipe-pros.com"}, Phone: "+1 555 0199", Website: "https://pipe-pros.com/", Address: "5 Main St, Springfield", City: "Springfield"},
		}},
		{"microformats", "microformats.html", Microformats, []Business{
			{Name: "Flora Flowers", Emails: []string{"hallo@flora-flowers.nl"}, Phone: "+31 20 123 4567", Website: "https://flora-flowers.nl/", Address: "Damrak 1, Amsterdam", City: "Amsterdam"},
			{Name: "Taller Ruiz", Emails: []string{"taller@ruiz-taller.es"}, Phone: "+34 91 000 0000", Address: "Calle Mayor 2, Madrid", City: "Madrid"},
		}},
		{"pagestate", "pagestate.html", PageState, []Business{
			{Name: "Nordic Roofing", Phone: "+47 22 00 00 00", Website: "https://nordic-roofing.no"},
			{Name: "Café Lumière", Emails: []string{"bonjour@cafe-lumiere.fr"}, Address: "1 rue X, Lyon", City: "Lyon"},
		}},
		{"blocks", "blocks.html", func(d *goquery.Document) []Business { return Blocks(d, base) }, []Business{
			{Name: "Elektro Huber", Emails: []string{"office@elektro-huber.at"}, Phone: "0316 123456", Website: "https://elektro-huber.at"},
			{Name: "Strom & Licht GmbH", Emails: []string{"kontakt@strom-licht.at"}, Phone: "+43316999"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.read(load(t, tt.file))
			for i := range got {
				got[i].From = ""
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d businesses %+v, want %d", len(got), got, len(tt.want))
			}
			for i := range got {
				if !equal(got[i], tt.want[i]) {
					t.Errorf("business %d:\n got %+v\nwant %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func equal(a, b Business) bool {
	return a.Name == b.Name && a.Phone == b.Phone && a.Website == b.Website && a.Address == b.Address &&
		a.City == b.City && slices.Equal(a.Emails, b.Emails) && slices.Equal(a.Links, b.Links)
}

func TestSelectors(t *testing.T) {
	doc := load(t, "blocks.html")
	got := Selectors(doc, base, "li.entry", config.Fields{Name: "h3", Email: "a[href^=mailto], p", Website: "a[href^=http]"})
	if len(got) != 2 || got[0].Name != "Elektro Huber" || got[0].Website != "https://elektro-huber.at" ||
		!slices.Equal(got[1].Emails, []string{"kontakt@strom-licht.at"}) {
		t.Fatalf("got %+v", got)
	}
}

func TestContactLinks(t *testing.T) {
	site, _ := url.Parse("https://www.acme.com/")
	links := []Link{
		{URL: "https://www.acme.com/services", Text: "Services"},
		{URL: "https://acme.com/kontakt", Text: "Schreiben Sie uns"},
		{URL: "https://www.acme.com/ueber-uns", Text: "Über uns"},
		{URL: "https://other.com/contact", Text: "Contact"},
		{URL: "https://www.acme.com/brochure.pdf", Text: "Contact sheet"},
		{URL: "https://www.acme.com/p/12", Text: "Get in touch"},
	}
	got := ContactLinks(links, site, 3)
	want := []string{"https://acme.com/kontakt", "https://www.acme.com/p/12", "https://www.acme.com/ueber-uns"}
	if !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func TestRedirectTarget(t *testing.T) {
	tests := map[string]string{
		"https://d.example/out?u=https%3A%2F%2Facme.com%2F":                "https://acme.com/",
		"https://d.example/go?id=3&url=http://acme.com/x":                  "http://acme.com/x",
		"https://d.example/redirect/https%3A%2F%2Facme.com":                "https://acme.com",
		"https://d.example/redirect/https://acme.com/page":                 "https://acme.com/page",
		"https://d.example/r?t=aHR0cHM6Ly9hY21lLmNvbS8=":                   "https://acme.com/",
		"https://d.example/redirect/42":                                    "",
		"https://d.example/click?dest=https%253A%252F%252Facme.com%252F":   "https://acme.com/",
		"https://d.example/go?target=aHR0cHM6Ly9hY21lLmNvbS9-P3g9MQ":       "https://acme.com/~?x=1",
		"https://d.example/out/aHR0cHM6Ly9hY21lLmNvbS8":                    "https://acme.com/",
		"https://d.example/r?redirect=http%3A%2F%2Fb%C3%A4cker.example%2F": "http://b%C3%A4cker.example/",
	}
	for in, want := range tests {
		u, _ := url.Parse(in)
		got, ok := RedirectTarget(u)
		if got != want || ok != (want != "") {
			t.Errorf("RedirectTarget(%s) = %q %v, want %q", in, got, ok, want)
		}
	}
}

func TestSiteFacts(t *testing.T) {
	doc, _ := goquery.NewDocumentFromReader(bytes.NewReader([]byte(`<html><head><meta name="viewport" content="width=device-width"></head><body><link href="/wp-content/x.css"><p>© 2012 - 2021 Acme. (c) 2099</p></body></html>`)))
	u, _ := url.Parse("https://acme.com/")
	f := SiteFacts(doc, []byte(`<link href="/wp-content/x.css">`), u, 0, mustTime(2025))
	if !f.HTTPS || !f.MobileViewport || f.CopyrightYear != 2021 || f.Generator != "WordPress" {
		t.Fatalf("facts %+v", f)
	}
}

func TestDecodeLoose(t *testing.T) {
	for _, in := range []string{`{"a":1}`, "<!--{\"a\":1}", `\n    {"a":1}`, `\r\n\t{"a":1};`, "//<![CDATA[\n{\"a\":1}"} {
		var v map[string]any
		if err := decodeLoose(in, &v); err != nil || v["a"] != 1.0 {
			t.Errorf("decodeLoose(%q) = %v, %v", in, v, err)
		}
	}
}
