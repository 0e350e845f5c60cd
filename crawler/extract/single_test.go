package extract

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

func parse(t *testing.T, h string) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(h))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestSingle(t *testing.T) {
	page, _ := url.Parse("https://www.dir.example/biz/acme-12")
	tests := []struct {
		name string
		html string
		ok   bool
		want Business
	}{
		{"detail page with redirect link and phone element",
			`<header><a href="/">Dir</a> <a href="tel:+15550000">Support</a></header><h1>Acme Plumbing</h1><p class="phone">(512) 555-0101</p><p>Business website <a href="/redirect/12">acme.com</a></p><a href="/biz/acme-12/photos">Photos</a><footer><a href="https://apps.example/dir">App</a></footer>`,
			true, Business{Name: "Acme Plumbing", Phone: "(512) 555-0101", Website: "https://www.dir.example/redirect/12"}},
		{"website carried in the link", `<h1>Acme</h1><a href="/out?u=https%3A%2F%2Facme.de%2F">Webseite</a>`,
			true, Business{Name: "Acme", Website: "https://acme.de/"}},
		{"labelled website among profiles", `<h1>Acme</h1><a href="https://facebook.com/acme">Facebook</a> <a class="website" href="https://acme.fr/">acme.fr</a>`,
			true, Business{Name: "Acme", Website: "https://acme.fr/"}},
		{"phone only", `<h1>Acme</h1><a href="tel:+4930123456">Anrufen</a>`, true, Business{Name: "Acme", Phone: "+4930123456"}},
		{"listing with many phones", `<h1>Plumbers</h1><p class="phone">(512) 555-0101</p><p class="phone">(512) 555-0102</p>`, false, Business{}},
		{"no contact", `<h1>Events 2026-01</h1><a href="?month=2026-02">Next</a>`, false, Business{}},
		{"two headings", `<h1>A</h1><h1>B</h1><a href="tel:+4930123456">x</a>`, false, Business{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, ok := Single(parse(t, tc.html), page)
			if ok != tc.ok {
				t.Fatalf("ok = %v, want %v (%+v)", ok, tc.ok, b)
			}
			if !ok {
				return
			}
			if b.Name != tc.want.Name || b.Phone != tc.want.Phone || b.Website != tc.want.Website {
				t.Errorf("got %+v, want %+v", b, tc.want)
			}
		})
	}
}

func TestRows(t *testing.T) {
	page, _ := url.Parse("https://www.dir.example/pesquisa?pagina=2")
	doc := parse(t, `<nav><ul><li><a href="https://partner.example/">Partner</a></li><li><a href="https://other.example/">Other</a></li></ul></nav>
<table><tr><th>Nome</th><th>Telefone</th><th>Website</th></tr>
<tr><td><strong>Padaria Silva</strong></td><td><a href="tel:+351210000001">21 000 0001</a></td><td><a href="https://padaria-silva.pt/">padaria-silva.pt</a></td></tr>
<tr><td><strong>Oficina Costa</strong></td><td>Tel. +351 21 000 0002</td><td></td></tr>
<tr><td><strong>Serralharia Lopes</strong></td><td><a href="mailto:geral@lopes.pt">geral</a> <p>rui [at] lopes [dot] pt</p></td><td></td></tr></table>
<ul class="links"><li><a href="https://blog.example/">Blog</a></li><li><a href="https://shop.example/">Shop</a></li></ul>`)
	got := Rows(doc, page)
	want := []Business{
		{Name: "Padaria Silva", Phone: "+351210000001", Website: "https://padaria-silva.pt/"},
		{Name: "Oficina Costa", Phone: "+351 21 000 0002"},
		{Name: "Serralharia Lopes", Emails: []string{"geral@lopes.pt", "rui@lopes.pt"}},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i].Name != want[i].Name || got[i].Phone != want[i].Phone || got[i].Website != want[i].Website ||
			!slices.Equal(got[i].Emails, want[i].Emails) {
			t.Errorf("row %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
}
