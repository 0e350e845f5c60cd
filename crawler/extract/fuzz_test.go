package extract

import (
	"bytes"
	"net/url"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/clientele/clientele/config"
)

func mustTime(year int) time.Time { return time.Date(year, 6, 1, 0, 0, 0, 0, time.UTC) }

// fuzzReader runs one reader over arbitrary HTML: it must not panic.
func fuzzReader(f *testing.F, read func(*goquery.Document, *url.URL)) {
	for _, name := range []string{"jsonld.html", "microdata.html", "microformats.html", "pagestate.html", "blocks.html",
		"listings/plain-cards.html", "listings/state-emails.html", "listings/script-array.html"} {
		f.Add(loadBytes(f, name))
	}
	f.Add([]byte(`<script type="application/ld+json">[[[[[[[[[[{"@type":"Organization","name":1}]]]]]]]]]]</script>`))
	f.Add([]byte(`<div itemscope itemref="a"><p id="a" itemscope itemprop="x" itemref="a"></p></div>`))
	u, _ := url.Parse("https://d.example/")
	f.Fuzz(func(t *testing.T, b []byte) {
		doc, err := goquery.NewDocumentFromReader(bytes.NewReader(b))
		if err != nil {
			return
		}
		read(doc, u)
	})
}

func loadBytes(f *testing.F, name string) []byte {
	doc := load(f, name)
	h, _ := doc.Html()
	return []byte(h)
}

func FuzzJSONLD(f *testing.F) { fuzzReader(f, func(d *goquery.Document, _ *url.URL) { JSONLD(d) }) }
func FuzzMicrodata(f *testing.F) {
	fuzzReader(f, func(d *goquery.Document, _ *url.URL) { Microdata(d) })
}
func FuzzMicroformats(f *testing.F) {
	fuzzReader(f, func(d *goquery.Document, _ *url.URL) { Microformats(d) })
}
func FuzzPageState(f *testing.F) {
	fuzzReader(f, func(d *goquery.Document, _ *url.URL) { PageState(d) })
}
func FuzzBlocks(f *testing.F) { fuzzReader(f, func(d *goquery.Document, u *url.URL) { Blocks(d, u) }) }
func FuzzRows(f *testing.F)   { fuzzReader(f, func(d *goquery.Document, u *url.URL) { Rows(d, u) }) }
func FuzzCards(f *testing.F)  { fuzzReader(f, func(d *goquery.Document, u *url.URL) { Cards(d, u) }) }
func FuzzBusinesses(f *testing.F) {
	fuzzReader(f, func(d *goquery.Document, u *url.URL) { Businesses(d, u, "", config.Fields{}) })
}
func FuzzSingle(f *testing.F) { fuzzReader(f, func(d *goquery.Document, u *url.URL) { Single(d, u) }) }
func FuzzSelectors(f *testing.F) {
	fuzzReader(f, func(d *goquery.Document, u *url.URL) {
		Selectors(d, u, "li, div", config.Fields{Name: "h3", Email: "a", Phone: "p", Website: "a"})
	})
}
func FuzzSiteFacts(f *testing.F) {
	fuzzReader(f, func(d *goquery.Document, u *url.URL) { SiteFacts(d, nil, u, 0, mustTime(2025)) })
}

func FuzzRedirectTarget(f *testing.F) {
	for _, s := range []string{"https://d.example/out?u=https%3A%2F%2Facme.com%2F", "/redirect/https://x.com/a", "/r?t=aHR0cHM6Ly9hY21lLmNvbS8="} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, err := url.Parse(s)
		if err != nil {
			return
		}
		if target, ok := RedirectTarget(u); ok {
			if tu, err := url.Parse(target); err != nil || tu.Host == "" {
				t.Fatalf("RedirectTarget(%q) = %q, not an absolute URL", s, target)
			}
		}
	})
}
